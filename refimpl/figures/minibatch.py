r"""Figure for the SGD page: minibatch-gradient noise against batch size, and its effect on SGD.

``sgd-minibatch-noise`` plots the measured mean squared error of the minibatch gradient against
$B$ on log-log axes next to $\operatorname{tr}\Sigma/B$ (and the finite-population version for
sampling without replacement), and the full-data excess loss of SGD runs with several batch
sizes at one learning rate against the number of epochs. Data: ``refimpl.experiments.minibatch``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments import minibatch as mb
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["sgd_minibatch_noise"]

#: Batch sizes of the gradient-noise panel (the data set has 256 examples).
NOISE_BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128)
#: Batch sizes of the training panel (256 is full-batch gradient descent).
TRAIN_BATCH_SIZES = (1, 8, 64, 256)


@figure("sgd-minibatch-noise")
def sgd_minibatch_noise() -> Figure:
    """Minibatch-gradient error against B, and SGD's excess loss for several B."""
    noise = mb.minibatch_gradient_noise(NOISE_BATCH_SIZES)
    curves = mb.sgd_batch_size_curves(TRAIN_BATCH_SIZES)
    fig, (ax_n, ax_t) = plt.subplots(1, 2, figsize=(9.6, 3.8))

    B = noise.batch_sizes
    ax_n.loglog(
        B, noise.predicted_with, color=style.PALETTE[0], lw=1.2, label=r"$\mathrm{tr}\,\Sigma/B$"
    )
    ax_n.loglog(
        B,
        noise.mse_with_replacement,
        "o",
        color=style.PALETTE[0],
        ms=5,
        label="measured, with replacement",
        gid="sgd-noise-with",
    )
    ax_n.loglog(
        B,
        noise.predicted_without,
        color=style.PALETTE[1],
        lw=1.2,
        ls="--",
        label=r"$\frac{\mathrm{tr}\,\Sigma}{B}\cdot\frac{N-B}{N-1}$",
    )
    ax_n.loglog(
        B,
        noise.mse_without_replacement,
        "s",
        color=style.PALETTE[1],
        ms=4,
        label="measured, without replacement",
        gid="sgd-noise-without",
    )
    ax_n.set(xlabel="batch size $B$", ylabel=r"$\mathbb{E}\,\|\hat g_B - \nabla L\|^2$")
    ax_n.set_title("Minibatch gradient error ($N = 256$)", fontsize=10)
    ax_n.legend(fontsize=8, loc="lower left")

    colors = dict(zip(TRAIN_BATCH_SIZES, style.PALETTE, strict=False))
    for b, (epochs, excess) in curves.items():
        label = f"$B = {b}$" + (" (full batch)" if b == TRAIN_BATCH_SIZES[-1] else "")
        ax_t.semilogy(epochs, excess, color=colors[b], lw=1.2, label=label, gid=f"sgd-curve-{b}")
    ax_t.set(xlabel="epochs (examples seen / $N$)", ylabel=r"$L(\theta) - L(\theta^\star)$")
    ax_t.set_title(r"SGD with one learning rate, $\gamma = 0.02$", fontsize=10)
    ax_t.set_ylim(bottom=max(1e-4, float(np.min([c[1].min() for c in curves.values()])) / 2))
    ax_t.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return fig
