r"""Figure for the supervised-learning page: four predictors' decisions on two moons.

``supervised-decisions``: a linear classifier, a one-hidden-layer MLP, 1-NN and 15-NN, each
panel showing the predicted class over the plane, the training points, and the test accuracy.
Data: ``refimpl.experiments.supervised``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from refimpl.experiments.supervised import GRID_EXTENT, decisions, two_moons
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["supervised_decisions"]


@figure("supervised-decisions")
def supervised_decisions() -> Figure:
    """Decision regions of two parametric and two non-parametric predictors."""
    x, y = two_moons(200, seed=0)
    cmap = ListedColormap([style.PALETTE[0], style.PALETTE[1]])
    fig, axes = plt.subplots(1, 4, figsize=(12.0, 3.3), sharex=True, sharey=True)
    for ax, d in zip(axes, decisions(), strict=True):
        ax.imshow(
            d.grid_labels,
            origin="lower",
            extent=GRID_EXTENT,
            cmap=cmap,
            alpha=0.3,
            aspect="auto",
            interpolation="nearest",
            vmin=0,
            vmax=1,
            gid=f"decision-{d.name}",
        )
        for c in (0, 1):
            pts = x[y == c].numpy()
            ax.scatter(pts[:, 0], pts[:, 1], s=7, color=style.PALETTE[c], edgecolors="none")
        ax.set_title(f"{d.name}\ntest accuracy {100 * d.test_accuracy:.1f}%", fontsize=9)
        ax.grid(False)
        ax.set(xlim=GRID_EXTENT[:2], ylim=GRID_EXTENT[2:], xlabel="$x_1$")
    axes[0].set_ylabel("$x_2$")
    fig.tight_layout()
    return fig
