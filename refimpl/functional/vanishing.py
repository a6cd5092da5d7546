r"""The vanishing-gradient regulariser of Pascanu et al. (2013) for the tanh Elman RNN.

The error flowing back from step $k+1$ to step $k$ is multiplied by the Jacobian
$\partial h_{k+1}/\partial h_k = \mathrm{diag}(1 - h_{k+1}^2)W_{hh}$. The regulariser asks this
map to preserve the norm of the error *in the direction the error actually has*:

$$
\Omega = \sum_k \Omega_k = \sum_k \left(
\frac{\big\lVert \frac{\partial C}{\partial h_{k+1}}\frac{\partial h_{k+1}}{\partial h_k}\big\rVert}
     {\big\lVert \frac{\partial C}{\partial h_{k+1}}\big\rVert} - 1\right)^2 .
$$

As in the paper, the back-propagated errors $\partial C/\partial h_{k+1}$ are treated as
constants: only the Jacobian (through $W_{hh}$ and the states) is differentiated. Reading list:
``pascanu2013difficulty``.
"""

from __future__ import annotations

from torch import Tensor

__all__ = ["vanishing_gradient_regularizer"]


# --8<-- [start:omega]
def vanishing_gradient_regularizer(hs: Tensor, W_hh: Tensor, errors: Tensor) -> Tensor:
    r"""$\Omega$ for a tanh Elman RNN, summed over steps and averaged over the batch.

    Args:
        hs: the states $h_1..h_T$, shape `(T, B, H)` (differentiable).
        W_hh: the recurrent weights, shape `(H, H)` (differentiable).
        errors: $\partial C/\partial h_{k+1}$ for $k = 1..T-1$, i.e. for $h_2..h_T$, shape
            `(T - 1, B, H)`; detached inside.

    Returns:
        the scalar $\Omega$.
    """
    v = errors.detach()  # (T-1, B, H): ∂C/∂h_{k+1}, held constant
    # v ∂h_{k+1}/∂h_k = (v ⊙ (1 − h_{k+1}²)) W_hh
    pulled = (v * (1 - hs[1:] ** 2)) @ W_hh  # (T-1, B, H)
    ratio = pulled.norm(dim=-1) / v.norm(dim=-1).clamp_min(1e-30)  # (T-1, B)
    # Ω = Σ_k (ratio_k − 1)²
    return ((ratio - 1) ** 2).sum(0).mean()


# --8<-- [end:omega]
