r"""Figure for the biologically-plausible-learning page.

``credit-assignment-comparison``: (a) the angle between feedback alignment's hidden-layer
update and the true gradient, (b) training loss of backpropagation, feedback alignment and
difference target propagation on the same regression task. Data from
``refimpl.experiments.bioplausible``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from refimpl.experiments import bioplausible
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["credit_assignment_comparison"]


@figure("credit-assignment-comparison")
def credit_assignment_comparison() -> Figure:
    """FA-vs-BP update angle and the training losses of BP, FA and DTP."""
    r = bioplausible.credit_assignment_comparison()
    step = r["step"]
    fig, (ax_a, ax_l) = plt.subplots(1, 2, figsize=(9.6, 3.7))
    ax_a.plot(step, r["angle"], color=style.PALETTE[4], marker="o", ms=2.5)
    ax_a.axhline(90.0, color=style.foreground(), lw=0.8, ls=":", alpha=0.8)
    ax_a.set(xlabel="training step", ylabel="angle to the true gradient (degrees)", ylim=(0, 120))
    ax_a.set_title("(a) feedback alignment: hidden-layer update", fontsize=10)
    for key, color, name in (
        ("bp", style.PALETTE[0], "backpropagation (10-32-2)"),
        ("fa", style.PALETTE[4], "feedback alignment (10-32-2)"),
        ("dtp", style.PALETTE[2], "difference target prop (10-32-32-2)"),
    ):
        ax_l.semilogy(step, r[key], color=color, label=name)
    ax_l.set(xlabel="training step", ylabel="mean squared error")
    ax_l.set_title("(b) all three learn the teacher", fontsize=10)
    ax_l.legend(fontsize=8)
    fig.tight_layout()
    return fig
