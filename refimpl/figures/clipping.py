r"""Figure for the clipping page: the cliff of a one-unit RNN and gradient descent on it.

``cliff-clipping`` shows $\log_{10}E(w, b)$ for $h_t = w\sigma(h_{t-1}) + b$, $h_0 = 0.5$,
$E = (h_{50} - 0.7)^2$, with gradient-descent runs from the same start with and without
gradient-norm clipping; and a slice through the wall at $w = 5$, resolved to $10^{-4}$ in $b$,
with $E$ and $\lvert\partial E/\partial b\rvert$. Data: ``refimpl.experiments.cliff``.
"""

from __future__ import annotations

import functools

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments import cliff
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["cliff_clipping", "cliff_runs"]

#: The window of the surface panel.
W_RANGE, B_RANGE = (3.0, 6.5), (-3.5, -1.0)


@functools.cache
def cliff_runs() -> tuple[cliff.CliffRun, cliff.CliffRun]:
    """The unclipped and the clipped run of the figure (cached for the second scheme)."""
    return cliff.cliff_run(), cliff.cliff_run(threshold=cliff.CLIFF_THRESHOLD)


@figure("cliff-clipping")
def cliff_clipping() -> Figure:
    """The cliff surface with GD paths with and without clipping, and a slice through the wall."""
    w, b, E = cliff.cliff_surface(W_RANGE, B_RANGE)
    plain, clipped = cliff_runs()
    fig, (ax_s, ax_b) = plt.subplots(
        1, 2, figsize=(10.0, 4.2), gridspec_kw={"width_ratios": [1.1, 1]}
    )

    mesh = ax_s.pcolormesh(
        w, b, np.log10(E + 1e-6), shading="auto", cmap="viridis", rasterized=True
    )
    fig.colorbar(mesh, ax=ax_s, label=r"$\log_{10} E(w, b)$")
    inside = (plain.path[:, 0] >= w[0]) & (plain.path[:, 1] <= b[-1])
    stop = int(np.argmin(inside)) if not inside.all() else len(inside)
    ax_s.plot(
        *plain.path[:stop].T,
        color=style.PALETTE[3],
        lw=1.5,
        marker="o",
        ms=2,
        label="no clipping",
        gid="cliff-plain",
    )
    last, thrown = plain.path[stop - 1], plain.path[stop]
    ax_s.annotate(
        f"step {stop}: thrown to\n$(w, b) = ({thrown[0]:.1f}, {thrown[1]:.1f})$",
        xy=last,
        xytext=(last[0] - 1.6, last[1] + 1.0),
        color=style.PALETTE[3],
        fontsize=8,
        arrowprops={"arrowstyle": "->", "color": style.PALETTE[3]},
    )
    ax_s.plot(
        *clipped.path.T,
        color=style.PALETTE[5],
        lw=1.8,
        label=f"clipped at {cliff.CLIFF_THRESHOLD:g}",
        gid="cliff-clipped",
    )
    ax_s.plot(
        *clipped.path[0], marker="o", ms=7, color=style.foreground(), ls="none", label="start"
    )
    ax_s.set(xlabel="$w$", ylabel="$b$", xlim=(w[0], w[-1]), ylim=(b[0], b[-1]))
    ax_s.set_title(rf"GD, $\gamma = {cliff.CLIFF_LR:g}$, {cliff.CLIFF_STEPS} steps", fontsize=10)
    ax_s.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0.0, -0.13), ncol=3)
    ax_s.grid(False)

    bs, Es, gs = cliff.cliff_slice()
    ax_b.plot(bs, Es, color=style.PALETTE[0], lw=1.5, gid="cliff-slice-error")
    ax_b.set(xlabel="$b$  ($w = 5$)", ylabel="$E$")
    ax_b.yaxis.label.set_color(style.PALETTE[0])
    ax_g = ax_b.twinx()
    ax_g.semilogy(bs, np.abs(gs), color=style.PALETTE[1], lw=1.0, gid="cliff-slice-grad")
    ax_g.set_ylabel(r"$|\partial E / \partial b|$", color=style.PALETTE[1])
    ax_g.spines["right"].set_visible(True)
    ax_g.grid(False)
    ax_b.set_title(r"Through the wall: $b$ sampled every $10^{-4}$", fontsize=10)
    fig.tight_layout()
    return fig
