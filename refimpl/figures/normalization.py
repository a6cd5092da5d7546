r"""Figure for the normalisation page.

``normalization-layers``: left, the second moment of each block's output through 30 ReLU
blocks at the naive initialisation, without normalisation and with batch or layer
normalisation; right, a batch-norm layer's running mean and variance over 300 batches for
three momenta. Data: ``refimpl.experiments.normalization``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments.normalization import NORMS, depth_profile, running_statistics
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["normalization_layers"]

LABELS = {"none": "no normalisation", "batch": "BatchNorm1d", "layer": "LayerNorm"}
MOMENTA = (0.1, 0.01, None)


@figure("normalization-layers")
def normalization_layers() -> Figure:
    """Activation scale through depth, and running statistics against batches."""
    fig, (ax_depth, ax_mean, ax_var) = plt.subplots(1, 3, figsize=(12.0, 3.7))
    colors = dict(zip(NORMS, (style.PALETTE[3], style.PALETTE[0], style.PALETTE[2]), strict=True))
    for norm in NORMS:
        v = depth_profile(norm)
        ax_depth.semilogy(
            np.arange(1, len(v) + 1),
            v,
            color=colors[norm],
            label=LABELS[norm],
            gid=f"depth-{norm}",
            lw=3.5 if norm == "batch" else 1.4,
            alpha=0.6 if norm == "batch" else 1.0,
        )
    ax_depth.axhline(0.5, color=style.foreground(), lw=0.8, ls=":")
    ax_depth.set(xlabel="block $m$", ylabel=r"$\mathbb{E}[a_m^2]$", ylim=(5e-4, 2))
    ax_depth.set_title("30 ReLU blocks, naive initialisation", fontsize=10)
    ax_depth.legend(fontsize=8, loc="lower left")
    for momentum, color in zip(
        MOMENTA, (style.PALETTE[1], style.PALETTE[0], style.PALETTE[2]), strict=True
    ):
        mean, var = running_statistics(momentum)
        label = "cumulative (momentum=None)" if momentum is None else f"momentum={momentum}"
        k = np.arange(1, len(mean) + 1)
        ax_mean.plot(k, mean, color=color, lw=1.1, label=label, gid=f"mean-{momentum}")
        ax_var.plot(k, var, color=color, lw=1.1, label=label, gid=f"var-{momentum}")
    ax_mean.axhline(3.0, color=style.foreground(), lw=0.8, ls="--")
    ax_var.axhline(4.0, color=style.foreground(), lw=0.8, ls="--")
    ax_mean.set(xlabel="training batches", ylabel="running_mean", ylim=(0, 4))
    ax_var.set(xlabel="training batches", ylabel="running_var", ylim=(0, 6))
    ax_mean.set_title(r"running mean, data $\mathcal{N}(3, 2^2)$", fontsize=10)
    ax_var.set_title("running variance (unbiased)", fontsize=10)
    ax_var.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig
