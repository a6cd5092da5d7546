r"""Figures for the continual-learning pages.

``continual-forgetting-ewc``: test accuracy on tasks A and B while an MLP learns A and then B,
with plain SGD and with EWC. ``tug-of-war``: the cosine between the two tasks' gradients and
their losses, joint versus sequential training. ``ray-interference``: per-context performance
in a two-context bandit under on-policy and decoupled learning. Data from
``refimpl.experiments.continual``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from refimpl.experiments import continual
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["continual_forgetting_ewc", "ray_interference", "tug_of_war"]


@figure("continual-forgetting-ewc")
def continual_forgetting_ewc() -> Figure:
    """Accuracy on task A and task B across the two training phases, SGD vs EWC."""
    r = continual.forgetting_curves()
    lams = [k for k in r if k != "step"]
    step = r["step"]
    switch = step[-1] / 2
    fig, axes = plt.subplots(1, 2, figsize=(9.6, 3.7), sharey=True)
    for ax, lam in zip(axes, lams, strict=True):
        ax.axvspan(switch, step[-1], color=style.PALETTE[6], alpha=0.12, lw=0)
        ax.plot(step, r[lam]["A"], color=style.PALETTE[0], label="task A")
        ax.plot(step, r[lam]["B"], color=style.PALETTE[1], label="task B")
        name = "plain SGD" if lam == 0 else rf"EWC, $\lambda = {lam:g}$"
        ax.set_title(
            f"{name}: A {r[lam]['A'][-1]:.0%}, B {r[lam]['B'][-1]:.0%} at the end", fontsize=10
        )
        ax.set(xlabel="training step (shaded: learning task B)", ylim=(0.4, 1.02))
    axes[0].set_ylabel("test accuracy")
    axes[0].legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig


@figure("tug-of-war")
def tug_of_war() -> Figure:
    """Gradient cosine between two tasks and their losses, joint vs sequential training."""
    r = continual.tug_of_war()
    step = r["step"]
    fig, (ax_c, ax_l) = plt.subplots(1, 2, figsize=(9.6, 3.7))
    ax_c.plot(step, r["cos_joint"], color=style.PALETTE[2], label="joint (IID mixture)")
    ax_c.plot(step, r["cos_seq"], color=style.PALETTE[3], label="sequential (A, then B)")
    ax_c.axhline(0.0, color=style.foreground(), lw=0.8, alpha=0.6)
    ax_c.set(xlabel="training step", ylabel=r"$\cos(\nabla L_A, \nabla L_B)$", ylim=(-1, 1))
    ax_c.set_title("(a) the two tasks pull in opposite directions", fontsize=10)
    ax_c.legend(fontsize=8)
    for mode, ls in (("joint", "-"), ("seq", "--")):
        ax_l.semilogy(step, r[f"loss_{mode}_A"], color=style.PALETTE[0], ls=ls)
        ax_l.semilogy(step, r[f"loss_{mode}_B"], color=style.PALETTE[1], ls=ls)
    ax_l.plot([], [], color=style.PALETTE[0], label="task A loss")
    ax_l.plot([], [], color=style.PALETTE[1], label="task B loss")
    ax_l.plot([], [], color=style.foreground(), ls="-", label="joint")
    ax_l.plot([], [], color=style.foreground(), ls="--", label="sequential")
    ax_l.set(xlabel="training step", ylabel="training loss")
    ax_l.set_title("(b) joint training settles the tug of war", fontsize=10)
    ax_l.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    return fig


@figure("ray-interference")
def ray_interference() -> Figure:
    """Per-context probability of the good arm, on-policy vs decoupled learning."""
    r = continual.ray_interference()
    fig, axes = plt.subplots(1, 2, figsize=(9.6, 3.6), sharey=True)
    for ax, name in zip(axes, ("on-policy", "decoupled"), strict=True):
        p = r[name]
        ax.plot(p[:, 0], color=style.PALETTE[0], label="context 1")
        ax.plot(p[:, 1], color=style.PALETTE[1], label="context 2")
        ax.plot(p.mean(1), color=style.foreground(), ls=":", lw=1.2, label="expected reward $J$")
        ax.set(xlabel="update", ylim=(-0.02, 1.02))
        ax.set_title(
            "(a) on-policy: one context at a time, then a plateau"
            if name == "on-policy"
            else "(b) decoupled data: both contexts together",
            fontsize=10,
        )
    axes[0].set_ylabel("probability of the good arm")
    axes[0].legend(fontsize=8, loc="center right")
    fig.tight_layout()
    return fig
