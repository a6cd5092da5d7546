r"""The loss along a line and on a 2-D slice through parameter space (Li et al. 2018).

A network's loss lives in $N$ dimensions; we can look at it along one direction $d$ or on the
plane spanned by two, around the trained parameters $\theta^\star$:

$$
f(\alpha) = L(\theta^\star + \alpha d),\qquad
f(\alpha, \beta) = L(\theta^\star + \alpha d_1 + \beta d_2).
$$

Random directions in $\mathbb{R}^N$ are nearly orthogonal, but their scale must be chosen with
care: a ReLU network is unchanged when a layer's weights are multiplied by $c > 0$ and the next
layer's divided by $c$, so a fixed-size step means little when layers have different norms.
*Filter normalisation* fixes the scale per filter (for a linear layer, per output unit, i.e. row
of the weight matrix): each row $d_{i}$ of a Gaussian direction is rescaled to the norm of the
corresponding row of the weights,

$$
d_{i} \leftarrow \frac{d_{i}}{\lVert d_{i}\rVert}\,\lVert\theta_{i}\rVert ,
$$

and the direction is zero on biases and other one-dimensional parameters (as in the paper's
plots). A unit step then changes every filter by its own size. Reading list:
``li2018landscape``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import Tensor

__all__ = ["loss_along_line", "loss_surface", "random_direction"]


# --8<-- [start:direction]
def random_direction(
    params: Sequence[Tensor],
    *,
    filter_normalize: bool = True,
    generator: torch.Generator | None = None,
) -> list[Tensor]:
    r"""A Gaussian direction in parameter space, optionally filter-normalised.

    Args:
        params: the parameters $\theta$ (their shapes, dtypes and, when normalising, values).
        filter_normalize: rescale each filter (row along the first dimension) of every tensor
            with two or more dimensions to the norm of the same filter of $\theta$, and zero
            the direction on one-dimensional tensors (biases).
        generator: seeds the direction (drawn on the CPU in float64, then moved).

    Returns:
        One tensor per parameter, shaped like it.
    """
    direction = []
    for p in params:
        d = torch.randn(p.shape, generator=generator, dtype=torch.float64).to(p)
        if filter_normalize:
            if p.dim() <= 1:
                d = torch.zeros_like(p)
            else:
                rows_d = d.reshape(d.shape[0], -1)  # (filters, fan_in · kernel)
                rows_p = p.detach().reshape(p.shape[0], -1)
                # d_i ← d_i / ‖d_i‖ · ‖θ_i‖
                scale = rows_p.norm(dim=1, keepdim=True) / rows_d.norm(dim=1, keepdim=True)
                d = (rows_d * scale).reshape(p.shape)
        direction.append(d)
    return direction


# --8<-- [end:direction]


@torch.no_grad()
def loss_surface(
    loss_fn: Callable[[], Tensor],
    params: Sequence[Tensor],
    directions: Sequence[Sequence[Tensor]],
    coords: Tensor,
) -> Tensor:
    r"""$L(\theta + \sum_k c_k d_k)$ at many points $c$; the parameters are restored afterwards.

    Args:
        loss_fn: evaluates the loss at the current values of `params` (no arguments).
        params: the parameters $\theta$, modified in place during the call.
        directions: $K$ directions $d_k$, each one tensor per parameter.
        coords: the coefficients, shape `(..., K)`.

    Returns:
        The losses, shape `coords.shape[:-1]`.
    """
    params = list(params)
    origin = [p.detach().clone() for p in params]
    flat = coords.reshape(-1, coords.shape[-1])  # (M, K)
    out = torch.empty(flat.shape[0], dtype=torch.float64)
    try:
        for m, c in enumerate(flat.tolist()):
            for p, p0, *ds in zip(params, origin, *directions, strict=True):
                # θ = θ* + Σ_k c_k d_k
                p.copy_(p0 + sum(ck * dk for ck, dk in zip(c, ds, strict=True)))
            out[m] = float(loss_fn())
    finally:
        for p, p0 in zip(params, origin, strict=True):
            p.copy_(p0)
    return out.reshape(coords.shape[:-1])


def loss_along_line(
    loss_fn: Callable[[], Tensor],
    params: Sequence[Tensor],
    direction: Sequence[Tensor],
    alphas: Tensor,
) -> Tensor:
    r"""$f(\alpha) = L(\theta + \alpha d)$ for each $\alpha$ in `alphas` (shape `(M,)`).

    Args:
        loss_fn: evaluates the loss at the current values of `params`.
        params: the parameters $\theta$ (restored afterwards).
        direction: $d$, one tensor per parameter.
        alphas: the step sizes, shape `(M,)`.

    Returns:
        The losses, shape `(M,)`, float64.
    """
    return loss_surface(loss_fn, params, [direction], alphas.reshape(-1, 1))
