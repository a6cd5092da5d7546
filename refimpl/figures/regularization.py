r"""Figure for the regularisation page: L2 against decoupled weight decay, and Powerpropagation.

``weight-decay-powerprop`` plots where Adam with an L2 term and AdamW settle on a diagonal
quadratic against each coordinate's curvature (with the penalised minimiser $h/(h+\lambda)$),
the sorted weight magnitudes after fitting a sparse regression with Powerpropagation for
$\alpha \in \{1, 2, 3\}$, and the training loss when only the $k$ largest weights are kept.
Data: ``refimpl.experiments.regularization``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments import regularization as reg
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["weight_decay_powerprop"]


@figure("weight-decay-powerprop")
def weight_decay_powerprop() -> Figure:
    """Adam + L2 vs AdamW per curvature; Powerprop weight magnitudes and pruning curves."""
    wd = reg.weight_decay_fixed_points()
    runs = reg.powerprop_runs()
    fig, (ax_wd, ax_w, ax_p) = plt.subplots(1, 3, figsize=(11.5, 3.8))

    h = wd["curvature"]
    ax_wd.semilogx(
        h, wd["ridge"], color=style.foreground(), lw=1.0, ls="--", label=r"$h/(h+\lambda)$"
    )
    ax_wd.semilogx(
        h, wd["Adam + L2"], "o", color=style.PALETTE[0], ms=5, label="Adam + L2", gid="wd-adam"
    )
    ax_wd.semilogx(h, wd["AdamW"], "s", color=style.PALETTE[1], ms=5, label="AdamW", gid="wd-adamw")
    ax_wd.set(xlabel="curvature $h_i$", ylabel=r"final $\theta_i$ (target 1)", ylim=(0, 1.05))
    ax_wd.set_title(r"Weight decay $\lambda = 0.1$ in Adam", fontsize=10)
    ax_wd.legend(fontsize=8, loc="lower right")

    for i, (alpha, w) in enumerate(runs.items()):
        color = style.PALETTE[(0, 2, 3)[i]]
        mags = np.sort(np.abs(w))[::-1]
        ax_w.semilogy(
            np.arange(1, len(w) + 1),
            mags,
            color=color,
            label=rf"$\alpha = {alpha:g}$",
            gid=f"pp-mag-{alpha:g}",
        )
        losses = reg.pruned_losses(w)
        ax_p.semilogy(
            np.arange(len(losses)),
            losses + 1e-12,
            color=color,
            label=rf"$\alpha = {alpha:g}$",
            gid=f"pp-prune-{alpha:g}",
        )
    ax_w.set(xlabel="rank", ylabel=r"$|w|$, sorted", ylim=(1e-6, 5))
    ax_w.set_title("Powerprop: final weight magnitudes", fontsize=10)
    ax_w.legend(fontsize=8, loc="lower left")
    ax_p.set(xlabel="weights kept $k$ (largest first)", ylabel="training loss after pruning")
    ax_p.set_title("Pruning the fitted model", fontsize=10)
    ax_p.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig
