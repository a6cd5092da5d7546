r"""Figures for the backpropagation page.

``backprop-cost`` counts the multiply-adds of the chain rule evaluated from the output down
(vector × matrix) and from the input up (matrix × matrix). ``backprop-delta-norms`` shows the
size of the errors $\delta^m$ at every layer of a 20-layer tanh network for three weight
scales, computed by the NumPy δ recursion (lines) and by autograd (markers).
Data: ``refimpl.experiments.backpropagation``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments.backpropagation import chain_rule_costs, layer_error_norms
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["backprop_cost", "backprop_delta_norms"]

WIDTHS = (2, 4, 8, 16, 32, 64, 128, 256)
DEPTH = 10
SCALES = (0.5, 1.0, 1.5)


@figure("backprop-cost")
def backprop_cost() -> Figure:
    """Multiply-adds of reverse and forward accumulation against the width."""
    costs = np.array([chain_rule_costs(n, DEPTH)[:2] for n in WIDTHS])  # (k, 2)
    fig, ax = plt.subplots(figsize=(6.4, 3.9))
    w = np.array(WIDTHS)
    ax.loglog(w, costs[:, 0], "o-", color=style.PALETTE[2], label="reverse (output → input)")
    ax.loglog(w, costs[:, 1], "s-", color=style.PALETTE[3], label="forward (input → output)")
    ax.loglog(w, DEPTH * w**2.0, ls=":", color=style.foreground(), lw=0.8, label=r"$L n^2$")
    ax.loglog(
        w, (DEPTH - 1) * w**3.0, ls="--", color=style.foreground(), lw=0.8, label=r"$(L-1) n^3$"
    )
    ax.set(xlabel="layer width $n$", ylabel="multiply-adds")
    ax.set_title(f"Gradient of a scalar through {DEPTH} layers", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure("backprop-delta-norms")
def backprop_delta_norms() -> Figure:
    """Error norms per layer from the δ recursion and from autograd, three weight scales."""
    fig, ax = plt.subplots(figsize=(6.4, 3.9))
    for scale, color in zip(
        SCALES, (style.PALETTE[3], style.PALETTE[0], style.PALETTE[2]), strict=True
    ):
        errors = layer_error_norms(scale)
        m = np.arange(1, len(errors.delta_rule) + 1)
        ax.semilogy(
            m,
            errors.delta_rule,
            color=color,
            label=f"$c = {scale:g}$ (δ recursion)",
            gid=f"delta-{scale:g}",
        )
        ax.semilogy(
            m,
            errors.autograd,
            ls="none",
            marker="o",
            ms=4,
            mfc="none",
            color=color,
            gid=f"autograd-{scale:g}",
        )
    ax.set_xticks(range(1, 21, 2))
    ax.plot([], [], ls="none", marker="o", mfc="none", color=style.foreground(), label="autograd")
    ax.set(xlabel="layer $m$ (input at the left)", ylabel=r"$\|\sum_{batch} \delta^m\|$")
    ax.set_title(r"20-layer tanh network, $W_{ij} \sim \mathcal{N}(0, c^2/n)$", fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig
