r"""Figure for the implicit-regularisation page: GD and SGD follow modified losses.

``implicit-regularization`` has three panels. Left: on the valley $L = \tfrac12(xy-1)^2$, whose
minima get sharper away from $x = y$, gradient descent bends towards the flatter minima, and the
flow of $\tilde L_{GD} = L + \tfrac{\epsilon}{4}\lVert\nabla L\rVert^2$ bends with it while the
flow of $L$ does not. Middle: the distance from GD to each flow at a fixed time against
$\epsilon$ (slopes 1 and 2). Right: epoch-end SGD iterates on a least-squares problem against the
flows of $L$ and $\tilde L_{SGD}$. Data from ``refimpl.experiments.implicit_regularization``.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments import implicit_regularization as ir
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["implicit_regularization"]


def _valley(ax: plt.Axes) -> None:
    run = ir.valley_runs()
    x = np.linspace(1.4, 2.0, 241)
    y = np.linspace(-0.4, 0.8, 241)
    X, Y = np.meshgrid(x, y)
    Z = 0.5 * (X * Y - 1.0) ** 2
    ax.contour(
        X, Y, Z, levels=[0.005, 0.02, 0.05, 0.1, 0.2, 0.3], colors=style.foreground(), alpha=0.3
    )
    xs = np.linspace(1.4, 2.0, 100)
    ax.plot(xs, 1.0 / xs, color=style.foreground(), lw=0.8, ls=":", label="minima $xy = 1$")
    gd, flow, mod = run.gd.numpy(), run.flow.numpy(), run.modified_flow.numpy()
    ax.plot(flow[:, 0], flow[:, 1], color=style.PALETTE[0], lw=1.8, label="flow on $L$")
    ax.plot(
        mod[:, 0],
        mod[:, 1],
        color=style.PALETTE[2],
        lw=1.8,
        ls="--",
        label=r"flow on $\tilde L_{GD}$",
    )
    ax.plot(
        gd[:, 0],
        gd[:, 1],
        color=style.PALETTE[3],
        marker="o",
        ms=2.5,
        lw=0.8,
        label=rf"GD, $\epsilon = {run.lr:g}$",
        gid="igr-valley-gd",
    )
    ax.set(
        xlim=(1.4, 2.0),
        ylim=(-0.4, 0.8),
        xlabel="$x$",
        ylabel="$y$",
        title=r"GD drifts to flatter minima",
    )
    ax.legend(fontsize=7, loc="lower left")
    ax.grid(False)


def _scaling(ax: plt.Axes) -> None:
    lrs, e_flow, e_mod = (t.numpy() for t in ir.valley_error_scaling())
    ax.loglog(
        lrs,
        e_flow,
        color=style.PALETTE[0],
        marker="o",
        label="GD vs flow on $L$",
        gid="igr-err-flow",
    )
    ax.loglog(
        lrs,
        e_mod,
        color=style.PALETTE[2],
        marker="s",
        ls="--",
        label=r"GD vs flow on $\tilde L_{GD}$",
        gid="igr-err-modified",
    )
    ax.loglog(
        lrs,
        e_flow[-1] * lrs / lrs[-1],
        color=style.foreground(),
        lw=0.6,
        ls=":",
        label=r"slopes $\epsilon$ and $\epsilon^2$",
    )
    ax.loglog(lrs, e_mod[-1] * (lrs / lrs[-1]) ** 2, color=style.foreground(), lw=0.6, ls=":")
    ax.xaxis.set_major_formatter(mpl.ticker.ScalarFormatter())
    ax.xaxis.set_minor_formatter(mpl.ticker.NullFormatter())
    ax.set_xticks(lrs)
    ax.set(
        xlabel=r"step size $\epsilon$",
        ylabel="distance at $t = 2$",
        title="Error: $O(\\epsilon)$ against $O(\\epsilon^2)$",
    )
    ax.legend(fontsize=7, loc="lower right")


def _sgd(ax: plt.Axes) -> None:
    run = ir.least_squares_sgd()
    epochs = np.arange(len(run.sgd_mean))[1:]
    for target, color, marker, name in (
        (run.flow, style.PALETTE[0], "o", "flow on $L$"),
        (run.modified_flow, style.PALETTE[2], "s", r"flow on $\tilde L_{SGD}$"),
    ):
        mean = (run.sgd_mean - target).norm(dim=-1).numpy()[1:]
        one = (run.sgd_one_order - target).norm(dim=-1).numpy()[1:]
        ax.semilogy(epochs, mean, color=color, marker=marker, label=f"mean SGD vs {name}")
        ax.semilogy(epochs, one, color=color, ls=":", lw=1.0, label=f"one batch order vs {name}")
    ax.set(
        xlabel="epoch",
        ylabel="distance of the epoch-end iterate",
        title=rf"SGD, $m = 4$ batches, $\epsilon = {run.lr:g}$",
    )
    ax.legend(fontsize=6.5, loc="lower left")


@figure("implicit-regularization")
def implicit_regularization() -> Figure:
    """GD and SGD against the flows of the loss and of the modified losses."""
    fig, axes = plt.subplots(1, 3, figsize=(12.0, 4.0))
    _valley(axes[0])
    _scaling(axes[1])
    _sgd(axes[2])
    fig.tight_layout()
    return fig
