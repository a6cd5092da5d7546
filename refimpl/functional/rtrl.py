r"""Real-time recurrent learning (forward-mode gradients) for the tanh Elman RNN.

RTRL carries, next to the state $h_t$, its sensitivity to every parameter,
$P_t = \partial h_t/\partial\theta$ (an $H \times |\theta|$ matrix), and updates both forward in
time. For $h_t = \tanh(a_t)$, $a_t = W_{ih}x_t + W_{hh}h_{t-1} + b$:

$$
P_t = \mathrm{diag}(1 - h_t^2)\Big(W_{hh}P_{t-1} + \frac{\bar\partial a_t}{\partial\theta}\Big),
\qquad
\frac{dL}{d\theta} = \sum_t \frac{\partial\ell_t}{\partial h_t}P_t ,
$$

where $\bar\partial a_t/\partial\theta$ is the immediate dependence (holding $h_{t-1}$ fixed): the
row $i$ of $\partial a_t/\partial W_{hh}$ is $h_{t-1}^\top$ in the block of row $i$ of $W_{hh}$
(a Kronecker product $I \otimes h_{t-1}^\top$), likewise with $x_t$ for $W_{ih}$, and $I$ for
$b$. The gradient is available online, at every step, without storing the past; the price is
$O(H^2|\theta|) = O(H^4)$ work per step and $O(H|\theta|)$ memory. The result equals BPTT's.
Reading list: ``williams1989rtrl``.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor

__all__ = ["rtrl_gradients"]


# --8<-- [start:rtrl]
def rtrl_gradients(
    x: Tensor,
    h0: Tensor,
    W_ih: Tensor,
    W_hh: Tensor,
    b: Tensor,
    loss_grad: Callable[[int, Tensor], Tensor],
) -> tuple[Tensor, Tensor, Tensor]:
    r"""The gradient of $L = \sum_t \ell_t(h_t)$ by forward-mode RTRL.

    Args:
        x: inputs, shape `(T, B, I)`.
        h0: initial state (a constant), shape `(B, H)`.
        W_ih: `(H, I)`; W_hh: `(H, H)`; b: `(H,)` — the parameters $\theta$.
        loss_grad: `loss_grad(t, h_t)` returns $\partial\ell_t/\partial h_t$, shape `(B, H)`,
            for $t = 1..T$; called online, as soon as $h_t$ exists.

    Returns:
        $(\partial L/\partial W_{ih}, \partial L/\partial W_{hh}, \partial L/\partial b)$.
    """
    (B, H), I = h0.shape, x.shape[2]
    n = H * I + H * H + H  # |θ| = vec(W_ih), vec(W_hh), b
    eye = torch.eye(H, dtype=x.dtype, device=x.device)
    P = x.new_zeros(B, H, n)  # P_0 = ∂h_0/∂θ = 0
    grad = x.new_zeros(n)
    h = h0
    for t, x_t in enumerate(x, start=1):
        # immediate ∂a_t/∂θ: [I ⊗ x_t^T, I ⊗ h_{t-1}^T, I], shape (B, H, |θ|)
        immediate = torch.cat(
            [
                torch.einsum("ij,bk->bijk", eye, x_t).reshape(B, H, H * I),
                torch.einsum("ij,bk->bijk", eye, h).reshape(B, H, H * H),
                eye.expand(B, H, H),
            ],
            dim=2,
        )
        h = torch.tanh(x_t @ W_ih.T + h @ W_hh.T + b)
        # P_t = diag(1 − h_t²) (W_hh P_{t-1} + ∂̄a_t/∂θ)
        P = (1 - h**2).unsqueeze(2) * (W_hh @ P + immediate)  # (B, H, |θ|)
        # dL/dθ += ∂ℓ_t/∂h_t · P_t   (summed over the batch)
        grad += torch.einsum("bh,bhn->n", loss_grad(t, h), P)
    return grad[: H * I].reshape(H, I), grad[H * I : H * I + H * H].reshape(H, H), grad[-H:]


# --8<-- [end:rtrl]
