r"""Figure for the implicit-differentiation page: robust pooling as a declarative node.

``robust-pooling``: a sample with outliers pooled by the mean and by pseudo-Huber robust
pooling, with each point's implicit gradient $\partial y/\partial x_j$, and the pooled value as
one extra point moves. Data from ``refimpl.experiments.declarative``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments.declarative import robust_pooling_demo
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["robust_pooling"]


@figure("robust-pooling")
def robust_pooling() -> Figure:
    """Implicit gradients of robust pooling per point, and the influence of one moving point."""
    r = robust_pooling_demo()
    alphas = [k for k in r if isinstance(k, float)]
    colours = dict(zip(alphas, (style.PALETTE[0], style.PALETTE[2]), strict=True))
    x = r["x"]
    fig, (ax_w, ax_t) = plt.subplots(1, 2, figsize=(10, 3.8))
    n = len(x)
    ax_w.axhline(1 / n, color=style.PALETTE[3], lw=1.4, label=f"mean: $1/n$, y = {r['mean']:.2f}")
    order = np.argsort(x)
    for alpha in alphas:
        w = r[alpha]["weights"]
        label = rf"robust, $\alpha = {alpha:g}$: y = {r[alpha]['y']:.2f}"
        ax_w.plot(x[order], w[order], "o-", ms=3.5, lw=1, color=colours[alpha], label=label)
    ax_w.set(xlabel="position of point $x_j$", ylabel=r"$\partial y / \partial x_j$")
    ax_w.set_title("(a) implicit gradient of each point", fontsize=10)
    ax_w.legend(fontsize=8)
    ax_t.plot(r["t"], r["mean_t"], color=style.PALETTE[3], lw=1.4, label="mean")
    for alpha in alphas:
        ax_t.plot(
            r["t"], r[alpha]["y_t"], color=colours[alpha], label=rf"robust, $\alpha={alpha:g}$"
        )
    ax_t.set(xlabel="position of one extra point", ylabel="pooled value $y$")
    ax_t.set_title("(b) the influence of one point is bounded", fontsize=10)
    ax_t.legend(fontsize=8)
    fig.tight_layout()
    return fig
