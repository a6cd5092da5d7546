r"""Figure for the initialisation page: pre-activation variance through 50 layers.

``init-variance-depth`` plots $\mathrm{Var}(z_m)$ against the layer $m$ for the naive
$U[-1/\sqrt n, 1/\sqrt n]$, Glorot/Xavier and He initialisations, in a tanh and in a ReLU
network. Data: ``refimpl.experiments.initialization``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments.initialization import INITS, activation_variances
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["init_variance_depth"]

LABELS = {
    "naive": r"naive $U[\pm 1/\sqrt{n}]$",
    "xavier": r"Xavier $\mathcal{N}(0, 2/(n_{in}+n_{out}))$",
    "he": r"He $\mathcal{N}(0, 2/n_{in})$",
}
COLORS = {"naive": style.PALETTE[3], "xavier": style.PALETTE[0], "he": style.PALETTE[2]}


@figure("init-variance-depth")
def init_variance_depth() -> Figure:
    """Pre-activation variance against depth for three initialisations, tanh and ReLU."""
    fig, axes = plt.subplots(1, 2, figsize=(9.6, 3.9), sharey=True)
    for ax, nonlinearity in zip(axes, ("tanh", "relu"), strict=True):
        for scheme in INITS:
            v = activation_variances(scheme, nonlinearity)
            ax.semilogy(
                np.arange(1, len(v) + 1),
                v,
                color=COLORS[scheme],
                label=LABELS[scheme],
                gid=f"init-{nonlinearity}-{scheme}",
            )
        ax.axhline(1.0, color=style.foreground(), lw=0.8, ls=":")
        ax.set(xlabel="layer $m$", ylim=(1e-42, 1e3), xlim=(1, 50))
        ax.set_title(f"{nonlinearity} network, width 128", fontsize=10)
    axes[0].set_ylabel(r"$\mathrm{Var}(z_m)$")
    axes[1].legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig
