r"""Figures for the state-space page: eigenvalues at initialisation, and the LRU's $\gamma$.

Data from ``refimpl.experiments.ssm_lru``.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments import ssm_lru
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["lru_state_variance", "ssm_eigenvalues"]


def _unit_circle(ax: plt.Axes) -> None:
    t = np.linspace(0, 2 * np.pi, 400)
    ax.plot(np.cos(t), np.sin(t), color=style.foreground(), lw=0.8, alpha=0.6)
    ax.set(aspect="equal", xlabel=r"$\mathrm{Re}\,\lambda$", ylabel=r"$\mathrm{Im}\,\lambda$")


@figure("ssm-eigenvalues")
def ssm_eigenvalues() -> Figure:
    """Discrete eigenvalues on the complex plane: S4D-Lin under three rules, and LRU rings."""
    fig, axes = plt.subplots(1, 2, figsize=(9.6, 4.6))
    rules = ssm_lru.discretized_eigenvalues()
    markers = {"euler": ("x", "forward Euler"), "zoh": ("o", "zero-order hold"),
               "bilinear": ("+", "bilinear")}  # fmt: skip
    _unit_circle(axes[0])
    for (method, lam), color in zip(rules.items(), style.PALETTE, strict=False):
        marker, label = markers[method]
        axes[0].plot(lam.real, lam.imag, ls="none", marker=marker, ms=5, color=color, label=label)
    axes[0].set(xlim=(-1.3, 1.4), ylim=(-0.3, 2.1))
    axes[0].set_title(r"(a) S4D-Lin $a_n = -\frac{1}{2} + i\pi n$, $\Delta = 0.02$", fontsize=10)
    axes[0].legend(fontsize=8, loc="upper left")
    _unit_circle(axes[1])
    rings = (
        (0.0, 1.0, 2 * math.pi, r"$r \in [0, 1]$, phase $\in [0, 2\pi]$"),
        (0.9, 0.999, math.pi / 10, r"$r \in [0.9, 0.999]$, phase $\in [0, \pi/10]$"),
    )
    for (r_min, r_max, phase, label), color in zip(rings, style.PALETTE[3:], strict=False):
        lam = ssm_lru.lru_eigenvalues(r_min, r_max, phase)
        axes[1].plot(lam.real, lam.imag, ls="none", marker=".", ms=3, color=color, label=label)
    axes[1].set(xlim=(-1.15, 1.15), ylim=(-1.15, 1.15))
    axes[1].set_title("(b) LRU ring initialisation, 256 eigenvalues", fontsize=10)
    axes[1].legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig


@figure("lru-state-variance")
def lru_state_variance() -> Figure:
    """Stationary state variance against |λ|, with and without the γ normalisation."""
    v = ssm_lru.state_variance()
    r = np.linspace(0, 0.985, 200)
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    ax.semilogy(
        r, 1 / (1 - r**2), color=style.PALETTE[3], lw=1.2, label=r"theory $1/(1-|\lambda|^2)$"
    )
    ax.semilogy(
        v["radii"], v["without_gamma"], "o", color=style.PALETTE[3], label=r"simulated, no $\gamma$"
    )
    ax.semilogy(
        r, np.ones_like(r), color=style.PALETTE[0], lw=1.2, label=r"theory with $\gamma$: 1"
    )
    ax.semilogy(v["radii"], v["with_gamma"], "s", color=style.PALETTE[0],
                label=r"simulated, $\gamma = \sqrt{1-|\lambda|^2}$")  # fmt: skip
    ax.set(xlabel=r"$|\lambda|$", ylabel=r"$\mathbb{E}\,|x_k|^2$ (after 400 steps)")
    ax.set_title("One LRU mode driven by unit-variance white noise", fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig
