r"""The whitening reparametrisation of Natural Neural Networks (Desjardins et al.).

A layer $y = W x + b$ is rewritten as

$$
y = V\,U\,(x - c) + d, \qquad \operatorname{cov}[U(x - c)] = I ,
$$

with $c$ the mean of the layer's input and $U = \Sigma^{-1/2}$ a (ZCA) whitening matrix of its
covariance $\Sigma$, both estimated from data and held fixed between updates; only $V$ and $d$
are trained. For a linear layer with a squared loss the Fisher (Gauss-Newton) matrix of
$(V, d)$ is then the identity, so plain gradient descent on $V$ is natural-gradient descent.
When $U$ and $c$ are re-estimated, $V$ and $d$ are changed so the layer computes the same
function: $V \leftarrow V U_\text{old} U_\text{new}^{-1}$,
$d \leftarrow d + V U_\text{old}(c_\text{new} - c_\text{old})$.
Reading list: ``desjardins2015nnn``.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

__all__ = ["WhitenedLinear", "whitening"]


def whitening(x: Tensor, eps: float = 1e-5) -> tuple[Tensor, Tensor]:
    """The mean $c$ `(D,)` and ZCA whitening matrix $U = (\\Sigma + \\epsilon I)^{-1/2}$ `(D, D)`.

    Args:
        x: samples `(N, D)`.
        eps: added to the covariance's eigenvalues for stability.
    """
    c = x.mean(dim=0)
    sigma = (x - c).T @ (x - c) / x.shape[0]  # (D, D)
    eigenvalues, Q = torch.linalg.eigh(sigma)
    # U = Q diag((λ + ε)^{-1/2}) Qᵀ
    U = Q @ torch.diag((eigenvalues + eps).rsqrt()) @ Q.T
    return c, U


class WhitenedLinear(torch.nn.Module):
    """An affine layer $y = V U (x - c) + d$ whose input is whitened by fixed $U$ and $c$.

    Args:
        in_features: input size $D$.
        out_features: output size.
    """

    def __init__(self, in_features: int, out_features: int) -> None:
        super().__init__()
        bound = 1.0 / math.sqrt(in_features)
        self.V = torch.nn.Parameter(torch.empty(out_features, in_features).uniform_(-bound, bound))
        self.d = torch.nn.Parameter(torch.zeros(out_features))
        self.register_buffer("U", torch.eye(in_features))
        self.register_buffer("c", torch.zeros(in_features))

    # --8<-- [start:whitened]
    def forward(self, x: Tensor) -> Tensor:
        """`(B, D)` to `(B, out_features)`."""
        # y = V U (x − c) + d
        return (x - self.c) @ self.U.T @ self.V.T + self.d

    @torch.no_grad()
    def update_whitening(self, x: Tensor, eps: float = 1e-5) -> None:
        """Re-estimates $U$ and $c$ from inputs `x` `(N, D)`, keeping the layer's function."""
        c_new, U_new = whitening(x.to(self.U.dtype), eps)
        W = self.V @ self.U  # the effective weight, unchanged by the update
        # d ← d + V U_old (c_new − c_old), so that W (x − c_new) + d_new = W (x − c_old) + d_old
        self.d += W @ (c_new - self.c)
        # V ← V U_old U_new⁻¹
        self.V.copy_(torch.linalg.solve(U_new.T, W.T).T)
        self.U.copy_(U_new)
        self.c.copy_(c_new)

    # --8<-- [end:whitened]

    def effective(self) -> tuple[Tensor, Tensor]:
        """The equivalent plain affine layer: $W = V U$ and $b = d - V U c$."""
        W = self.V @ self.U
        return W, self.d - W @ self.c
