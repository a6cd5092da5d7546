"""Figure for the natural-neural-networks page: gradient descent with and without whitening.

``nnn-whitening`` plots the excess training loss of least-squares regression on correlated,
off-centre inputs, for the plain parametrisation and the whitened one. Data come from
``refimpl.experiments.natural``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments.natural import whitened_vs_plain
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["nnn_whitening"]


@figure("nnn-whitening")
def nnn_whitening() -> Figure:
    """Excess loss per gradient step, plain against whitened parametrisation."""
    result = whitened_vs_plain()
    plain_condition, whitened_condition = result["condition"]
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    steps = np.arange(len(result["plain"]))
    ax.semilogy(
        steps,
        result["plain"],
        color=style.PALETTE[3],
        label=f"plain $Wx + b$ (κ = {plain_condition:.1e})",
    )
    ax.semilogy(
        steps,
        result["whitened"],
        color=style.PALETTE[0],
        marker="o",
        ms=3,
        label=f"whitened $VU(x - c) + d$ (κ = {whitened_condition:.0f})",
    )
    ax.set(xlabel="gradient-descent step", ylabel="excess training loss", ylim=(1e-12, None))
    ax.legend()
    fig.tight_layout()
    return fig
