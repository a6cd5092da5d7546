"""Small two-dimensional data sets for the generative-model pages (generated, never downloaded)."""

from __future__ import annotations

import math

import torch
from torch import Tensor

__all__ = ["noisy_arc", "two_moons"]


def two_moons(
    n: int, noise: float = 0.08, seed: int = 0, dtype: torch.dtype = torch.float32
) -> Tensor:
    """`n` points on two interleaved half circles with Gaussian noise, scaled to unit spread.

    Returns:
        `(n, 2)` points, centred, with coordinates roughly in $[-2, 2]$.
    """
    gen = torch.Generator().manual_seed(seed)
    angle = math.pi * torch.rand(n, generator=gen, dtype=torch.float64)
    upper = torch.rand(n, generator=gen) < 0.5
    x = torch.where(upper, torch.cos(angle), 1 - torch.cos(angle))
    y = torch.where(upper, torch.sin(angle), 0.5 - torch.sin(angle))
    points = torch.stack([x, y], dim=1) + noise * torch.randn(
        n, 2, generator=gen, dtype=torch.float64
    )
    points = (points - torch.tensor([0.5, 0.25], dtype=torch.float64)) * 1.4
    return points.to(dtype)


def noisy_arc(
    n: int, noise: float = 0.05, seed: int = 0, dtype: torch.dtype = torch.float32
) -> Tensor:
    """`n` noisy points along three quarters of a unit circle: a curved 1-D manifold in 2-D."""
    gen = torch.Generator().manual_seed(seed)
    angle = 1.5 * math.pi * torch.rand(n, generator=gen, dtype=torch.float64) - 0.25 * math.pi
    points = torch.stack([torch.cos(angle), torch.sin(angle)], dim=1)
    points = points + noise * torch.randn(n, 2, generator=gen, dtype=torch.float64)
    return (points - points.mean(0)).to(dtype)
