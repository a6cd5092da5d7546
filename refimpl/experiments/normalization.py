r"""Normalisation layers in action: activation scale through depth, and running statistics.

``depth_profile`` pushes a batch through a 30-layer ReLU network with the naive
$U[-1/\sqrt n, 1/\sqrt n]$ initialisation, with no normalisation, with `refimpl.nn.BatchNorm1d`
(training mode) or with `refimpl.nn.LayerNorm` after every linear layer, and records the
second moment of each layer's output. ``running_statistics`` feeds batches from a fixed
distribution to a `BatchNorm1d` and records its running mean and variance, the estimates it
will use in evaluation mode. Reading list: ``ioffe2015bn``, ``ba2016ln``.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from refimpl.experiments._threads import single_thread
from refimpl.nn.activations import ReLU
from refimpl.nn.linear import Linear
from refimpl.nn.normalization import BatchNorm1d, LayerNorm

__all__ = ["NORMS", "depth_profile", "running_statistics"]

#: The variants compared by `depth_profile`.
NORMS = ("none", "batch", "layer")


@functools.cache
def depth_profile(norm: str, depth: int = 30, width: int = 128, batch: int = 256) -> np.ndarray:
    r"""$\mathbb E[a_m^2]$ after each of ``depth`` blocks Linear → (norm) → ReLU, at initialisation.

    Args:
        norm: ``"none"``, ``"batch"`` or ``"layer"``.
        depth: the number of blocks.
        width: the width of every layer.
        batch: the number of standard-normal inputs.

    Returns:
        The second moment of each block's output (read-only), shape ``(depth,)``. Cached.
    """
    torch.manual_seed(0)
    a = torch.randn(batch, width, dtype=torch.float64)
    out = []
    with torch.no_grad(), single_thread():
        for _ in range(depth):
            layer = Linear(width, width, dtype=torch.float64)  # U[±1/√n]: variance 1/(3n)
            z = layer(a)
            if norm == "batch":
                z = BatchNorm1d(width, dtype=torch.float64).train()(z)
            elif norm == "layer":
                z = LayerNorm(width, dtype=torch.float64)(z)
            a = ReLU()(z)
            out.append((a**2).mean().item())
    result = np.asarray(out)
    result.flags.writeable = False
    return result


@functools.cache
def running_statistics(
    momentum: float | None, batches: int = 300, batch_size: int = 16
) -> tuple[np.ndarray, np.ndarray]:
    r"""The running mean and variance of a `BatchNorm1d` fed batches of $\mathcal N(3, 2^2)$.

    Args:
        momentum: the layer's momentum; ``None`` for the cumulative average.
        batches: how many training-mode forward passes.
        batch_size: examples per batch.

    Returns:
        ``(running_mean, running_var)`` after each batch (read-only), each shape ``(batches,)``.
        Cached.
    """
    gen = torch.Generator().manual_seed(0)
    bn = BatchNorm1d(1, momentum=momentum, dtype=torch.float64).train()
    means, variances = [], []
    with torch.no_grad():
        for _ in range(batches):
            x = 3.0 + 2.0 * torch.randn(batch_size, 1, generator=gen, dtype=torch.float64)
            bn(x)
            means.append(bn.running_mean.item())
            variances.append(bn.running_var.item())
    m, v = np.asarray(means), np.asarray(variances)
    m.flags.writeable = False
    v.flags.writeable = False
    return m, v
