"""Figure for the graph-networks page: the receptive field of stacked message-passing blocks.

``gn-receptive-field`` shows, on a grid graph, how strongly one node's output depends on every
node's input after one, two and three graph network blocks, without and with a global
attribute. Data come from ``refimpl.experiments.graph_networks``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from refimpl.experiments.graph_networks import grid_graph, influence_maps
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["gn_receptive_field"]

SIZE = 9
TARGET = (3, 3)
DEPTHS = (1, 2, 3)


@figure("gn-receptive-field")
def gn_receptive_field() -> Figure:
    """Gradient norms of one node's output with respect to every node, per depth."""
    fig, axes = plt.subplots(2, len(DEPTHS), figsize=(8.4, 5.8))
    senders, receivers = grid_graph(SIZE, SIZE)
    yy, xx = np.divmod(np.arange(SIZE * SIZE), SIZE)
    edges = zip(senders.tolist(), receivers.tolist(), strict=True)
    segments = [[(xx[s], yy[s]), (xx[r], yy[r])] for s, r in edges if s < r]  # each edge once
    for row, use_global in enumerate((False, True)):
        maps = influence_maps(DEPTHS, use_global, SIZE, TARGET)
        for ax, depth in zip(axes[row], DEPTHS, strict=True):
            lines = LineCollection(segments, colors=style.foreground(), linewidths=0.5, alpha=0.3)
            ax.add_collection(lines)
            values = maps[depth].ravel()
            reached = values > 0
            ax.scatter(
                xx[~reached],
                yy[~reached],
                s=28,
                facecolors="none",
                edgecolors=style.PALETTE[6],
                lw=0.8,
            )
            points = ax.scatter(
                xx[reached],
                yy[reached],
                s=40,
                c=np.log10(values[reached]),
                cmap="viridis",
                vmin=-4,
                vmax=0,
            )
            ax.scatter(
                [TARGET[1]],
                [TARGET[0]],
                s=150,
                marker="s",
                facecolors="none",
                edgecolors=style.PALETTE[3],
                lw=1.6,
            )
            ax.set(xticks=[], yticks=[], aspect="equal")
            ax.invert_yaxis()
            ax.grid(False)
            for side in ("left", "bottom"):
                ax.spines[side].set_visible(False)
            title = f"{depth} block{'s' if depth > 1 else ''}"
            ax.set_title(title + (" + global" if use_global else ""), fontsize=10)
    cbar = fig.colorbar(points, ax=axes, fraction=0.025, pad=0.02)
    cbar.set_label(r"$\log_{10}$ relative influence on the boxed node")
    return fig
