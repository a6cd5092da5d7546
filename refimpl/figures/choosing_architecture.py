"""Figure of the choosing-an-architecture guide: generic and matched models against data size."""

from __future__ import annotations

from matplotlib.figure import Figure

from refimpl.experiments import choosing_architecture as ca
from refimpl.figures import style
from refimpl.figures.registry import figure


def _panel(ax, curves: ca.ArchitectureCurves, colors: tuple[str, str]) -> None:
    """Mean over seeds as a line, each seed as a faint dot."""
    for (name, scores), color in zip(curves.scores.items(), colors, strict=True):
        label = f"{name} ({curves.parameters[name]:,} parameters)"
        ax.plot(curves.sizes, scores.mean(0), "o-", color=color, label=label)
        for row in scores:
            ax.plot(curves.sizes, row, ".", color=color, alpha=0.4, markersize=5)
    ax.set_xscale("log", base=2)
    ax.set_xticks(curves.sizes, [str(n) for n in curves.sizes])
    ax.set_xlabel("training examples")
    ax.legend(fontsize=8)


@figure("choosing-architectures")
def choosing_architectures() -> Figure:
    """Test scores of a generic MLP and a model with the matching inductive bias, two tasks."""
    images = ca.image_comparison()
    sets = ca.set_comparison()
    fig = Figure(figsize=(9.6, 3.7))
    ax_a, ax_b = fig.subplots(1, 2)
    generic, matched = style.PALETTE[3], style.PALETTE[0]
    _panel(ax_a, images, (generic, matched))
    ax_a.axhline(0.5, color="0.5", linestyle=":", linewidth=1)
    ax_a.set_ylim(0.4, 1.02)
    ax_a.set_ylabel("test accuracy")
    ax_a.set_title("(a) translated patterns: + or × anywhere in 12×12", fontsize=9.5)
    _panel(ax_b, sets, (generic, matched))
    ax_b.axhline(1.0, color="0.5", linestyle=":", linewidth=1)
    ax_b.set_yscale("log")
    ax_b.set_ylabel("test MSE / variance of the target")
    ax_b.set_title(r"(b) sets: $y = \sum_i \sin(2x_i)/\sqrt{8}$, 8 elements", fontsize=9.5)
    fig.tight_layout()
    return fig
