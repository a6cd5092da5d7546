r"""Gradient norms through depth in deep convolutional stacks with and without skip paths.

For a stack of blocks $h_{l} = h_{l-1} + F_l(h_{l-1})$ the Jacobian from the top to block $l$ is
a product of factors $I + \partial F/\partial h$, which stays near the identity when the
branches are small; without the skip path it is a product of $\partial F/\partial h$ alone,
whose norm shrinks or grows geometrically with depth. ``gradient_norms`` measures
$\lVert\partial L/\partial W_l\rVert$ for the first convolution of every block at initialisation.
Reading list: ``he2016resnet``.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from refimpl.nn.resnet import ResidualBlock

__all__ = ["gradient_norms"]


@functools.cache
def gradient_norms(
    depth: int = 30, channels: int = 8, size: int = 8, seed: int = 0
) -> dict[str, np.ndarray]:
    """Gradient norms $\\lVert \\partial L / \\partial W_l \\rVert$ per block, plain and residual.

    The loss is a fixed random linear read-out of the last block's output; both stacks start
    from the same weights (torch's default initialisation).

    Returns:
        ``{"plain": (depth,), "residual": (depth,)}`` gradient norms, block 1 first.
    """
    result = {}
    for name, residual in (("plain", False), ("residual", True)):
        torch.manual_seed(seed)
        blocks = [
            ResidualBlock(channels, channels, residual=residual).double() for _ in range(depth)
        ]
        x = torch.randn(4, channels, size, size, dtype=torch.float64)
        readout = torch.randn(4, channels, size, size, dtype=torch.float64)
        h = x
        for block in blocks:
            h = block(h)
        (h * readout).sum().backward()
        result[name] = np.array([b.conv1.weight.grad.norm().item() for b in blocks])
    return result
