r"""Figures for the Hopfield and equilibrium-propagation pages.

``hopfield-energy``: (a) binary energy after every asynchronous update while corrupted patterns
are recalled; (b) energy along the continuous dynamics for symmetric and non-symmetric weights;
(c) the same two runs in the plane of the outputs. ``ep-gradient-error``: the error of EP's
gradient estimate against $\beta$, with slope-1 and slope-2 guides. Data from
``refimpl.experiments.hopfield`` and ``refimpl.experiments.eqprop``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments import eqprop, hopfield
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["ep_gradient_error", "hopfield_energy"]


@figure("hopfield-energy")
def hopfield_energy() -> Figure:
    """Energy descent of binary recall, and symmetric vs non-symmetric continuous dynamics."""
    rec = hopfield.binary_recall()
    dyn = hopfield.continuous_dynamics()
    fig, (ax_b, ax_c, ax_p) = plt.subplots(1, 3, figsize=(11.0, 3.7))
    n_units = 100
    steps = np.arange(rec.energy.shape[0]) / n_units
    for j in range(rec.energy.shape[1]):
        ax_b.plot(steps, rec.energy[:, j], color=style.PALETTE[j % 6], lw=1.2)
        ax_b.plot(steps[-1], rec.stored_energy[j], marker="*", ms=7, color=style.PALETTE[j % 6])
    ax_b.set(xlabel="asynchronous sweeps (one unit at a time)", ylabel=r"$E(s)$")
    ok = int((rec.overlap == 1.0).sum())
    ax_b.set_title(
        f"(a) binary recall from 30% noise:\n{ok}/{len(rec.overlap)} patterns recovered (stars)",
        fontsize=10,
    )

    dt = 0.01
    for (name, (energy, V)), color in zip(
        dyn.items(), (style.PALETTE[0], style.PALETTE[3]), strict=True
    ):
        t = np.arange(len(energy)) * dt
        ax_c.plot(t, energy, color=color, label=f"{name} $W$")
        ax_p.plot(V[:, 0], V[:, 1], color=color, lw=1.2)
        ax_p.plot(*V[0], marker="o", color=color, ms=5)
    ax_c.set(xlabel="time", ylabel=r"$E(V)$")
    ax_c.set_title("(b) continuous units: energy along the dynamics", fontsize=10)
    ax_c.legend(fontsize=8)
    ax_p.set(
        xlabel=r"$V_1 = \sigma(u_1)$",
        ylabel=r"$V_2 = \sigma(u_2)$",
        xlim=(0, 1),
        ylim=(0, 1),
        aspect="equal",
    )
    ax_p.set_title("(c) the same runs: fixed point vs limit cycle", fontsize=10)
    fig.tight_layout()
    return fig


@figure("ep-gradient-error")
def ep_gradient_error() -> Figure:
    """Relative error of the EP gradient estimate against beta, one-sided and symmetric."""
    r = eqprop.ep_error_vs_beta()
    beta = r["beta"]
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    ax.loglog(
        beta,
        r["one-sided"],
        marker="o",
        ms=4,
        color=style.PALETTE[0],
        label=r"one-sided: $s^\beta$ vs $s^0$",
    )
    ax.loglog(
        beta,
        r["symmetric"],
        marker="s",
        ms=4,
        color=style.PALETTE[1],
        label=r"symmetric: $s^{\beta}$ vs $s^{-\beta}$",
    )
    ink = style.foreground()
    ax.loglog(
        beta,
        r["one-sided"][0] * beta / beta[0],
        color=ink,
        ls=":",
        lw=0.9,
        label=r"slope 1 ($\propto\beta$)",
    )
    ax.loglog(
        beta,
        r["symmetric"][0] * (beta / beta[0]) ** 2,
        color=ink,
        ls="--",
        lw=0.9,
        label=r"slope 2 ($\propto\beta^2$)",
    )
    ax.set(xlabel=r"nudging strength $\beta$", ylabel="relative error vs true gradient")
    ax.set_title(
        "Equilibrium propagation converges to the gradient as $\\beta \\to 0$", fontsize=10
    )
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
