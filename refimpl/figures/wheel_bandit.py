r"""Figure for the bilevel-learning page: the wheel bandit's reward regions.

``wheel-bandit``: contexts coloured by their best action for three radii $\delta$, and the
regret of always playing the safe action against $\delta$. Data from
``refimpl.experiments.wheel_bandit``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments.wheel_bandit import safe_regret_curve, wheel_regions
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["wheel_bandit"]


@figure("wheel-bandit")
def wheel_bandit() -> Figure:
    """Best action per context for three radii, and the safe action's regret against delta."""
    regions = wheel_regions()
    deltas = [k for k in regions if isinstance(k, float)]
    curve = safe_regret_curve()
    x = regions["x"]
    colours = [style.PALETTE[i] for i in (0, 1, 2, 4, 6)]
    fig, axes = plt.subplots(1, len(deltas) + 1, figsize=(12.5, 3.8))
    angle = np.linspace(0, 2 * np.pi, 200)
    for ax, delta in zip(axes, deltas, strict=False):
        best = regions[delta]
        for a in range(5):
            sel = best == a
            label = "safe action 5" if a == 4 else f"action {a + 1}"
            ax.scatter(x[sel, 0], x[sel, 1], s=2, color=colours[a], label=label, rasterized=True)
        ax.plot(delta * np.cos(angle), delta * np.sin(angle), color=style.foreground(), lw=0.8)
        ax.set_aspect("equal")
        ax.set(xticks=[-1, 0, 1], yticks=[-1, 0, 1])
        ax.set_title(
            rf"({'abc'[deltas.index(delta)]}) $\delta = {delta:g}$: outer {1 - delta**2:.0%}",
            fontsize=10,
        )
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(
        handles, labels, loc="lower center", ncol=5, fontsize=8, markerscale=4, frameon=False
    )
    ax = axes[-1]
    ax.plot(
        curve["delta"],
        curve["closed_form"],
        color=style.foreground(),
        lw=1.2,
        label=r"$(1-\delta^2)(50 - 1.2)$",
    )
    ax.plot(curve["delta"], curve["sampled"], "o", ms=3.5, color=style.PALETTE[3], label="sampled")
    ax.set(xlabel=r"$\delta$", ylabel="regret per step")
    ax.set_title("(d) regret of never exploring", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig
