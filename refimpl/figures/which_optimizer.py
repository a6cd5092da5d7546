r"""Figures for the "Which optimizer?" page: every optimizer of ``refimpl.optim`` compared.

``which-optimizer-quadratic``, ``which-optimizer-rosenbrock``, ``which-optimizer-saddle``: the
paths of all methods on one 2-D problem, one panel per family, each first-order method at the
learning rate of its grid with the lowest final loss. ``which-optimizer-cost``: the loss of a
small ReLU classifier against steps and against floating-point operations, one method per family.
Data: ``refimpl.experiments.which_optimizer`` and ``refimpl.experiments.optimizer_cost``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from refimpl.experiments import optimizer_cost as oc
from refimpl.experiments import which_optimizer as wo
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = [
    "which_optimizer_cost",
    "which_optimizer_path_sgd",
    "which_optimizer_paths",
    "which_optimizer_quadratic",
    "which_optimizer_rosenbrock",
    "which_optimizer_saddle",
]

#: Colour and line style of every method, the same on all three problems.
STYLES: dict[str, tuple[str, str]] = {}
for _family in wo.FAMILIES:
    _members = [m for m in wo.PATH_METHODS if m.family == _family]
    for _i, _m in enumerate(_members):
        STYLES[_m.name] = (style.PALETTE[_i], "-")
# methods that coincide with another one by an identity are drawn dashed on top of it
for _name in ("EMAMomentum (α = 0.9)", "KFAC (λ = 1e-3)"):
    STYLES[_name] = (STYLES[_name][0], (0, (4, 3)))

TITLES = {
    "quadratic": r"quadratic, $\kappa = 50$, rotated 30°",
    "rosenbrock": r"Rosenbrock $(1-x)^2 + 100(y-x^2)^2$",
    "saddle": r"saddle $\frac{1}{2}x^2 - \frac{1}{2}y^2 + \frac{1}{4}y^4$",
}


def _contours(ax: plt.Axes, problem_name: str) -> None:
    problem = wo.PROBLEMS[problem_name]
    x = np.linspace(*problem.xlim, 201)
    y = np.linspace(*problem.ylim, 201)
    X, Y = np.meshgrid(x, y)
    Z = problem.loss(torch.as_tensor(np.stack([X, Y], -1))).numpy()
    if problem_name == "rosenbrock":
        levels = np.geomspace(0.05, 500, 12)
    elif problem_name == "saddle":
        levels = np.linspace(-0.24, 2.0, 15)
    else:
        levels = 0.25 * 2.0 ** np.arange(0, 10)
    ax.contour(X, Y, Z, levels=levels, colors=style.foreground(), linewidths=0.5, alpha=0.3)
    for m in problem.minima:
        ax.plot(*m, marker="*", ms=12, color=style.foreground(), ls="none", zorder=5)
    ax.plot(*problem.theta0, marker="o", ms=6, color=style.foreground(), ls="none", zorder=5)
    ax.set(xlim=problem.xlim, ylim=problem.ylim)
    ax.grid(False)


def _label(run: wo.TunedPath, minimum: float) -> str:
    gap = float(run.losses[-1]) - minimum
    tail = f"{gap:.2g}" if gap > 0 else "0"
    if run.method.tune == "lr":
        return f"{run.method.name}, γ = {run.chosen:g}: {tail}"
    if run.method.tune == "damping":
        return f"{run.method.name}, λ = {run.chosen:g}: {tail}"
    return f"{run.method.name}: {tail}"


def which_optimizer_paths(problem_name: str) -> Figure:
    """All methods on one problem: a 2 × 2 grid of panels, one per family."""
    problem = wo.PROBLEMS[problem_name]
    minimum = -0.25 if problem_name == "saddle" else 0.0
    runs = wo.tuned_paths(problem_name)
    fig, axes = plt.subplots(2, 2, figsize=(10.0, 10.0))
    for ax, family in zip(axes.flat, wo.FAMILIES, strict=True):
        _contours(ax, problem_name)
        for run in (r for r in runs if r.method.family == family):
            color, ls = STYLES[run.method.name]
            curvature = run.method.tune != "lr"
            ax.plot(
                run.iterates[:, 0],
                run.iterates[:, 1],
                color=color,
                ls=ls,
                lw=1.4,
                marker="." if curvature else None,
                ms=5,
                label=_label(run, minimum),
                gid=f"path-{problem_name}-{run.method.name}",
            )
        steps = wo.CURVATURE_STEPS if family == "curvature" else problem.steps
        ax.set_title(f"{family} ({steps} steps)", fontsize=10)
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.06),
            ncol=1,
            fontsize=8,
            handlelength=2.4,
            title="method, chosen value: final L − L*",
            title_fontsize=8,
        )
    fig.suptitle(TITLES[problem_name], fontsize=11)
    fig.tight_layout(h_pad=1.0)
    return fig


@figure("which-optimizer-quadratic")
def which_optimizer_quadratic() -> Figure:
    """Every optimizer on the rotated quadratic with condition number 50."""
    return which_optimizer_paths("quadratic")


@figure("which-optimizer-rosenbrock")
def which_optimizer_rosenbrock() -> Figure:
    """Every optimizer on Rosenbrock's function."""
    return which_optimizer_paths("rosenbrock")


