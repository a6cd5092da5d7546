"""Figures of the flatness guide: sharpness by optimizer, and sharpness under reparametrisation."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments import flatness as fl
from refimpl.figures import style
from refimpl.figures.registry import figure

C = style.PALETTE


@figure("flatness-optimizers")
def flatness_optimizers() -> Figure:
    """Sharpness along training for SGD, GD and SAM at the same step size."""
    runs = fl.sharpness_runs()
    lr = 0.05
    fig = Figure(figsize=(6.8, 3.8))
    ax = fig.subplots()
    for run, color in zip(runs, (C[0], C[3], C[2]), strict=True):
        label = f"{run.label} (train {run.train_loss:.3f}, test {run.test_loss:.3f})"
        ax.plot(run.steps, run.sharpness, color=color, marker="o", ms=3, label=label)
    ax.axhline(2 / lr, color=style.foreground(), ls="--", lw=1)
    ax.text(0, 2 / lr + 1, r"stability limit $2/\gamma$", fontsize=9, va="bottom")
    ax.set(xlabel="step", ylabel=r"sharpness $\lambda_{\max}$", ylim=(0, 2 / lr * 1.25))
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(rf"Same network, same step $\gamma = {lr}$: sharpness along training", fontsize=10)
    fig.tight_layout()
    return fig


@figure("flatness-reparametrisation")
def flatness_reparametrisation() -> Figure:
    """One function, many sharpnesses; raw slices change with α, filter-normalised ones do not."""
    res = fl.rescaling_experiment()
    fig = Figure(figsize=(9.6, 3.7))
    ax_s, ax_l = fig.subplots(1, 2)
    ax_s.loglog(res.alphas, res.sharpness, "o-", color=C[0], ms=4, label=r"$\lambda_{\max}$")
    ax_s.set(xlabel=r"rescaling factor $\alpha$", ylabel=r"sharpness $\lambda_{\max}$")
    twin = ax_s.twinx()
    twin.semilogx(res.alphas, res.loss, "s", color=C[1], ms=3, label="training loss")
    lo = float(res.loss.mean())
    twin.set(ylim=(0, 2 * lo))
    twin.set_ylabel("training loss (squares)", fontsize=9)
    twin.grid(False)
    ax_s.set_title(r"(a) $(\alpha W_1, \alpha b_1, W_2/\alpha)$: same function", fontsize=10)
    colors = (C[3], C[2], C[4])
    for a, raw, filt, color in zip(
        res.slice_alphas, res.raw_slices, res.filter_slices, colors, strict=True
    ):
        ax_l.semilogy(
            res.t, raw, color=color, ls="--", lw=1.3, label=rf"unit direction, $\alpha={a:g}$"
        )
        ax_l.semilogy(
            res.t,
            filt,
            color=color,
            lw=2.5 - 0.7 * colors.index(color),
            alpha=0.8,
            label=rf"filter-normalised, $\alpha={a:g}$",
        )
    ax_l.set(xlabel=r"step $t$ along the direction", ylabel=r"$L(T_\alpha\theta + t\,d)$")
    ax_l.legend(fontsize=7.5, loc="upper center", ncol=2)
    ax_l.set_ylim(top=float(np.max(res.raw_slices)) * 30)
    ax_l.set_title("(b) 1-D loss slices at three of them", fontsize=10)
    fig.tight_layout()
    return fig
