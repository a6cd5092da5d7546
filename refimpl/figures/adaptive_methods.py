r"""Figure for the adaptive-methods page: every optimizer's path on three 2-D problems.

``optimizer-paths`` runs GD, momentum, Nesterov, AdaGrad, RMSprop, AdaDelta and Adam (all
``refimpl.optim``) on an ill-conditioned quadratic, on Rosenbrock's function and near a saddle,
and draws their paths on the loss contours. Data: ``refimpl.experiments.optimizer_paths``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from refimpl.experiments import optimizer_paths as op
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["optimizer_paths"]

COLORS = {
    "GD": style.PALETTE[6],
    "Momentum": style.PALETTE[0],
    "Nesterov": style.PALETTE[5],
    "AdaGrad": style.PALETTE[2],
    "RMSprop": style.PALETTE[3],
    "AdaDelta": style.PALETTE[4],
    "Adam": style.PALETTE[1],
}
#: Momentum methods dashed, adaptive methods solid.
LINESTYLES = {"Momentum": "--", "Nesterov": "--"}
TITLES = {
    "quadratic": r"Quadratic, $\kappa = 20$",
    "rosenbrock": "Rosenbrock",
    "saddle": r"Saddle $\frac{x^2 - y^2}{2} + \frac{y^4}{4}$",
}


def _contours(ax: plt.Axes, problem: op.Problem) -> None:
    x = np.linspace(*problem.xlim, 241)
    y = np.linspace(*problem.ylim, 241)
    X, Y = np.meshgrid(x, y)
    Z = problem.loss(torch.as_tensor(np.stack([X, Y], -1))).numpy()
    if problem.name == "rosenbrock":
        levels = np.geomspace(0.05, 500, 12)
    elif problem.name == "saddle":
        levels = np.linspace(-0.24, 2.0, 15)
    else:
        levels = 0.5 * 2.0 ** np.arange(-3, 8)
    ax.contour(X, Y, Z, levels=levels, colors=style.foreground(), linewidths=0.5, alpha=0.35)
    for m in problem.minima:
        ax.plot(*m, marker="*", ms=11, color=style.foreground(), ls="none")


@figure("optimizer-paths")
def optimizer_paths() -> Figure:
    """Seven optimizers on a quadratic, Rosenbrock and a saddle."""
    fig, axes = plt.subplots(1, 3, figsize=(11.0, 4.2))
    for ax, (name, problem) in zip(axes, op.PROBLEMS.items(), strict=True):
        _contours(ax, problem)
        for method, path in op.paths_on(name).items():
            ax.plot(
                path[:, 0],
                path[:, 1],
                lw=1.3,
                color=COLORS[method],
                ls=LINESTYLES.get(method, "-"),
                label=method,
                gid=f"path-{name}-{method}",
            )
        ax.plot(*problem.theta0, marker="o", ms=6, color=style.foreground(), ls="none")
        ax.set(xlim=problem.xlim, ylim=problem.ylim, xlabel="$x$")
        ax.set_title(f"{TITLES[name]}, {problem.steps} steps", fontsize=10)
        ax.grid(False)
    axes[0].set_ylabel("$y$")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=7, fontsize=9)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig
