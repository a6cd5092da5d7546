r"""Counting the linear regions of a ReLU network along a line or on a 2-D slice of input space.

A network built from affine maps and ReLUs is piecewise affine. Fix which units are active,
the *activation pattern* $s(x) \in \{0, 1\}^U$ over all $U$ ReLU units; on the set of inputs
sharing one pattern the network is a single affine map, and that set is a convex polytope
(each pre-activation is affine in $x$ once the earlier layers' pattern is fixed). These sets are
the *linear regions*. A line therefore crosses each region at most once, so along a segment

$$
\#\text{regions} = 1 + \#\{\text{pattern changes between consecutive samples}\},
$$

exact once the samples are denser than the shortest piece. On a 2-D slice we count distinct
patterns on a grid, a lower bound that converges as the grid is refined. For one hidden layer
of $m$ units on a 2-D input in general position the count is Zaslavsky's
$\binom{m}{2} + m + 1$; deep networks can have exponentially more regions per parameter
(Montúfar et al. 2014). Reading list: ``montufar2014``, ``zaslavsky1975``.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

__all__ = [
    "RegionCount",
    "activation_patterns",
    "count_regions_along_line",
    "count_regions_on_plane",
]


@dataclass(frozen=True)
class RegionCount:
    """The regions met by a line or a 2-D grid of inputs.

    Attributes:
        count: the number of linear regions found.
        labels: a region id for every sample (ids `0 .. count-1`, in order of first appearance),
            shape `(M,)` along a line, `(H, W)` on a plane.
        breakpoints: along a line, the parameters $t \\in [0, 1]$ half-way between two samples
            with different patterns (empty on a plane).
    """

    count: int
    labels: Tensor
    breakpoints: Tensor


# --8<-- [start:patterns]
@torch.no_grad()
def activation_patterns(model: nn.Module, inputs: Tensor) -> Tensor:
    r"""The activation pattern $s(x) = \mathbf{1}[z > 0]$ of every ReLU unit, for each input.

    Every `nn.ReLU` module of `model` is hooked; its input $z$ (the pre-activation) decides the
    pattern. Each `nn.ReLU` instance must be used once per forward pass.

    Args:
        model: the network (any module containing `nn.ReLU` layers).
        inputs: a batch, shape `(B, ...)`.

    Returns:
        A boolean tensor of shape `(B, U)`, the patterns of all layers concatenated.
    """
    parts: list[Tensor] = []

    def hook(module: nn.Module, args: tuple[Tensor, ...], output: Tensor) -> None:
        parts.append((args[0] > 0).reshape(args[0].shape[0], -1))  # (B, units of this layer)

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, nn.ReLU)]
    try:
        model(inputs)
    finally:
        for h in handles:
            h.remove()
    if not parts:
        raise ValueError("the model has no nn.ReLU module")
    return torch.cat(parts, dim=1)


# --8<-- [end:patterns]


def _label(patterns: Tensor) -> tuple[int, Tensor]:
    """Region ids in order of first appearance for rows of a `(M, U)` pattern matrix."""
    # pack each row of bits into 62-bit integer words, then find the distinct rows of words
    M, U = patterns.shape
    words = -(-U // 62)
    bits = torch.zeros(M, words * 62, dtype=torch.long)
    bits[:, :U] = patterns.long()
    powers = 2 ** torch.arange(62, dtype=torch.long)  # (62,)
    codes = (bits.reshape(M, words, 62) * powers).sum(-1)  # (M, words)
    if words == 1:
        _, inverse = torch.unique(codes[:, 0], return_inverse=True)  # (M,)
    else:
        _, inverse = torch.unique(codes, dim=0, return_inverse=True)  # (M,)
    count = int(inverse.max()) + 1
    # the first sample of each pattern, then rank the patterns by it
    first = torch.full((count,), inverse.numel(), dtype=torch.long)
    first.scatter_reduce_(0, inverse, torch.arange(inverse.numel()), reduce="amin")
    rank = torch.empty(count, dtype=torch.long)
    rank[first.argsort()] = torch.arange(count)
    return count, rank[inverse]


def count_regions_along_line(
    model: nn.Module, start: Tensor, end: Tensor, samples: int = 10_000
) -> RegionCount:
    r"""The linear regions crossed by the segment $x(t) = (1 - t)\,x_0 + t\,x_1$, $t \in [0, 1]$.

    Args:
        model: a ReLU network taking inputs shaped like `start` with a batch dimension.
        start: $x_0$, one input without batch dimension.
        end: $x_1$.
        samples: the number of equally spaced samples (pieces shorter than `1/samples` of the
            segment may be missed).

    Returns:
        The count, a region id per sample and the estimated breakpoints.
    """
    t = torch.linspace(0.0, 1.0, samples, dtype=start.dtype, device=start.device)
    x = start + t.reshape(-1, *([1] * start.dim())) * (end - start)  # (M, ...)
    patterns = activation_patterns(model, x)  # (M, U)
    # a boundary lies between two consecutive samples whose patterns differ
    change = (patterns[1:] != patterns[:-1]).any(dim=1)  # (M - 1,)
    labels = torch.cat([torch.zeros(1, dtype=torch.long), change.cumsum(0).cpu()])
    breakpoints = ((t[1:] + t[:-1]) / 2)[change].cpu()
    return RegionCount(count=int(change.sum()) + 1, labels=labels, breakpoints=breakpoints)


def count_regions_on_plane(
    model: nn.Module,
    origin: Tensor,
    d1: Tensor,
    d2: Tensor,
    extent: tuple[float, float, float, float] = (-1.0, 1.0, -1.0, 1.0),
    resolution: int = 400,
) -> RegionCount:
    r"""The linear regions met on the grid $x = x_0 + a\,d_1 + b\,d_2$ of a 2-D input slice.

    Args:
        model: a ReLU network.
        origin: $x_0$, one input without batch dimension.
        d1: the first in-plane direction, shaped like `origin`.
        d2: the second in-plane direction.
        extent: `(a_min, a_max, b_min, b_max)`.
        resolution: grid points per side.

    Returns:
        The number of distinct activation patterns on the grid and a region id per grid
        point, shape `(resolution, resolution)` indexed `[b, a]` (rows are $b$, as an image).
    """
    a = torch.linspace(extent[0], extent[1], resolution, dtype=origin.dtype, device=origin.device)
    b = torch.linspace(extent[2], extent[3], resolution, dtype=origin.dtype, device=origin.device)
    B, A = torch.meshgrid(b, a, indexing="ij")  # (H, W) each
    shape = (-1, *([1] * origin.dim()))
    x = origin + A.reshape(shape) * d1 + B.reshape(shape) * d2  # (H·W, ...)
    count, labels = _label(activation_patterns(model, x).cpu())
    return RegionCount(
        count=count,
        labels=labels.reshape(resolution, resolution),
        breakpoints=torch.empty(0, dtype=origin.dtype),
    )
