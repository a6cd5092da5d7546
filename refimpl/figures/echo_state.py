"""Figures for the echo-state-network page (data from ``refimpl.experiments.echo_state``)."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from refimpl.experiments import echo_state
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["esn_memory"]


@figure("esn-memory")
def esn_memory() -> Figure:
    """Memory curves and forgetting of the initial state, for four spectral radii."""
    delays, memory = echo_state.memory_curves()
    steps, gaps = echo_state.forgetting_curves()
    fig, axes = plt.subplots(1, 2, figsize=(9.6, 3.8))
    for (rho, r2), color in zip(memory.items(), style.PALETTE, strict=False):
        axes[0].plot(delays, r2, color=color, marker="o", ms=3,
                     label=rf"$\rho = {rho:g}$, capacity {r2.sum():.1f}")  # fmt: skip
        axes[1].semilogy(steps, gaps[rho], color=color, label=rf"$\rho = {rho:g}$")
    axes[0].set(xlabel="delay $k$", ylabel=r"$R^2$ of recalling $u(n-k)$", ylim=(-0.02, 1.02))
    axes[0].set_title("(a) memory of the input", fontsize=10)
    axes[0].legend(fontsize=8)
    axes[1].set(xlabel="step $n$", ylabel=r"$\Vert x(n) - x'(n)\Vert$")
    axes[1].set_title("(b) two initial states, same input", fontsize=10)
    axes[1].legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig
