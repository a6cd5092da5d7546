"""Figure for the residual-and-unet page: gradient norms through deep stacks with and without skips.

``resnet-gradient-depth`` plots, at initialisation, the norm of the loss gradient with respect to
the first convolution of every block of a 30-block stack, for plain blocks $h = F(h)$ and residual
blocks $h = h + F(h)$. Data come from ``refimpl.experiments.residual``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments.residual import gradient_norms
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["resnet_gradient_depth"]


@figure("resnet-gradient-depth")
def resnet_gradient_depth() -> Figure:
    """Gradient norm per block for plain and residual stacks of 30 convolutional blocks."""
    norms = gradient_norms()
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    blocks = np.arange(1, len(norms["plain"]) + 1)
    ax.semilogy(
        blocks,
        norms["residual"],
        marker="o",
        ms=3,
        color=style.PALETTE[0],
        label="residual: $h + F(h)$",
    )
    ax.semilogy(
        blocks, norms["plain"], marker="o", ms=3, color=style.PALETTE[3], label="plain: $F(h)$"
    )
    ax.set(
        xlabel="block (1 = nearest the input)", ylabel=r"$\Vert \partial L / \partial W_l \Vert$"
    )
    ax.set_title("Gradient norms at initialisation, 30 blocks of two 3×3 convolutions", fontsize=10)
    ax.legend()
    fig.tight_layout()
    return fig
