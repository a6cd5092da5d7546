r"""Figures for the second-order page: the Newton family and gradient descent near a saddle.

``second-order-saddle`` draws the paths of gradient descent, Newton, damped Newton and
saddle-free Newton on $f(x, y) = x^2 + \tfrac14 y^4 - \tfrac12 y^2$ (saddle at the origin,
minima at $(0, \pm1)$) next to their loss curves. Data: ``refimpl.experiments.second_order``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from refimpl.experiments import second_order as so
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["second_order_saddle"]

#: Steps of every run.
STEPS = 40
#: The contour plot's window.
XLIM, YLIM = (-1.8, 1.0), (-0.6, 1.5)


@figure("second-order-saddle")
def second_order_saddle() -> Figure:
    """Paths and loss curves of GD and the Newton family near a saddle."""
    runs = so.saddle_runs(STEPS)
    colors = [style.PALETTE[i] for i in (0, 3, 4, 2)]
    fig, (ax, ax_loss) = plt.subplots(1, 2, figsize=(10.0, 4.0), width_ratios=(1.25, 1.0))

    x = np.linspace(*XLIM, 241)
    y = np.linspace(*YLIM, 241)
    X, Y = np.meshgrid(x, y)
    Z = so.saddle_function(torch.from_numpy(np.stack([X, Y], axis=-1))).numpy()  # (241, 241)
    levels = np.concatenate([np.linspace(-0.24, 0.0, 5)[:-1], [0.0], np.geomspace(0.1, 3.5, 7)])
    ax.contour(X, Y, Z, levels=levels, colors=style.foreground(), linewidths=0.6, alpha=0.35)
    ax.plot([0.0], [0.0], marker="x", ms=9, mew=2, color=style.foreground(), ls="none")
    ax.annotate("saddle", (0.0, 0.0), xytext=(0.08, -0.3), color=style.foreground(), fontsize=9)
    ax.plot([0.0], [1.0], marker="*", ms=12, color=style.foreground(), ls="none")
    ax.annotate("minimum", (0.0, 1.0), xytext=(0.1, 1.15), color=style.foreground(), fontsize=9)
    for run, color in zip(runs, colors, strict=True):
        path = run.iterates
        ax.plot(
            path[:, 0],
            path[:, 1],
            color=color,
            marker="o",
            ms=3,
            lw=1.3,
            label=run.name,
            gid=f"so-path-{run.name}",
        )
    ax.plot(*runs[0].iterates[0], marker="o", ms=7, color=style.foreground(), ls="none")
    ax.set(xlim=XLIM, ylim=YLIM, xlabel="$x$", ylabel="$y$", aspect="equal")
    ax.grid(False)
    ax.legend(loc="upper left", fontsize=8.5)
    ax.set_title(r"$f = x^2 + y^4/4 - y^2/2$, start near the ridge $y = 0$", fontsize=10)

    steps = np.arange(STEPS + 1)
    for run, color in zip(runs, colors, strict=True):
        gap = np.maximum(run.losses - so.SADDLE_MIN, 1e-16)
        ax_loss.semilogy(
            steps,
            gap,
            color=color,
            marker="o",
            ms=2.5,
            lw=1.3,
            label=run.name,
            gid=f"so-loss-{run.name}",
        )
    ax_loss.axhline(0.0 - so.SADDLE_MIN, color=style.foreground(), lw=0.8, ls=":")
    ax_loss.annotate(
        "loss at the saddle",
        (STEPS, 0.25),
        xytext=(STEPS * 0.45, 0.4),
        color=style.foreground(),
        fontsize=9,
    )
    ax_loss.set(xlabel="iteration $t$", ylabel=r"$f(\theta_t) - f_{\min}$", ylim=(1e-16, 10))
    ax_loss.set_title("loss above the minimum", fontsize=10)
    fig.tight_layout()
    return fig
