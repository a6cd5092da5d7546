r"""Figures for the least-control and bilevel-learning pages.

``least-control-training``: the least-control objective and the free-equilibrium loss while a
small equilibrium network learns by the least-control rule, next to exact gradient descent, and
the alignment of the two updates. ``meta-learning-sinusoid``: meta-test loss of MAML and iMAML
against meta-iterations, an example task adapted from the learned and from a zero
initialisation, and the convergence of the unrolled meta-gradient to the implicit one. Data
from ``refimpl.experiments.least_control`` and ``refimpl.experiments.bilevel``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from refimpl.equilibrium.bilevel import inner_solution
from refimpl.experiments import bilevel, least_control
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["least_control_training", "meta_learning_sinusoid"]


@figure("least-control-training")
def least_control_training() -> Figure:
    """Least-control learning against gradient descent on the free-equilibrium loss."""
    r = least_control.lcp_training()
    fig, (ax, ax_cos) = plt.subplots(1, 2, figsize=(9.6, 3.8))
    steps = np.arange(len(r["lcp_H"]))
    ax.semilogy(
        steps, r["lcp_H"], color=style.PALETTE[1], label=r"LCP: control needed $\mathcal{H}$"
    )
    ax.semilogy(steps, r["lcp_loss"], color=style.PALETTE[0], label="LCP: loss at free equilibrium")
    ax.semilogy(
        steps, r["gd_loss"], color=style.PALETTE[2], ls="--", label="gradient descent: same loss"
    )
    ax.set(xlabel="learning step", ylabel="objective (8 training points)")
    ax.set_title("(a) learning shrinks the control the target needs", fontsize=10)
    ax.legend(fontsize=8)
    ax_cos.plot(r["cos_step"], r["cosine"], color=style.PALETTE[4], marker="o", ms=3)
    ax_cos.axhline(0.0, color=style.foreground(), lw=0.8, alpha=0.6)
    ax_cos.set(xlabel="learning step", ylabel="cosine", ylim=(-1.05, 1.05))
    ax_cos.set_title("(b) LCP update vs exact gradient of the loss", fontsize=10)
    fig.tight_layout()
    return fig


@figure("meta-learning-sinusoid")
def meta_learning_sinusoid() -> Figure:
    """MAML and iMAML on few-shot sinusoid regression."""
    run = bilevel.meta_learning_curves()
    ks, errs = bilevel.unrolled_vs_implicit()
    fig, (ax_l, ax_t, ax_e) = plt.subplots(1, 3, figsize=(11.0, 3.7))
    for m, color, name in (
        ("maml", style.PALETTE[0], "MAML (5 unrolled steps)"),
        ("imaml", style.PALETTE[3], r"iMAML ($\lambda=1$)"),
    ):
        ax_l.plot(run.iterations, run.loss[m], color=color, label=name)
        ax_l.axhline(run.baseline[m], color=color, ls=":", lw=1.0)
    ax_l.set(xlabel="meta-iteration", ylabel="test loss after adaptation")
    ax_l.set_title("(a) held-out tasks (dotted: from scratch)", fontsize=10)
    ax_l.legend(fontsize=8)

    (tr_x, tr_y), _, (amp, phase) = _example_task()
    x = torch.linspace(-5, 5, 200, dtype=torch.float64)
    feats = bilevel.sinusoid_features(x)
    ax_t.plot(
        x, amp * torch.sin(x + phase), color=style.foreground(), lw=1.0, label="true function"
    )
    for theta, color, name in (
        (run.theta["imaml"], style.PALETTE[3], "adapted from meta-learned prior"),
        (torch.zeros_like(run.theta["imaml"]), style.PALETTE[6], "adapted from zero"),
    ):
        phi = inner_solution(theta, (bilevel.sinusoid_features(tr_x), tr_y), bilevel.LAM)
        ax_t.plot(x, feats @ phi, color=color, label=name)
    ax_t.plot(
        tr_x, tr_y, ls="none", marker="o", color=style.PALETTE[1], ms=6, label="5 training points"
    )
    ax_t.set(xlabel="$x$", ylabel="$y$")
    ax_t.set_title("(b) one new task, iMAML inner solution", fontsize=10)
    ax_t.legend(fontsize=7, loc="lower left")

    ax_e.semilogy(ks, errs, marker="o", ms=3, color=style.PALETTE[2])
    ax_e.set(xlabel="inner gradient steps $K$", ylabel="relative error vs implicit")
    ax_e.set_title("(c) unrolled meta-gradient → iMAML's", fontsize=10)
    fig.tight_layout()
    return fig


def _example_task():
    r"""A fixed new task, $y = 2\sin(x + 2.5)$, with five training inputs (raw, not features)."""
    amp, phase = 2.0, 2.5
    x = torch.tensor([-3.0, -1.0, 0.5, 2.0, 4.0], dtype=torch.float64)
    return (x, amp * torch.sin(x + phase)), None, (amp, phase)
