r"""Figures for the linear-regions page.

``zaslavsky-regions``: the cells of six random lines (a one-hidden-layer ReLU net with six
units on 2-D inputs) and the count by vertex sampling against $\sum_{j \le d}\binom mj$ for
$d = 2, 3$. ``tent-folding``: the $L$-fold tent map and its $2^L$ pieces against the $2L+1$
pieces a shallow net of the same size can reach at most. ``relu-region-partition``: the linear
regions of a random shallow and a random deep ReLU net with 24 hidden units each.
Data: ``refimpl.experiments.linear_regions``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from refimpl.experiments.linear_regions import (
    count_arrangement_regions,
    count_pieces,
    region_map,
    tent_network,
    zaslavsky_count,
)
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["relu_region_partition", "tent_folding", "zaslavsky_regions"]

M_VALUES = (3, 4, 5, 6, 7, 8, 9, 10, 12)


def _shuffled(labels: np.ndarray, seed: int = 0) -> np.ndarray:
    """Region labels in random order, so neighbouring regions get distant colours."""
    perm = np.random.default_rng(seed).permutation(labels.max() + 1)
    return perm[labels]


@figure("zaslavsky-regions")
def zaslavsky_regions() -> Figure:
    """Six lines and their cells; the vertex-sampling count against Zaslavsky's formula."""
    rng = np.random.default_rng(0)  # the same lines as count_arrangement_regions(6, 2, seed=0)
    W, b = rng.normal(size=(6, 2)), rng.normal(size=6)
    fig, (ax_cells, ax_count) = plt.subplots(1, 2, figsize=(9.6, 4.0))
    s = np.linspace(-4, 4, 400)
    X1, X2 = np.meshgrid(s, s)
    pts = np.stack([X1.ravel(), X2.ravel()], 1)
    patterns = (pts @ W.T + b) > 0
    _, labels = np.unique(patterns, axis=0, return_inverse=True)
    ax_cells.imshow(
        _shuffled(labels.reshape(400, 400)),
        origin="lower",
        extent=(-4, 4, -4, 4),
        cmap="tab20",
        alpha=0.55,
        interpolation="nearest",
    )
    for w, c in zip(W, b, strict=True):  # the line w·x + c = 0
        ax_cells.plot(s, -(w[0] * s + c) / w[1], color=style.foreground(), lw=0.9)
    ax_cells.set(xlim=(-4, 4), ylim=(-4, 4), xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    found = count_arrangement_regions(6, 2, seed=0)
    ax_cells.set_title(f"6 units: {found} cells (formula: {zaslavsky_count(6, 2)})", fontsize=10)
    ax_cells.grid(False)

    m = np.arange(1, M_VALUES[-1] + 1)
    for d, color in ((2, style.PALETTE[0]), (3, style.PALETTE[2])):
        ax_count.plot(
            m,
            [zaslavsky_count(k, d) for k in m],
            color=color,
            label=f"formula, $d = {d}$",
        )
        counts = [count_arrangement_regions(k, d, seed=1) for k in M_VALUES]
        ax_count.plot(
            M_VALUES,
            counts,
            ls="none",
            marker="o",
            mfc="none",
            color=color,
            label=f"sampled, $d = {d}$",
            gid=f"zaslavsky-d{d}",
        )
    ax_count.plot(m, 2.0**m, ls=":", color=style.foreground(), lw=0.8, label="$2^m$ patterns")
    ax_count.set(xlabel="hidden units $m$", ylabel="linear regions", yscale="log", ylim=(1, 1e4))
    ax_count.legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure("tent-folding")
def tent_folding() -> Figure:
    """The folded tent maps and their piece counts against depth."""
    fig, (ax_maps, ax_count) = plt.subplots(1, 2, figsize=(9.6, 3.8))
    depths = (1, 2, 3, 4)
    x = np.linspace(0, 1, 2**10 + 1)
    for L, color in zip(depths, style.PALETTE, strict=False):
        with torch.no_grad():
            v = tent_network(L)(torch.tensor(x)[:, None])[:, 0].numpy()
        ax_maps.plot(
            x,
            v,
            color=color,
            lw=1.3,
            label=f"$L = {L}$: {count_pieces(v, x)} pieces",
            gid=f"tent-{L}",
        )
    ax_maps.set(xlabel="$x$", ylabel=r"$t^{\circ L}(x)$")
    ax_maps.legend(fontsize=8, loc="upper right", ncol=2)
    ax_maps.set_ylim(-0.05, 1.35)

    L = np.arange(1, 9)
    deep = []
    for depth in L:
        xs = np.linspace(0, 1, 2 ** (depth + 3) + 1)
        with torch.no_grad():
            v = tent_network(int(depth))(torch.tensor(xs)[:, None])[:, 0].numpy()
        deep.append(count_pieces(v, xs))
    ax_count.semilogy(
        L,
        deep,
        "o-",
        color=style.PALETTE[3],
        label="deep: $L$ layers of 2 ReLUs",
        gid="deep-pieces",
    )
    ax_count.semilogy(
        L,
        2 * L + 1,
        "s--",
        color=style.PALETTE[0],
        label="shallow: 1 layer of $2L$ ReLUs (at most)",
    )
    ax_count.set(xlabel="depth $L$ (hidden units $2L$)", ylabel="linear pieces on $[0, 1]$")
    ax_count.legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure("relu-region-partition")
def relu_region_partition() -> Figure:
    """Linear regions of a random shallow (24) and deep (8-8-8) ReLU network."""
    fig, axes = plt.subplots(1, 2, figsize=(9.0, 4.3))
    for ax, hidden, name in zip(
        axes, ((24,), (8, 8, 8)), ("shallow: 24", "deep: 8, 8, 8"), strict=True
    ):
        rm = region_map(hidden)
        ax.imshow(
            _shuffled(rm.labels),
            origin="lower",
            extent=rm.extent,
            cmap="tab20",
            interpolation="nearest",
            gid=f"regions-{'-'.join(map(str, hidden))}",
        )
        ax.set_title(f"{name} hidden units: {rm.n_regions} regions", fontsize=10)
        ax.set(xlabel="$x_1$", ylabel="$x_2$")
        ax.grid(False)
    fig.tight_layout()
    return fig
