r"""K-FAC: the Kronecker-factored approximation of a linear layer's Fisher block.

For a linear layer $s = W\bar a$ (input $\bar a = [a; 1]$ with the bias folded into $W$),
the Fisher block of $W$ is $\mathbb E[\bar a\bar a^\top \otimes g g^\top]$ with
$g = \partial(-\log p(y\mid x))/\partial s$ and $y$ drawn from the model. K-FAC (Martens &
Grosse 2015) replaces the expectation of the Kronecker product by the Kronecker product of the
expectations,

$$
F_\ell \approx A \otimes G,\qquad A = \mathbb E[\bar a\bar a^\top],\quad G = \mathbb E[g g^\top],
$$

which is exact when $\bar a$ and $g$ are independent, e.g. when $G$ does not depend on the
input. Because $(A \otimes G)\,\mathrm{vec}(V) = \mathrm{vec}(G V A)$, the damped inverse can
be applied with the eigendecompositions $A = Q_A\,\mathrm{diag}(\alpha)\,Q_A^\top$ and
$G = Q_G\,\mathrm{diag}(\beta)\,Q_G^\top$, without ever forming the $N_\ell^2$-sized block.
Reading list: ``martens2015kfac``.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["kfac_direction", "kronecker_factors"]


# --8<-- [start:kfac]
def kronecker_factors(inputs: Tensor, output_grads: Tensor) -> tuple[Tensor, Tensor]:
    r"""The Kronecker factors $A = \mathbb E[\bar a\bar a^\top]$ and $G = \mathbb E[gg^\top]$.

    $A = \frac1N\sum_n \bar a_n\bar a_n^\top$ and $G = \frac1N\sum_{n,k} g_{nk}g_{nk}^\top$.

    Args:
        inputs: the layer inputs $\bar a_n$ (with a column of ones appended for a bias), shape
            ``(N, d_in)``.
        output_grads: back-propagated vectors $g_{nk} = \partial(u_k^\top z_n)/\partial s_n$ at
            the layer's pre-activations, shape ``(M, N, d_out)``: one slice per vector $u_k$ of
            a factorisation $\Lambda = \sum_k u_k u_k^\top$ of the output Fisher (or ``M = 1``
            and the loss gradients at the labels, for the empirical Fisher).

    Returns:
        ``(A, G)``, shapes ``(d_in, d_in)`` and ``(d_out, d_out)``.
    """
    N = inputs.shape[0]
    # A = E[ā āᵀ]
    A = inputs.mT @ inputs / N
    # G = E[g gᵀ] = (1/N) Σ_n Σ_k g_nk g_nkᵀ
    G = (output_grads.mT @ output_grads).sum(0) / N
    return A, G


def kfac_direction(grad: Tensor, A: Tensor, G: Tensor, damping: float) -> Tensor:
    r"""The damped K-FAC step $\Delta = -(A \otimes G + \lambda I)^{-1}\mathrm{vec}(\nabla_W L)$.

    With $A = Q_A\,\mathrm{diag}(\alpha)\,Q_A^\top$ and $G = Q_G\,\mathrm{diag}(\beta)\,Q_G^\top$,
    the eigenvalues of $A\otimes G$ are the products $\beta_i\alpha_j$, so

    $$
    \Delta = -\,Q_G\Big[\big(Q_G^\top \nabla_W L\, Q_A\big) \oslash
    \big(\beta\alpha^\top + \lambda\big)\Big]Q_A^\top .
    $$

    Args:
        grad: $\nabla_W L$ of the layer (bias as the last column), shape ``(d_out, d_in)``.
        A: the input factor, shape ``(d_in, d_in)``.
        G: the output-gradient factor, shape ``(d_out, d_out)``.
        damping: $\lambda \ge 0$, added to the Kronecker product (Tikhonov damping).

    Returns:
        $\Delta$ as a matrix, shape ``(d_out, d_in)``.
    """
    alpha, QA = _eigh(A)
    beta, QG = _eigh(G)
    # rotate into the eigenbases, divide by the eigenvalues of A⊗G + λI, rotate back
    rotated = QG.mT @ grad @ QA  # (d_out, d_in)
    return -QG @ (rotated / (beta[:, None] * alpha[None, :] + damping)) @ QA.mT


# --8<-- [end:kfac]


def _eigh(M: Tensor) -> tuple[Tensor, Tensor]:
    """Eigendecomposition of a symmetric PSD factor, with round-off negatives clipped to 0."""
    lam, Q = torch.linalg.eigh(0.5 * (M + M.mT))
    return lam.clamp_min(0.0), Q
