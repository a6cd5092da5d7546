"""Figure for the convolutional-DBN page: a CRBM's learned filters, reconstructions and pooling.

``crbm-filters`` shows the eight 5×5 filters of a convolutional RBM with probabilistic
max-pooling trained by CD-1 on images of random bars, test images with their one-step
reconstructions, and the pooling units' probabilities for the first image, group by group.
Data come from ``refimpl.experiments.crbm``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments.crbm import train_crbm
from refimpl.figures.registry import figure

__all__ = ["crbm_filters"]


@figure("crbm-filters")
def crbm_filters() -> Figure:
    """Filters, reconstructions and pooled group activations of a CRBM trained on bars."""
    run = train_crbm()
    K = run.filters.shape[0]
    fig = Figure(figsize=(8.0, 3.9))
    axes = fig.subplots(3, K)
    for k, ax in enumerate(axes[0]):
        w = run.filters[k]
        lim = np.abs(w).max()
        ax.imshow(w, cmap="RdBu_r", vmin=-lim, vmax=lim)
        ax.set_title(f"filter {k + 1}", fontsize=8)
    for i, (ax_v, ax_r) in enumerate(zip(axes[1, 0::2], axes[1, 1::2], strict=True)):
        ax_v.imshow(run.images[i], cmap="gray", vmin=0, vmax=1)
        ax_v.set_title(f"image {i + 1}", fontsize=8)
        ax_r.imshow(run.reconstructions[i], cmap="gray", vmin=0, vmax=1)
        ax_r.set_title("reconstruction", fontsize=8)
    for k, ax in enumerate(axes[2]):
        ax.imshow(run.pooled[0, k], cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"$P(p^{{{k + 1}}}=1)$", fontsize=8)
    for ax in axes.flat:
        ax.set(xticks=[], yticks=[])
    fig.text(0.005, 0.83, "filters", rotation=90, va="center", fontsize=9)
    fig.text(0.005, 0.5, "$v$, $P(v|h)$", rotation=90, va="center", fontsize=9)
    fig.text(0.005, 0.17, "pooling, image 1", rotation=90, va="center", fontsize=9)
    fig.tight_layout(rect=(0.02, 0, 1, 1), h_pad=0.6)
    return fig
