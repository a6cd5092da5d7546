"""Figure of the choosing-an-optimizer guide: tuned GD, momentum and Adam on three problems."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments import choosing as ch
from refimpl.figures import style
from refimpl.figures.registry import figure


@figure("choosing-optimizers")
def choosing_optimizers() -> Figure:
    """Loss curves of the best-tuned run of each optimizer on three problems."""
    res = ch.optimizer_comparison()
    fig = Figure(figsize=(10.4, 3.6))
    axes = fig.subplots(1, 3)
    colors = dict(
        zip(ch.OPTIMIZERS, (style.PALETTE[3], style.PALETTE[0], style.PALETTE[2]), strict=True)
    )
    for ax, problem, tag in zip(axes, res.problems, "abc", strict=True):
        for name in ch.OPTIMIZERS:
            loss = res.curves[problem][name]
            lr = res.best_lr[problem][name]
            ax.semilogy(
                np.arange(len(loss)), loss, color=colors[name], label=f"{name} ($\\gamma={lr:g}$)"
            )
        ax.set_title(f"({tag}) {problem}", fontsize=9.5)
        ax.set_xlabel("step")
        ax.legend(fontsize=8)
    axes[0].set_ylabel(r"$L(\theta) - L(\theta^\star)$")
    axes[1].set_ylabel("training loss")
    axes[2].set_ylabel("training loss (full batch)")
    fig.tight_layout()
    return fig
