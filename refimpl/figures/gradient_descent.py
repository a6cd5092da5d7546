r"""Figures for the gradient-descent page: step size versus stability on a quadratic.

``gd-step-sizes`` draws gradient-descent paths on the contours of an ill-conditioned 2-D
quadratic for a step that is too small, the optimal constant step
$\gamma^\star = 2/(\lambda_{\min}+\lambda_{\max})$ and a step just past the stability limit
$2/\lambda_{\max}$. ``gd-loss-curves`` shows the loss against the iteration for step sizes on
both sides of the limit, next to the contraction factor $\max_i|1-\gamma\lambda_i|$ that predicts
those slopes. All data come from ``refimpl.experiments.gradient_descent``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from refimpl.experiments import gradient_descent as gd
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["gd_loss_curves", "gd_step_sizes"]

#: Steps run for the contour plot (a diverging path is drawn until it leaves the frame).
STEP_SIZE_STEPS = 30
#: The contour plot's window.
XLIM, YLIM = (-5.0, 5.0), (-4.0, 4.0)
#: Steps of the loss curves.
LOSS_CURVE_STEPS = 100
#: Step sizes of the loss curves, as fractions of 2/λ_max (the optimal one is added).
LOSS_CURVE_RATIOS = (0.1, 0.5, 0.99, 1.02)
#: Step sizes of the contraction-factor sweep, as fractions of 2/λ_max.
SWEEP_RATIOS = tuple(float(r) for r in np.round(np.linspace(0.025, 1.15, 46), 4))


def _optimal_ratio() -> float:
    """γ* = 2/(λ_min + λ_max) expressed as a fraction of 2/λ_max."""
    problem = gd.demo_problem()
    return round(gd.optimal_step_size(problem) * problem.lambda_max / 2.0, 12)


def _ratio_label(r: float) -> str:
    return rf"$\gamma = {r:.2f}\cdot 2/\lambda_{{\max}}$"


def _inside_prefix(path: np.ndarray) -> np.ndarray:
    """The iterates up to and including the first one outside the window."""
    outside = (np.abs(path[:, 0]) > XLIM[1]) | (np.abs(path[:, 1]) > YLIM[1])
    stop = int(np.argmax(outside)) + 1 if outside.any() else len(path)
    return path[:stop]


def _contours(ax: plt.Axes, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
    """Level sets of the demo quadratic, in the current scheme's ink colour."""
    problem = gd.demo_problem()
    x = np.linspace(*xlim, 201)
    y = np.linspace(*ylim, 201)
    X, Y = np.meshgrid(x, y)
    grid = torch.as_tensor(np.stack([X, Y], axis=-1), dtype=problem.A.dtype)  # (201, 201, 2)
    Z = problem.suboptimality(grid).numpy()  # (201, 201)
    levels = 0.5 * 2.0 ** np.arange(-3, 8)
    ax.contour(X, Y, Z, levels=levels, colors=style.foreground(), linewidths=0.6, alpha=0.35)
    ax.plot(*problem.minimiser.numpy(), marker="*", ms=11, color=style.foreground(), ls="none")


@figure("gd-step-sizes")
def gd_step_sizes() -> Figure:
    """Gradient-descent paths on an ill-conditioned quadratic for three step sizes."""
    r_opt = _optimal_ratio()
    cases = (
        (0.1, "too small: crawls", style.PALETTE[0]),
        (r_opt, "optimal: zig-zags in", style.PALETTE[2]),
        (1.05, "too large: diverges", style.PALETTE[3]),
    )
    runs = gd.step_size_trajectories(tuple(r for r, _, _ in cases), STEP_SIZE_STEPS)
    fig, axes = plt.subplots(1, 3, figsize=(9.6, 3.7), sharex=True, sharey=True)
    for ax, (r, verdict, color) in zip(axes, cases, strict=True):
        _contours(ax, XLIM, YLIM)
        path = _inside_prefix(runs[r].iterates)
        ax.plot(path[:, 0], path[:, 1], color=color, marker="o", ms=3, lw=1.4, gid=f"gd-path-{r}")
        ax.plot(*path[0], marker="o", ms=7, color=color, ls="none")
        if len(path) < STEP_SIZE_STEPS + 1:
            verdict += f" (out after {len(path) - 1} steps)"
        ax.set(xlim=XLIM, ylim=YLIM, aspect="equal", xlabel=r"$\theta_1$")
        ax.set_title(f"{verdict}\n{_ratio_label(r)}", fontsize=10)
        ax.grid(False)
    axes[0].set_ylabel(r"$\theta_2$")
    kappa = gd.DEMO_CONDITION_NUMBER
    fig.suptitle(
        rf"Gradient descent, {STEP_SIZE_STEPS} steps, on a quadratic with $\kappa = {kappa:g}$",
        fontsize=11,
    )
    fig.tight_layout()
    return fig


@figure("gd-loss-curves")
def gd_loss_curves() -> Figure:
    """Loss against iteration across the stability limit, and the predicted contraction."""
    r_opt = _optimal_ratio()
    ratios = tuple(sorted((*LOSS_CURVE_RATIOS, r_opt)))
    runs = gd.step_size_trajectories(ratios, LOSS_CURVE_STEPS)
    sweep = gd.stability_sweep(SWEEP_RATIOS)
    problem = gd.demo_problem()
    fig, (ax_loss, ax_rate) = plt.subplots(1, 2, figsize=(9.6, 3.8))

    colors = dict(zip(ratios, [style.PALETTE[i] for i in (0, 4, 2, 1, 3)], strict=True))
    for r in ratios:
        run = runs[r]
        label = _ratio_label(r) + (" (optimal)" if r == r_opt else "")
        steps = np.arange(len(run.suboptimality))
        ax_loss.semilogy(
            steps,
            run.suboptimality,
            color=colors[r],
            ls="--" if r > 1.0 else "-",
            label=label,
            gid=f"gd-loss-{r}",
        )
    ax_loss.set(xlabel="iteration $t$", ylabel=r"$L(\theta_t) - L(\theta^\star)$")
    ax_loss.set_title("(a) loss along the run", fontsize=10)
    ax_loss.legend(fontsize=8, loc="lower left")

    r_dense = np.linspace(0.0, SWEEP_RATIOS[-1], 400)
    lam = problem.eigenvalues.numpy()
    gamma = r_dense * 2.0 / problem.lambda_max
    ink = style.foreground()
    for lam_i, name in ((lam[0], r"\min"), (lam[-1], r"\max")):
        ax_rate.plot(
            r_dense,
            gd.contraction_factor([lam_i], gamma),
            color=ink,
            lw=0.8,
            ls=":",
            alpha=0.7,
            label=rf"$|1-\gamma\lambda_{{{name}}}|$",
        )
    ax_rate.plot(
        r_dense,
        gd.contraction_factor(lam, gamma),
        color=style.PALETTE[0],
        lw=2.8,
        label=r"predicted $\max_i|1-\gamma\lambda_i|$",
    )
    ax_rate.plot(
        sweep.ratios,
        sweep.empirical_rate,
        ls="none",
        marker="o",
        ms=2.8,
        color=style.PALETTE[1],
        label="measured (200 GD steps)",
        gid="gd-measured-rate",
    )
    ax_rate.axhline(1.0, color=ink, lw=0.8)
    ax_rate.axvspan(1.0, SWEEP_RATIOS[-1], color=style.PALETTE[3], alpha=0.15, lw=0)
    ax_rate.text(1.03, 0.25, "diverges", color=style.PALETTE[3], rotation=90, fontsize=9)
    ax_rate.plot(r_opt, gd.optimal_rate(problem), marker="*", ms=11, color=style.PALETTE[2])
    ax_rate.annotate(
        r"$\gamma^\star$: $\frac{\kappa-1}{\kappa+1}$",
        (r_opt, gd.optimal_rate(problem)),
        xytext=(0.38, 0.68),
        arrowprops={"arrowstyle": "->", "color": ink, "lw": 0.8},
        fontsize=10,
    )
    ax_rate.set(
        xlim=(0.0, SWEEP_RATIOS[-1]),
        ylim=(0.0, 1.6),
        xlabel=r"step size $\gamma \,/\, (2/\lambda_{\max})$",
        ylabel="contraction per step",
    )
    ax_rate.set_title("(b) convergence rate vs step size", fontsize=10)
    ax_rate.legend(fontsize=8, loc="upper left", ncol=2)
    fig.tight_layout()
    return fig
