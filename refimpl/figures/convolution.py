r"""Figures for the convolutional-networks page: the circulant matrix and translation equivariance.

``conv-circulant`` draws the matrix of a 1-D circular convolution next to the same matrix in the
Fourier basis (diagonal) and a dense random matrix in that basis (not diagonal).
``conv-equivariance`` shows an edge detector's feature maps for an image and a shifted copy.
Data come from ``refimpl.experiments.convolution``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from refimpl.experiments.convolution import conv_matrix, equivariance_demo
from refimpl.figures.registry import figure

__all__ = ["conv_circulant", "conv_equivariance"]

N = 16
KERNEL = (1.0, -2.0, 0.5)


def _fourier(matrix: np.ndarray) -> np.ndarray:
    """|F M F^{-1}| for the unitary DFT F."""
    F = np.fft.fft(np.eye(len(matrix)), norm="ortho")
    return np.abs(F @ matrix @ np.conj(F.T))


@figure("conv-circulant")
def conv_circulant() -> Figure:
    """The circulant matrix of a circular convolution and its diagonal Fourier form."""
    C = conv_matrix(torch.tensor(KERNEL, dtype=torch.float64), N).numpy()
    dense = np.random.default_rng(0).normal(size=(N, N))
    fig, axes = plt.subplots(1, 3, figsize=(9.6, 3.5))
    limit = np.abs(C).max()
    im = axes[0].imshow(C, cmap="RdBu_r", vmin=-limit, vmax=limit)
    axes[0].set_title(f"convolution matrix $C$\n(kernel {list(KERNEL)}, circular)", fontsize=10)
    fig.colorbar(im, ax=axes[0], fraction=0.046, pad=0.04)
    for ax, matrix, title in (
        (axes[1], C, r"$|F\,C\,F^{-1}|$: diagonal"),
        (axes[2], dense, r"dense random $M$: $|F\,M\,F^{-1}|$"),
    ):
        im = ax.imshow(_fourier(matrix), cmap="viridis")
        ax.set_title(title, fontsize=10)
        fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    for ax in axes:
        ax.set(xticks=[], yticks=[])
        ax.grid(False)
    fig.tight_layout()
    return fig


@figure("conv-equivariance")
def conv_equivariance() -> Figure:
    """Feature maps of an image and of a shifted copy: the map moves with the input."""
    demo = equivariance_demo()
    fig, axes = plt.subplots(2, 2, figsize=(6.4, 6.0))
    limit = np.abs(demo.feature).max()
    dy, dx = demo.shift
    panels = (
        (demo.image, "input $x$", "gray", None),
        (demo.feature, "feature map $k \\star x$", "RdBu_r", limit),
        (demo.shifted, f"shifted input $S x$ ({dy} down, {dx} right)", "gray", None),
        (demo.feature_of_shifted, "$k \\star (S x) = S(k \\star x)$", "RdBu_r", limit),
    )
    for ax, (data, title, cmap, lim) in zip(axes.flat, panels, strict=True):
        kwargs = {"vmin": -lim, "vmax": lim} if lim else {}
        ax.imshow(data, cmap=cmap, **kwargs)
        ax.set_title(title, fontsize=10)
        ax.set(xticks=[], yticks=[])
        ax.grid(False)
    fig.suptitle(rf"largest $|S(k \star x) - k \star (S x)|$ = {demo.max_error:.1g}", fontsize=10)
    fig.tight_layout()
    return fig
