"""Figure for the convolutional-DBN page: the features of a greedily trained two-layer CDBN.

``cdbn-layers`` shows the first layer's 5×5 filters, the second layer's filters drawn in image
space as combinations of first-layer filters (Lee et al.'s visualisation), and for each
second-layer group the mean image patch on which it is most active. Data come from
``refimpl.experiments.cdbn``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments.cdbn import train_cdbn
from refimpl.figures.registry import figure

__all__ = ["cdbn_layers"]


@figure("cdbn-layers")
def cdbn_layers() -> Figure:
    """Layer-1 filters, layer-2 filters in image space, and layer-2 preferred patches."""
    run = train_cdbn()
    K = run.filters1.shape[0]
    fig = Figure(figsize=(8.0, 3.9))
    axes = fig.subplots(3, K)
    for k in range(K):
        for row, filters in enumerate((run.filters1, run.filters2_image)):
            w = filters[k]
            lim = np.abs(w).max()
            axes[row, k].imshow(w, cmap="RdBu_r", vmin=-lim, vmax=lim)
        axes[0, k].set_title(f"layer 1, group {k + 1}", fontsize=7)
        axes[1, k].set_title(f"layer 2, group {k + 1}", fontsize=7)
        axes[2, k].imshow(run.patches2[k], cmap="gray", vmin=0, vmax=1)
        axes[2, k].set_title(f"mean P(p)={run.activity2[k]:.2f}", fontsize=7)
    for ax in axes.flat:
        ax.set(xticks=[], yticks=[])
        ax.grid(False)
    fig.text(0.005, 0.84, "layer 1\n5×5", rotation=90, va="center", ha="left", fontsize=8)
    fig.text(0.005, 0.5, "layer 2 in\nimage space", rotation=90, va="center", fontsize=8)
    fig.text(0.005, 0.16, "layer 2: top\npatches", rotation=90, va="center", fontsize=8)
    fig.tight_layout(rect=(0.03, 0, 1, 1), h_pad=0.6)
    return fig
