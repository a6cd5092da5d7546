r"""A declarative node: robust pooling, differentiated by the implicit function theorem.

A declarative node defines its output by the problem it solves rather than by a formula
(`gould2022ddn`). Robust pooling replaces the mean of $x_1, \dots, x_n$ by

$$
y(x) = \arg\min_u \sum_{i=1}^n \phi(u - x_i;\alpha),\qquad
\phi(z;\alpha) = \alpha^2\Big(\sqrt{1 + (z/\alpha)^2} - 1\Big),
$$

the pseudo-Huber penalty: quadratic for $|z|\ll\alpha$, linear beyond, so far-away points pull
with a bounded force. At the minimum $\sum_i\phi'(y - x_i) = 0$; differentiating this identity in
$x_j$ (the implicit function theorem) gives

$$
\frac{\partial y}{\partial x_j} = \frac{\phi''(y - x_j)}{\sum_i \phi''(y - x_i)},\qquad
\phi''(z) = \big(1 + (z/\alpha)^2\big)^{-3/2},
$$

weights that sum to one and vanish for outliers. The forward pass may use any solver and is not
differentiated; here it is iteratively reweighted least squares, which decreases the objective
at every step for this penalty.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

__all__ = ["RobustPool", "pseudo_huber", "robust_pool", "robust_pool_weights"]


def pseudo_huber(z: Tensor, alpha: float) -> Tensor:
    r"""The pseudo-Huber penalty $\phi(z;\alpha) = \alpha^2(\sqrt{1 + (z/\alpha)^2} - 1)$."""
    return alpha**2 * (torch.sqrt(1 + (z / alpha) ** 2) - 1)


# --8<-- [start:pool]
def _solve(x: Tensor, alpha: float, iters: int) -> Tensor:
    """argmin_u sum_i phi(u - x_i) over the last axis, by reweighted least squares."""
    y = x.median(-1, keepdim=True).values  # (..., 1)
    for _ in range(iters):
        # phi'(z) / z = 1 / sqrt(1 + (z/alpha)^2): y <- sum_i w_i x_i / sum_i w_i
        w = torch.rsqrt(1 + ((y - x) / alpha) ** 2)  # (..., n)
        y_new = (w * x).sum(-1, keepdim=True) / w.sum(-1, keepdim=True)
        if torch.equal(y_new, y):
            break
        y = y_new
    return y.squeeze(-1)


def robust_pool_weights(x: Tensor, y: Tensor, alpha: float) -> Tensor:
    r"""$\partial y/\partial x_j = \phi''(y - x_j)/\sum_i\phi''(y - x_i)$, shape of `x`."""
    # phi''(z) = (1 + (z/alpha)^2)^(-3/2)
    curvature = (1 + ((y[..., None] - x) / alpha) ** 2) ** -1.5  # (..., n)
    return curvature / curvature.sum(-1, keepdim=True)


class RobustPool(torch.autograd.Function):
    """Robust pooling over the last axis; the backward pass is the implicit-function gradient."""

    @staticmethod
    def forward(ctx: Any, x: Tensor, alpha: float, iters: int) -> Tensor:
        """Solve for $y$ without recording a graph; keep what the backward pass needs."""
        y = _solve(x.detach(), alpha, iters)
        ctx.alpha = alpha
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> tuple[Tensor, None, None]:
        r"""Chain rule through $y$: $\partial\ell/\partial x_j = \bar y \partial y/\partial x_j$"""
        x, y = ctx.saved_tensors
        return grad[..., None] * robust_pool_weights(x, y, ctx.alpha), None, None
        # --8<-- [end:pool]


def robust_pool(x: Tensor, alpha: float = 1.0, iters: int = 500) -> Tensor:
    r"""Pool `x` `(..., n)` over its last axis with the pseudo-Huber penalty of scale `alpha`.

    Args:
        x: the values to pool, shape `(..., n)`.
        alpha: $\alpha > 0$; large values approach the mean, small ones the median.
        iters: the most reweighting steps of the forward solve (it stops at a fixed point).

    Returns:
        $y(x)$, shape `(...)`, differentiable in `x` by the implicit function theorem.
    """
    return RobustPool.apply(x, alpha, iters)
