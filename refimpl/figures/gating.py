r"""Figures for the page on better gates: the refine gate near saturation, and a memory task.

``refine-gate-saturation`` draws a plain sigmoid gate and the refined gate (with $f = r$) against
their shared pre-activation, and their gradients against how close the gate is to 1.
``gating-memory-curves`` shows the LSTM, the LSTM with uniform gate initialisation and the
UR-LSTM learning (or not) to recall a sign across a delay. Data come from
``refimpl.experiments.gating``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments import gating
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["gating_memory_curves", "refine_gate_saturation"]


@figure("refine-gate-saturation")
def refine_gate_saturation() -> Figure:
    """The plain and refined gates against the pre-activation; gradients against 1 − gate."""
    c = gating.gate_curves(-11.0, 11.0, 1101)
    plain_color, refined_color = style.PALETTE[0], style.PALETTE[1]
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.6, 3.6))
    f = c.plain
    left.fill_between(c.a, f**2, 1 - (1 - f) ** 2, color=refined_color, alpha=0.15, lw=0,
                      label=r"reachable by $r$: $[f^2,\ 1-(1-f)^2]$")  # fmt: skip
    left.plot(c.a, c.plain, color=plain_color, label=r"plain $f = \sigma(a)$", gid="plain-gate")
    left.plot(c.a, c.refined, color=refined_color, ls="--", label=r"refined $g$, $r = f$",
              gid="refined-gate")  # fmt: skip
    left.set(xlabel="pre-activation $a$", ylabel="gate value", xlim=(-8, 8), ylim=(0, 1))
    left.set_title("(a) the refine gate sharpens the gate", fontsize=10)
    left.legend(fontsize=8, loc="upper left")

    keep = c.a > 0  # the side where the gate approaches 1
    right.loglog(1 - c.plain[keep], c.plain_grad[keep], color=plain_color,
                 label=r"plain: $d\sigma/da = f(1-f)$", gid="plain-grad")  # fmt: skip
    right.loglog(1 - c.refined[keep], c.refined_grad[keep], color=refined_color, ls="--",
                 label=r"refined: $dg/da$", gid="refined-grad")  # fmt: skip
    for gap, text in ((1e-2, "gate 0.99"), (1e-3, "gate 0.999")):
        right.axvline(gap, color=style.foreground(), lw=0.6, alpha=0.35)
        right.annotate(text, (gap, 0.25), xytext=(-3, 0), textcoords="offset points",
                       fontsize=8, ha="right")  # fmt: skip
    right.set(xlabel="distance from saturation, $1 - $gate", ylabel="gradient w.r.t. $a$",
              xlim=(1e-4, 0.5), ylim=(1e-5, 0.5))  # fmt: skip
    right.invert_xaxis()
    right.set_title("(b) same gate value, about twice the gradient", fontsize=10)
    right.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig


def _smooth(x: np.ndarray, width: int = 9) -> np.ndarray:
    """A running mean over ``width`` steps (valid part only)."""
    return np.convolve(x, np.ones(width) / width, mode="valid")


@figure("gating-memory-curves")
def gating_memory_curves() -> Figure:
    """Training loss of the LSTM, LSTM with UGI and UR-LSTM on the delayed-recall task."""
    curves = gating.memory_learning_curves()
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    styles = ("-", "-.", "--")
    for (name, runs), color, ls in zip(curves.items(), style.PALETTE, styles, strict=False):
        for k, losses in enumerate(runs):  # one line per seed
            smooth = _smooth(losses)
            steps = np.arange(len(smooth)) + len(losses) - len(smooth)
            ax.plot(steps, smooth, color=color, ls=ls, lw=1.4, label=name if k == 0 else None,
                    gid=f"memory-{name}-seed{k}")  # fmt: skip
    ax.axhline(np.log(2.0), color=style.foreground(), ls=":", lw=1.0)
    ax.annotate("chance: log 2", (len(losses), np.log(2.0)), xytext=(0, 5),
                textcoords="offset points", fontsize=9, ha="right")  # fmt: skip
    ax.set(xlabel="training step (batches of 16, fresh each step)", ylabel="cross-entropy",
           ylim=(0, 0.8))  # fmt: skip
    title = (
        f"Recall a sign after {gating.MEMORY_DELAY} noisy steps, {len(gating.MEMORY_SEEDS)} seeds"
    )
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=9, loc="lower left")
    fig.tight_layout()
    return fig
