r"""Figures for the sharpness page.

``sam-sharpness``: training loss and sharpness $\lambda_{\max}(\nabla^2 L)$ of a 2-16-1 ReLU
network trained by gradient descent and by SAM, and the sharpness of both solutions after
rescaling the hidden units by $\alpha$ (same function, same loss).
Data: ``refimpl.experiments.sharpness``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments import sharpness as sh
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["sam_sharpness"]

#: The rescaling factors $\alpha$ of the right panel.
ALPHAS: tuple[float, ...] = tuple(float(a) for a in np.geomspace(0.1, 10.0, 13).round(6))
#: Gradient descent's learning rate in ``sam_vs_gd`` (for the $2/\gamma$ line).
LR = 0.2


@figure("sam-sharpness")
def sam_sharpness() -> Figure:
    """Loss and sharpness along GD and SAM training, and sharpness under rescaling."""
    runs = sh.sam_vs_gd(lr=LR)
    losses, s_gd, s_sam = sh.rescaled_sharpness(ALPHAS)
    colors = (style.PALETTE[0], style.PALETTE[3])
    fig, (ax_loss, ax_sharp, ax_alpha) = plt.subplots(1, 3, figsize=(11.0, 3.8))
    for run, color in zip(runs, colors, strict=True):
        ax_loss.semilogy(
            np.arange(len(run.losses)),
            run.losses,
            color=color,
            lw=1.3,
            label=run.name,
            gid=f"sam-loss-{run.name}",
        )
        ax_sharp.plot(
            run.checkpoints,
            run.sharpness,
            color=color,
            marker="o",
            ms=3,
            lw=1.3,
            label=run.name,
            gid=f"sam-sharpness-{run.name}",
        )
    ax_loss.set(xlabel="step", ylabel="training MSE")
    ax_loss.set_title("training loss", fontsize=10)
    ax_loss.legend(fontsize=8)
    ax_sharp.axhline(2 / LR, color=style.foreground(), ls=":", lw=1)
    ax_sharp.annotate(
        r"$2/\gamma$", (0, 2 / LR), xytext=(10, 2 / LR + 0.4), color=style.foreground(), fontsize=9
    )
    ax_sharp.set(
        xlabel="step",
        ylabel=r"$\lambda_{\max}(\nabla^2 L)$",
        ylim=(0, 2 / LR * 1.25),
    )
    ax_sharp.set_title("sharpness during training", fontsize=10)

    ax_alpha.loglog(
        ALPHAS,
        s_gd,
        color=colors[0],
        marker="o",
        ms=3,
        lw=1.3,
        label="GD solution",
        gid="sam-alpha-gd",
    )
    ax_alpha.loglog(
        ALPHAS,
        s_sam,
        color=colors[1],
        marker="o",
        ms=3,
        lw=1.3,
        label="SAM solution",
        gid="sam-alpha-sam",
    )
    ax_alpha.set(
        xlabel=r"rescaling $\alpha$: $(\alpha W_1, \alpha b_1, W_2/\alpha)$",
        ylabel=r"$\lambda_{\max}(\nabla^2 L)$",
    )
    ax_alpha.set_title(f"rescaled: same function, loss {losses[0]:.4f}", fontsize=10)
    ax_alpha.legend(fontsize=8)
    fig.tight_layout()
    return fig
