r"""Figure for the deep-linear-networks page: stage-like learning of the modes.

``deep-linear-modes``: the strength of each of the three modes of the target map over training,
for a two-layer linear network (sigmoids, with Saxe et al.'s closed form dashed) and for a
one-layer model (exponentials). Data: ``refimpl.experiments.deep_linear``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from refimpl.experiments.deep_linear import analytic_mode, mode_curves, shallow_mode
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["deep_linear_modes"]


@figure("deep-linear-modes")
def deep_linear_modes() -> Figure:
    """Mode strengths against time, deep and shallow, with the closed forms."""
    c = mode_curves()
    t = c.steps / c.tau  # time in units of τ
    fig, (ax_deep, ax_shallow) = plt.subplots(1, 2, figsize=(9.6, 3.8), sharey=True)
    for i, (s, color) in enumerate(zip(c.singular_values, style.PALETTE, strict=False)):
        ax_deep.plot(
            t, c.deep[:, i], color=color, lw=2.2, alpha=0.8, label=f"$s = {s:g}$", gid=f"deep-{s:g}"
        )
        ax_deep.plot(
            t, analytic_mode(c.steps, s, c.u0, c.tau), color=style.foreground(), ls="--", lw=0.9
        )
        ax_shallow.plot(
            t,
            c.shallow[:, i],
            color=color,
            lw=2.2,
            alpha=0.8,
            label=f"$s = {s:g}$",
            gid=f"shallow-{s:g}",
        )
        ax_shallow.plot(
            t, shallow_mode(c.steps, s, c.u0, c.tau), color=style.foreground(), ls="--", lw=0.9
        )
    ax_deep.plot([], [], color=style.foreground(), ls="--", lw=0.9, label="closed form")
    ax_deep.set(xlabel=r"time $t/\tau$", ylabel=r"mode strength $u_\alpha(t)$")
    ax_deep.set_title(r"two layers $W_2W_1$, from $u_0 = 10^{-3}$", fontsize=10)
    ax_deep.legend(fontsize=8, loc="center right")
    ax_shallow.set(xlabel=r"time $t/\tau$")
    ax_shallow.set_title("one layer $W$", fontsize=10)
    fig.tight_layout()
    return fig
