"""Figures for the attention page: positions, the softmax's temperature, and two heads.

``attention-positions-softmax`` shows the sinusoidal encodings, their offset-only similarity,
and how the $1/\\sqrt{d_k}$ scale keeps the softmax from saturating. ``attention-two-heads``
trains one- and two-head attention on a task that needs two positions at once. Data from
``refimpl.experiments.attention``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from refimpl.experiments import attention as exp
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["attention_positions_softmax", "attention_two_heads"]


@figure("attention-positions-softmax")
def attention_positions_softmax() -> Figure:
    """Sinusoidal encodings, their similarity against offset, and softmax entropy against d_k."""
    pe, gram = exp.positional_similarity()
    ent = exp.softmax_entropy()
    fig, (ax_pe, ax_sim, ax_ent) = plt.subplots(1, 3, figsize=(10.4, 3.5))
    ax_pe.imshow(pe.T, aspect="auto", cmap="RdBu_r", vmin=-1, vmax=1, origin="lower")
    ax_pe.set(xlabel="position $p$", ylabel="channel", title="(a) $PE_{p}$ (64 channels)")
    ax_pe.grid(False)
    for p0, color in ((0, style.PALETTE[0]), (32, style.PALETTE[1])):
        ax_sim.plot(gram[p0], color=color, label=f"$PE_p \\cdot PE_{{{p0}}}$", gid=f"pe-sim-{p0}")
    ax_sim.set(xlabel="position $p$", ylabel=r"similarity $/\,(d/2)$")
    ax_sim.set_title("(b) similarity peaks at $p = q$", fontsize=10)
    ax_sim.legend(fontsize=8)
    ax_ent.semilogx(ent["dims"], ent["unscaled"], "o-", color=style.PALETTE[3], label=r"$q\cdot k$")
    ax_ent.semilogx(
        ent["dims"], ent["scaled"], "o-", color=style.PALETTE[2], label=r"$q\cdot k/\sqrt{d_k}$"
    )
    ax_ent.set(xlabel="key width $d_k$", ylabel=r"entropy $H(\alpha)/\log S$", ylim=(0, 1.05))
    ax_ent.set_title("(c) softmax over 64 random keys", fontsize=10)
    ax_ent.legend(fontsize=8)
    ax_pe.set_title("(a) $PE_{p}$, 64 channels", fontsize=10)
    fig.tight_layout()
    return fig


@figure("attention-two-heads")
def attention_two_heads() -> Figure:
    """Loss of one- and two-head attention on the two-offset copy task, and their weights."""
    runs = {h: exp.two_offset_copy(h) for h in (1, 2)}
    fig = plt.figure(figsize=(10.4, 3.4))
    grid = fig.add_gridspec(1, 4, width_ratios=(1.5, 1, 1, 1))
    ax_loss = fig.add_subplot(grid[0])
    for h, color in ((1, style.PALETTE[3]), (2, style.PALETTE[2])):
        label = "1 head" if h == 1 else "2 heads"
        ax_loss.semilogy(runs[h].losses, color=color, label=label, gid=f"heads-loss-{h}")
    ax_loss.set(xlabel="Adam step", ylabel="mean squared error")
    ax_loss.set_title("(a) output $[x_{t-1}, x_{t-3}]$", fontsize=10)
    ax_loss.legend(fontsize=8)
    maps = [(runs[1].weights[0], "(b) 1 head"), (runs[2].weights[0], "(c) 2 heads: head 1")]
    maps.append((runs[2].weights[1], "(d) 2 heads: head 2"))
    for i, (w, title) in enumerate(maps):
        ax = fig.add_subplot(grid[i + 1])
        ax.imshow(w, cmap="viridis", vmin=0, vmax=1)
        ax.set(xlabel="key position $s$", title=title)
        ax.title.set_fontsize(10)
        ax.grid(False)
        if i == 0:
            ax.set_ylabel("query position $t$")
    fig.tight_layout()
    return fig
