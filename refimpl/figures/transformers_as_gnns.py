"""Figure for the Transformers-as-GNNs page: equivariance, and attention on three graphs.

``attention-as-message-passing`` shows the permutation-equivariance error of an encoder layer
with and without positions, and the attention weights of message passing on the complete, causal
and ring graphs. Data from ``refimpl.experiments.transformers_as_gnns``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments.transformers_as_gnns import equivariance_errors, graph_attention_weights
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["attention_as_message_passing"]


@figure("attention-as-message-passing")
def attention_as_message_passing() -> Figure:
    """Equivariance errors without/with positions; attention weights on three graphs."""
    err = equivariance_errors()
    w = graph_attention_weights()
    fig = plt.figure(figsize=(10.4, 3.4))
    grid = fig.add_gridspec(1, 4, width_ratios=(1.3, 1, 1, 1))
    ax = fig.add_subplot(grid[0])
    floor = 1e-17  # exact zeros are drawn at the floor of the log axis
    for i, (name, color) in enumerate((("without", 2), ("with", 3))):
        y = np.maximum(err[name], floor)
        x = np.full_like(y, i) + np.linspace(-0.15, 0.15, len(y))
        ax.semilogy(x, y, "o", ms=4, color=style.PALETTE[color], gid=f"equivariance-{name}")
    ax.set(xticks=[0, 1], xticklabels=["no positions", "with positions"], xlim=(-0.5, 1.5))
    ax.set(ylabel=r"$\|f(PX) - Pf(X)\| \,/\, \|f(X)\|$", ylim=(floor / 3, 3))
    ax.set_title("(a) 20 random permutations", fontsize=10)
    for i, (kind, title) in enumerate(
        (("complete", "(b) complete graph"), ("causal", "(c) causal graph"), ("ring", "(d) ring"))
    ):
        axm = fig.add_subplot(grid[i + 1])
        axm.imshow(w[kind], cmap="viridis", vmin=0, vmax=float(w["complete"].max()))
        axm.set(title=title, xlabel="sender $j$")
        axm.title.set_fontsize(10)
        axm.grid(False)
        if i == 0:
            axm.set_ylabel("receiver $i$")
    fig.tight_layout()
    return fig
