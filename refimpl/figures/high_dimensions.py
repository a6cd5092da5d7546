r"""Figure for the high-dimensions page: angles, norms and the thin shell.

``high-dim-concentration``: histograms of the angle between two Gaussian vectors and of
$\lVert x\rVert/\sqrt N$ for $N = 2, 10, 100, 1000$, and the fraction of a ball's volume in a
thin skin against $N$ (closed form and Monte Carlo). Data: ``refimpl.experiments.high_dimensions``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments.high_dimensions import (
    gaussian_angles_deg,
    gaussian_norms,
    shell_fraction,
    shell_fraction_mc,
)
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["high_dim_concentration"]

DIMS = (2, 10, 100, 1000)


@figure("high-dim-concentration")
def high_dim_concentration() -> Figure:
    """Angles concentrate at 90°, norms at √N, volume in the skin."""
    fig, (ax_angle, ax_norm, ax_shell) = plt.subplots(1, 3, figsize=(12.0, 3.6))
    for N, color in zip(DIMS, style.PALETTE, strict=False):
        ax_angle.hist(
            gaussian_angles_deg(N),
            bins=np.linspace(0, 180, 91),
            density=True,
            histtype="step",
            color=color,
            lw=1.3,
            label=f"$N = {N}$",
        )
        ax_norm.hist(
            gaussian_norms(N) / np.sqrt(N),
            bins=np.linspace(0, 2.5, 101),
            density=True,
            histtype="step",
            color=color,
            lw=1.3,
            label=f"$N = {N}$",
        )
    ax_angle.set(
        xlabel="angle between $x$ and $y$ (degrees)", ylabel="density", xticks=[0, 45, 90, 135, 180]
    )
    ax_angle.set_title("two independent Gaussian vectors", fontsize=10)
    ax_angle.legend(fontsize=8)
    ax_norm.set(xlabel=r"$\|x\| / \sqrt{N}$", ylabel="density")
    ax_norm.set_title(r"norm of $x \sim \mathcal{N}(0, I_N)$", fontsize=10)
    ax_norm.legend(fontsize=8)

    n = np.arange(1, 1001)
    for delta, color in ((0.01, style.PALETTE[0]), (0.05, style.PALETTE[2])):
        ax_shell.semilogx(
            n,
            shell_fraction(n, delta),
            color=color,
            label=rf"$1-(1-\delta)^N$, $\delta = {delta:g}$",
        )
    mc_dims = (2, 3, 4, 6)
    ax_shell.semilogx(
        mc_dims,
        [shell_fraction_mc(d, 0.05) for d in mc_dims],
        ls="none",
        marker="o",
        mfc="none",
        color=style.PALETTE[2],
        label="Monte Carlo",
        gid="shell-mc",
    )
    ax_shell.set(xlabel="dimension $N$", ylabel="volume fraction in the skin", ylim=(0, 1.02))
    ax_shell.set_title(r"unit ball: skin of thickness $\delta$", fontsize=10)
    ax_shell.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig
