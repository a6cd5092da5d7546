r"""Figures for the recurrent-learning pages: vanishing/exploding gradients, truncation, RTRL.

Data from ``refimpl.experiments.recurrent_gradients``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments import recurrent_gradients as rg
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["bptt_truncation_alignment", "rnn_jacobian_norms", "rtrl_bptt_costs"]


def _case_label(kind: str, rho: float) -> str:
    return rf"orthogonal, $\rho = {rho:g}$" if kind == "orthogonal" else rf"$\rho = {rho:g}$"


@figure("rnn-jacobian-norms")
def rnn_jacobian_norms() -> Figure:
    """Norm of the Jacobian through k steps, tanh RNN and the linear recurrence."""
    lags, cases = rg.jacobian_norms()
    fig, axes = plt.subplots(1, 2, figsize=(9.6, 3.9), sharey=True)
    for (case, (tanh, linear)), color in zip(cases.items(), style.PALETTE, strict=False):
        axes[0].semilogy(lags, linear, color=color, label=_case_label(*case))
        axes[1].semilogy(lags, tanh, color=color, label=_case_label(*case))
    axes[0].set_title(r"(a) linear: $\Vert W^k\Vert_2$", fontsize=10)
    axes[1].set_title(r"(b) tanh RNN: $\Vert\partial h_T/\partial h_{T-k}\Vert_2$", fontsize=10)
    for ax in axes:
        ax.set(xlabel="lag $k$")
        ax.axhline(1.0, color=style.foreground(), lw=0.8, ls=":")
    axes[0].set_ylabel("spectral norm")
    axes[0].legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig


@figure("bptt-truncation-alignment")
def bptt_truncation_alignment() -> Figure:
    """Cosine between truncated and full BPTT gradients against the truncation window."""
    windows, cosines = rg.truncation_alignment()
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for (rho, cos), color in zip(cosines.items(), style.PALETTE, strict=False):
        ax.plot(windows, cos, color=color, marker="o", ms=4, label=rf"$\rho(W_{{hh}}) = {rho:g}$")
    ax.set_xscale("log")
    ax.set(xlabel="truncation window $k$ (steps)", ylabel="cosine with the full gradient",
           ylim=(0.5, 1.02))  # fmt: skip
    ax.set_title(r"Gradient of $W_{hh}$ for a loss at step 60 only", fontsize=10)
    ax.legend(fontsize=9, loc="lower right")
    fig.tight_layout()
    return fig


@figure("rtrl-bptt-costs")
def rtrl_bptt_costs() -> Figure:
    """Work and memory of BPTT and RTRL against the hidden size."""
    H = np.array([4, 8, 16, 32, 64, 128, 256, 512])
    c = rg.gradient_costs(H)
    fig, axes = plt.subplots(1, 2, figsize=(9.6, 3.7))
    for ax, key, title in (
        (axes[0], "flops", "(a) multiply-adds per sequence"),
        (axes[1], "memory", "(b) numbers kept in memory"),
    ):
        ax.loglog(H, c[f"bptt_{key}"], color=style.PALETTE[0], marker="o", ms=4, label="BPTT")
        ax.loglog(H, c[f"rtrl_{key}"], color=style.PALETTE[3], marker="s", ms=4, label="RTRL")
        ax.set(xlabel="hidden size $H$")
        ax.set_title(title, fontsize=10)
    axes[0].legend(fontsize=9)
    fig.suptitle("Gradient of one sequence of T = 100 steps, input size 32", fontsize=10)
    fig.tight_layout()
    return fig