@figure("which-optimizer-saddle")
def which_optimizer_saddle() -> Figure:
    """Every optimizer near a saddle with two minima."""
    return which_optimizer_paths("saddle")


#: The two rows of the cost figure; plain SGD is repeated in the second as the reference.
COST_ROWS: tuple[tuple[str, ...], ...] = (
    (
        "SGD (γ = 0.3)",
        "heavy ball (γ = 0.1, μ = 0.9)",
        "Adam (γ = 0.03)",
        "SAM (heavy ball, ρ = 0.05)",
        "PathSGD (γ = 0.3)",
    ),
    (
        "SGD (γ = 0.3)",
        "SaddleFreeNewton (η = 0.1)",
        "NaturalGradient (λ = 1e-2)",
        "KFAC (λ = 1e-2)",
        "WoodFisher (λ = 1e-2)",
    ),
)


@figure("which-optimizer-cost")
def which_optimizer_cost() -> Figure:
    """Loss against steps and against flops, first-order and curvature methods."""
    runs = {r.name: r for r in oc.cost_runs()}
    sgd_flops = runs[COST_ROWS[0][0]].flops[-1]
    fig, axes = plt.subplots(2, 2, figsize=(10.0, 7.2), sharey=True)
    for row, names in zip(axes, COST_ROWS, strict=True):
        for i, name in enumerate(names):
            run = runs[name]
            color = style.PALETTE[6] if i == 0 else style.PALETTE[i - 1]
            steps = np.arange(len(run.losses))
            # flops per step after the first (heavy ball's first step skips the momentum update)
            ratio = run.flops[-1] / sgd_flops
            label = f"{name}: ×{ratio:.3g}" if i else f"{name}: ×1"
            row[0].plot(steps, run.losses, color=color)
            # flops spent after t steps; t = 0 (no flops) is off the log axis
            row[1].plot(np.cumsum(run.flops), run.losses[1:], color=color, label=label)
        row[0].set(yscale="log", xlabel="step", ylabel="training loss (cross-entropy)")
        row[1].set(xscale="log", xlabel="floating-point operations (counted, cumulative)")
        row[1].legend(
            fontsize=8, loc="lower left", title="flops per step ÷ SGD's", title_fontsize=8
        )
    axes[0][0].set_title("first-order methods: loss per step", fontsize=10)
    axes[0][1].set_title("… and per floating-point operation", fontsize=10)
    axes[1][0].set_title("curvature methods: loss per step", fontsize=10)
    axes[1][1].set_title("… and per floating-point operation", fontsize=10)
    fig.tight_layout()
    return fig


@figure("which-optimizer-path-sgd")
def which_optimizer_path_sgd() -> Figure:
    """SGD and Path-SGD on one ReLU network in three node scalings."""
    runs = oc.path_sgd_rescaling_runs()
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    styles = {
        "balanced": ("-", 2.6),
        "rescaled by c": ((0, (5, 3)), 1.6),
        "rescaled by 1/c": ((0, (1, 2)), 1.6),
    }
    for name, losses in runs.items():
        opt_name, net_name = name.split(", ")
        color = style.PALETTE[6] if opt_name == "SGD" else style.PALETTE[3]
        ls, lw = styles[net_name]
        ax.plot(losses, color=color, ls=ls, lw=lw, label=name)
    ax.set(yscale="log", xlabel="step", ylabel="training loss (cross-entropy)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
