r"""Figures for the plasticity-loss page.

``plasticity-loss-rounds``: the training loss reached at the end of each round of fresh random
labels, for plain training, each remedy and a freshly initialised network.
``plasticity-diagnostics``: the fraction of dead ReLU units, the effective rank of the last
hidden layer's features and the weight norm, round by round. Data from
``refimpl.experiments.plasticity``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments.plasticity import random_label_rounds
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["plasticity_diagnostics", "plasticity_loss_rounds"]


def _styles() -> dict[str, dict]:
    """One line style per variant; the fresh-network reference is drawn as ink, dashed."""
    colours = {
        "plain": style.PALETTE[3],
        "L2 to zero": style.PALETTE[5],
        "L2 to init": style.PALETTE[0],
        "shrink & perturb": style.PALETTE[2],
        "reset dead units": style.PALETTE[1],
        "layer norm": style.PALETTE[4],
    }
    out = {k: {"color": c, "lw": 1.6} for k, c in colours.items()}
    out["plain"]["lw"] = 2.4
    out["L2 to zero"]["ls"] = "-."
    out["fresh network"] = {"color": style.foreground(), "lw": 1.2, "ls": "--", "alpha": 0.8}
    return out


@figure("plasticity-loss-rounds")
def plasticity_loss_rounds() -> Figure:
    """Loss at the end of each round of random labels, per variant, on a log scale."""
    r = random_label_rounds()
    rounds = np.arange(1, r.loss.shape[1] + 1)
    styles = _styles()
    fig, ax = plt.subplots(figsize=(8.4, 4.2))
    ax.axhline(r.chance, color=style.foreground(), lw=0.8, ls=":")
    ax.text(rounds[0], r.chance * 1.12, r"chance, $\log 10$", fontsize=8, va="bottom")
    for i, name in enumerate(r.methods):
        ax.semilogy(rounds, np.maximum(r.loss[i], 1e-4), label=name, **styles[name])
    ax.set(xlabel="round (a fresh random labelling each)", ylabel="training loss at end of round")
    ax.set_ylim(1e-4, 6)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    fig.tight_layout()
    return fig


@figure("plasticity-diagnostics")
def plasticity_diagnostics() -> Figure:
    """Dead-unit fraction, effective rank and weight norm per round, per variant."""
    r = random_label_rounds()
    rounds = np.arange(1, r.loss.shape[1] + 1)
    styles = _styles()
    fig, axes = plt.subplots(1, 3, figsize=(10.5, 3.9))
    panels = (
        (r.dead, "(a) fraction of dead ReLU units"),
        (r.srank, r"(b) $\mathrm{srank}_{0.01}$ of last hidden layer"),
        (r.norm, r"(c) weight norm $\|\theta\|$"),
    )
    for ax, (values, title) in zip(axes, panels, strict=True):
        for i, name in enumerate(r.methods):
            ax.plot(rounds, values[i], label=name, **styles[name])
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("round")
    axes[1].axhline(r.hidden, color=style.foreground(), lw=0.8, ls=":")
    axes[1].set_ylim(0, r.hidden + 2)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig
