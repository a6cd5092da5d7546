r"""Robust pooling as a declarative node: the pooled value and its implicit gradient.

Thirty inliers from $\mathcal N(0, 1)$ and six outliers near 7 are pooled by the mean and by
pseudo-Huber robust pooling (`refimpl.equilibrium.declarative`) at several scales $\alpha$. We
record the pooled values, the implicit-function gradient $\partial y/\partial x_j$ of each
point, and the pooled value as one extra point is moved across the line (its influence).
"""

from __future__ import annotations

import functools

import torch

from refimpl.equilibrium.declarative import robust_pool

__all__ = ["robust_pooling_demo"]

F64 = torch.float64


@functools.cache
def robust_pooling_demo(alphas: tuple[float, ...] = (0.5, 2.0), seed: int = 0) -> dict:
    """Pool a sample with outliers by the mean and by robust pooling at each `alpha`.

    Returns:
        `{"x": (n,), "mean": float, "t": (m,), "mean_t": (m,), alpha: {"y": float,
        "weights": (n,), "y_t": (m,)}}`: the sample, its mean, positions `t` of an extra point
        and the mean with it; per `alpha` the pooled value, $\\partial y/\\partial x_j$ from
        autograd through the node, and the pooled value with the extra point at each `t`.
    """
    gen = torch.Generator().manual_seed(seed)
    x = torch.cat(
        [
            torch.randn(30, generator=gen, dtype=F64),
            7 + 0.5 * torch.randn(6, generator=gen, dtype=F64),
        ]
    )
    t = torch.linspace(-15, 15, 301, dtype=F64)
    with_t = torch.cat([x.expand(len(t), -1), t[:, None]], 1)  # (m, n + 1)
    out: dict = {
        "x": x.numpy(),
        "mean": float(x.mean()),
        "t": t.numpy(),
        "mean_t": with_t.mean(1).numpy(),
    }
    for alpha in alphas:
        xs = x.clone().requires_grad_()
        y = robust_pool(xs, alpha)
        (weights,) = torch.autograd.grad(y, xs)  # the implicit-function gradient
        out[alpha] = {
            "y": float(y.detach()),
            "weights": weights.numpy(),
            "y_t": robust_pool(with_t, alpha).numpy(),
        }
    return out
