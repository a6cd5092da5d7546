r"""Figures for the RNN and LSTM/GRU pages: depth in time, and memory on the adding problem.

``rnn-depth-in-time`` plots $\lVert\partial h_T/\partial x_{T-k}\rVert$ against the lag $k$ for
an RNN, a stacked RNN, a deep-transition RNN and its shortcut variant at initialisation.
``adding-problem-curves`` shows the RNN, LSTM and GRU learning (or not) the adding problem;
``lstm-gates-adding`` opens the trained LSTM on one sequence. Data come from
``refimpl.experiments.recurrent_depth`` and ``refimpl.experiments.gated_memory``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments import gated_memory, recurrent_depth
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["adding_problem_curves", "lstm_gates_adding", "rnn_depth_in_time"]


@figure("rnn-depth-in-time")
def rnn_depth_in_time() -> Figure:
    """Input sensitivity against lag for shallow, stacked, deep-transition and DT(S) RNNs."""
    lags, curves = recurrent_depth.input_sensitivity()
    fig, ax = plt.subplots(figsize=(6.4, 3.9))
    styles = ("-", "--", "-", ":")
    for (name, values), color, ls in zip(curves.items(), style.PALETTE, styles, strict=False):
        ax.semilogy(lags, values, color=color, ls=ls, label=name, gid=f"depth-{name}")
    ax.set(
        xlabel=r"lag $k$ (steps between the input and the last state)",
        ylabel=r"$\Vert v^\top \partial h_T / \partial x_{T-k}\Vert$",
    )
    ax.set_title("How far back the last state can see, at initialisation", fontsize=10)
    ax.legend(fontsize=9)
    fig.tight_layout()
    return fig


def _smooth(x: np.ndarray, width: int = 15) -> np.ndarray:
    """A running mean over ``width`` steps (valid part only)."""
    return np.convolve(x, np.ones(width) / width, mode="valid")


@figure("adding-problem-curves")
def adding_problem_curves() -> Figure:
    """Training loss of the RNN, LSTM and GRU on the adding problem."""
    curves = gated_memory.adding_learning_curves()
    fig, ax = plt.subplots(figsize=(6.4, 3.9))
    for (cell, losses), color in zip(curves.items(), style.PALETTE, strict=False):
        smooth = _smooth(losses)
        ax.semilogy(np.arange(len(smooth)) + len(losses) - len(smooth), smooth, color=color,
                    label=cell, gid=f"adding-{cell}")  # fmt: skip
    ax.axhline(gated_memory.ADDING_BASELINE, color=style.foreground(), ls=":", lw=1.0)
    ax.annotate("predict the mean: 1/6", (0.0, gated_memory.ADDING_BASELINE), xytext=(2, 4),
                textcoords="offset points", fontsize=9)  # fmt: skip
    ax.set(xlabel="training step (batches of 64, length 20)", ylabel="mean squared error")
    ax.set_title("The adding problem, same seed, same optimiser", fontsize=10)
    ax.legend(fontsize=9, loc="lower left")
    fig.tight_layout()
    return fig


@figure("lstm-gates-adding")
def lstm_gates_adding() -> Figure:
    """The trained LSTM's input gates, forget gates and cells along one sequence."""
    trace = gated_memory.lstm_gate_trace()
    T = len(trace.values)
    t = np.arange(1, T + 1)
    marked = np.flatnonzero(trace.markers > 0)
    # the cells that move most at the marked steps relative to elsewhere
    jumps = np.abs(np.diff(np.vstack([np.zeros_like(trace.cell[:1]), trace.cell]), axis=0))
    score = jumps[marked].mean(0) - np.delete(jumps, marked, axis=0).mean(0)
    units = np.argsort(score)[::-1][:3]
    fig, axes = plt.subplots(3, 1, figsize=(6.4, 6.0), sharex=True)
    ink = style.foreground()
    axes[0].bar(t, trace.values, color=[style.PALETTE[3] if m else style.PALETTE[6]
                                        for m in trace.markers])  # fmt: skip
    axes[0].set(ylabel="input $v_t$")
    axes[0].set_title(
        f"Marked values (highlighted) sum to {trace.target:.3f}; the LSTM says "
        f"{trace.prediction:.3f}",
        fontsize=10,
    )
    for k, u in enumerate(units):
        color = style.PALETTE[k]
        axes[1].plot(t, trace.input_gate[:, u], color=color, marker="o", ms=3, label=f"cell {u}")
        axes[1].plot(t, trace.forget_gate[:, u], color=color, ls="--", lw=1.2)
        axes[2].plot(t, trace.cell[:, u], color=color, marker="o", ms=3)
    axes[1].set(ylabel="gate", ylim=(0, 1))
    axes[1].text(0.01, 0.04, "solid: input gate $i_t$   dashed: forget gate $f_t$",
                 transform=axes[1].transAxes, fontsize=8)  # fmt: skip
    axes[1].legend(fontsize=8, loc="upper right", ncol=3)
    axes[2].set(ylabel="cell $c_t$", xlabel="time step $t$", xticks=np.arange(1, T + 1, 2))
    for ax in axes:
        for m in marked:
            ax.axvline(m + 1, color=ink, lw=0.8, alpha=0.4)
    fig.tight_layout()
    return fig
