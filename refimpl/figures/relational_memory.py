"""Figure for the relational-memory page: RMC against LSTM, and what the memory attends to.

``relational-memory-nearest`` shows the held-out accuracy of a relational memory core and an
LSTM on the nearest-point task while they train, the example sequence, and the trained core's
attention weights at every step of it. Data from ``refimpl.experiments.relational_memory``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments.relational_memory import NEAREST_ITEMS, rmc_vs_lstm
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["relational_memory_nearest"]


@figure("relational-memory-nearest")
def relational_memory_nearest() -> Figure:
    """Learning curves, the example sequence, and the RMC's attention per step."""
    r = rmc_vs_lstm()
    K = NEAREST_ITEMS
    fig = plt.figure(figsize=(9.6, 5.6))
    grid = fig.add_gridspec(2, K + 1, height_ratios=(1.25, 1.0), hspace=0.55, wspace=0.35)
    ax = fig.add_subplot(grid[0, : K - 1])
    for c, name in enumerate(("RMC", "LSTM")):
        label = f"{name} ({r['parameters'][name]:,} parameters)"
        ax.plot(r["steps"], r["accuracy"][name], "o-", ms=3, color=style.PALETTE[c], label=label)
    ax.axhline(1 / K, color=style.foreground(), lw=0.8, ls=":", label=f"chance (1/{K})")
    ax.set(xlabel="training step (batches of 64)", ylabel="held-out accuracy", ylim=(0, 1.02))
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("(a) learning the nearest-point task", fontsize=10)

    points = r["points"]
    ax_p = fig.add_subplot(grid[0, K - 1 :])
    circle = np.linspace(0, 2 * np.pi, 200)
    ax_p.plot(np.cos(circle), np.sin(circle), color=style.foreground(), lw=0.5, alpha=0.4)
    for k in range(K):
        marker = "*" if k == r["target"] else "o"
        ax_p.plot(*points[k], marker, ms=12 if marker == "*" else 7, color=style.PALETTE[k + 2])
        ax_p.annotate(f"$p_{k + 1}$", points[k] * 1.22, ha="center", va="center", fontsize=9)
    ax_p.plot(*points[K], "x", ms=9, mew=2, color=style.foreground())
    ax_p.annotate("$q$", points[K] * 0.75, ha="center", va="center", fontsize=9)
    ax_p.set(xlim=(-1.45, 1.45), ylim=(-1.45, 1.45), aspect="equal", xticks=[], yticks=[])
    ax_p.grid(False)
    for spine in ax_p.spines.values():
        spine.set_visible(False)
    ax_p.set_title(
        f"(b) example: query $q$ (cross), nearest $p_{r['target'] + 1}$ (star), "
        f"RMC answers $p_{r['prediction'] + 1}$",
        fontsize=10,
    )

    attention = r["attention"]  # (K + 1, N, N + 1)
    N = attention.shape[1]
    columns = [f"$m_{j + 1}$" for j in range(N)] + [r"$\tilde x$"]
    for t in range(K + 1):
        ax_t = fig.add_subplot(grid[1, t])
        image = ax_t.imshow(attention[t], cmap="viridis", vmin=0.0, vmax=1.0, gid=f"step-{t}")
        ax_t.grid(False)
        ax_t.set_xticks(range(N + 1), columns, fontsize=8)
        ax_t.set_yticks(range(N), [f"$m_{j + 1}$" for j in range(N)], fontsize=8)
        shown = f"$p_{t + 1}$" if t < K else "the query $q$"
        ax_t.set_title(f"step {t + 1}: input {shown}", fontsize=9)
        if t == 0:
            ax_t.set_ylabel("slot (query)")
    fig.colorbar(image, ax=fig.axes[-(K + 1) :], fraction=0.02, pad=0.02)
    fig.text(
        0.5,
        0.02,
        "(c) the trained core's attention weights on the example, averaged over its 2 heads: "
        r"row = slot $m_i$, column = slot or input row $\tilde x$ it reads",
        ha="center",
        fontsize=9,
        color=style.foreground(),
    )
    return fig
