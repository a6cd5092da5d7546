r"""Convolution as a structured linear map: its circulant matrix and its translation equivariance.

A 1-D convolution with circular padding is a linear map $x \mapsto Cx$ whose matrix is
*circulant*: every row is the previous one shifted by one place. Circulant matrices commute
with the cyclic shift $S$ and are all diagonalised by the discrete Fourier transform $F$,
$F C F^{-1} = \mathrm{diag}(\hat c)$; conversely, a linear map that commutes with $S$ is a
circular convolution. The functions here read the matrix off ``refimpl.nn.Conv2d`` by applying
it to the basis vectors, and measure how a feature map moves when its input moves.
Reading list: ``goodfellow2016`` (chapter 9), ``bronstein2021gdl``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch

from refimpl.nn.conv import Conv2d

__all__ = ["EquivarianceDemo", "conv_matrix", "equivariance_demo", "shift_matrix"]


def conv_matrix(kernel: torch.Tensor, n: int, padding_mode: str = "circular") -> torch.Tensor:
    """The $n\\times n$ matrix of a 1-D convolution with an odd-length ``kernel`` ("same" output).

    Column $j$ is the layer applied to the basis vector $e_j$, so ``conv_matrix(k, n) @ x``
    equals the convolution of $x$.
    """
    k = kernel.numel()
    conv = Conv2d(1, 1, (1, k), padding=(0, k // 2), bias=False, padding_mode=padding_mode)
    conv = conv.to(kernel.dtype)
    with torch.no_grad():
        conv.weight.copy_(kernel.reshape(1, 1, 1, k))
        basis = torch.eye(n, dtype=kernel.dtype).reshape(n, 1, 1, n)  # (n, C=1, H=1, W=n)
        columns = conv(basis).reshape(n, n)  # row j: the response to e_j
    return columns.T


def shift_matrix(n: int, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """The cyclic shift $S$ with $(Sx)_i = x_{i-1}$ (indices mod $n$)."""
    return torch.roll(torch.eye(n, dtype=dtype), 1, dims=0)


@dataclass(frozen=True)
class EquivarianceDemo:
    """An image, a shifted copy and the feature maps of one convolution.

    Attributes:
        image: the `(H, W)` input.
        shifted: the input moved by ``shift`` pixels (circularly).
        feature: the feature map of ``image``.
        feature_of_shifted: the feature map of ``shifted``.
        shift: `(rows, columns)` of the move.
        max_error: max |shift(feature) - feature_of_shifted|, zero up to rounding.
    """

    image: np.ndarray
    shifted: np.ndarray
    feature: np.ndarray
    feature_of_shifted: np.ndarray
    shift: tuple[int, int]
    max_error: float


@functools.cache
def equivariance_demo(size: int = 32, shift: tuple[int, int] = (7, 10)) -> EquivarianceDemo:
    """A vertical-edge detector on a small synthetic scene, before and after a circular shift."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64)
    image = ((np.abs(xx - 10) < 5) & (np.abs(yy - 12) < 7)).astype(np.float64)  # a rectangle
    image += np.exp(-((xx - 22) ** 2 + (yy - 22) ** 2) / 12.0)  # and a blob
    conv = Conv2d(1, 1, 3, padding=1, bias=False, padding_mode="circular").double()
    with torch.no_grad():
        conv.weight.copy_(torch.tensor([[[[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]]]))
        x = torch.from_numpy(image)[None, None]  # (1, 1, H, W)
        x_shifted = torch.roll(x, shift, dims=(2, 3))
        feature, feature_of_shifted = conv(x), conv(x_shifted)
    error = (torch.roll(feature, shift, dims=(2, 3)) - feature_of_shifted).abs().max().item()
    return EquivarianceDemo(
        image=image,
        shifted=x_shifted[0, 0].numpy(),
        feature=feature[0, 0].numpy(),
        feature_of_shifted=feature_of_shifted[0, 0].numpy(),
        shift=shift,
        max_error=error,
    )
