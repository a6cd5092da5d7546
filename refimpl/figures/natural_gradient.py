r"""Figures for the natural-gradient page.

``natural-gradient-reparam``: gradient descent and natural gradient on a two-parameter
logistic regression, run in $w$ and in $\varphi$ with $w = B\varphi$, drawn in $w$ over the loss
contours, next to the loss curves of a small MLP classifier trained with gradient descent,
natural gradient (model and empirical Fisher), K-FAC and WoodFisher.
Data: ``refimpl.experiments.natural_gradient``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from refimpl.experiments import natural_gradient as ng
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["natural_gradient_reparam"]

#: The contour plot's window.
XLIM, YLIM = (-2.6, 5.0), (-4.0, 5.2)


@figure("natural-gradient-reparam")
def natural_gradient_reparam() -> Figure:
    """Paths in two parametrisations, and loss curves of the Fisher-based optimizers."""
    paths = ng.reparametrisation_paths()
    curves = ng.classifier_curves()
    fig, (ax, ax_loss) = plt.subplots(1, 2, figsize=(10.0, 4.2), width_ratios=(1.0, 1.1))

    X, y = ng.logistic_data()
    gx, gy = np.meshgrid(np.linspace(*XLIM, 161), np.linspace(*YLIM, 161))
    grid = torch.from_numpy(np.stack([gx, gy], axis=-1))  # (161, 161, 2)
    Z = ng.logistic_loss(grid.reshape(-1, 2), X, y).mean(-1).reshape(gx.shape).numpy()
    ax.contour(
        gx,
        gy,
        Z,
        levels=np.geomspace(Z.min() * 1.02, Z.max(), 12),
        colors=style.foreground(),
        linewidths=0.6,
        alpha=0.35,
    )
    styles = {
        "gradient descent in w": (style.PALETTE[0], "-", "o", 1.4),
        "gradient descent in φ, w = Bφ": (style.PALETTE[5], "--", "s", 1.4),
        "natural gradient in w": (style.PALETTE[3], "-", "o", 3.0),
        "natural gradient in φ, w = Bφ": (style.PALETTE[1], "--", "s", 1.4),
    }
    for path in paths:
        color, ls, marker, lw = styles[path.name]
        w = path.iterates
        ax.plot(
            w[:, 0],
            w[:, 1],
            color=color,
            ls=ls,
            lw=lw,
            marker=marker,
            ms=2.5,
            label=path.name,
            gid=f"ng-path-{path.name}",
        )
    ax.plot(*paths[0].iterates[0], marker="o", ms=7, color=style.foreground(), ls="none")
    ax.set(xlim=XLIM, ylim=YLIM, xlabel="$w_1$", ylabel="$w_2$")
    ax.grid(False)
    ax.legend(loc="lower left", fontsize=8)
    ax.set_title(
        f"logistic regression, {len(paths[0].iterates) - 1} steps, drawn in $w$", fontsize=10
    )

    colors = [style.PALETTE[i] for i in (0, 3, 1, 2, 4)]
    line_styles = ["-", "-", "-", "--", ":"]
    for curve, color, ls in zip(curves, colors, line_styles, strict=True):
        t = np.arange(len(curve.losses))
        ax_loss.plot(
            t,
            curve.losses,
            color=color,
            ls=ls,
            marker="o",
            ms=2.5,
            lw=1.5,
            label=curve.name,
            gid=f"ng-loss-{curve.name}",
        )
    ax_loss.set(xlabel="iteration $t$", ylabel="training cross-entropy", ylim=(0.0, None))
    ax_loss.set_title("2-8-3 tanh MLP, badly scaled inputs, full batch", fontsize=10)
    ax_loss.legend(fontsize=8)
    fig.tight_layout()
    return fig
