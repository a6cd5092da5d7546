"""Figures for the generative-model pages: autoencoders, normalising flows and diffusion.

``autoencoder-arc`` compares the reconstructions of a linear and a tanh autoencoder with a
one-dimensional code; ``realnvp-moons`` shows a RealNVP flow's base-space view, density and
samples on two moons; ``ddpm-moons`` shows the forward and the learned reverse diffusion
processes. Data come from ``refimpl.experiments.autoencoders``, ``normalizing_flows`` and
``diffusion``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments.autoencoders import fit_autoencoders
from refimpl.experiments.diffusion import train_diffusion
from refimpl.experiments.normalizing_flows import fit_flow
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["autoencoder_arc", "ddpm_moons", "realnvp_moons"]

LIMITS = (-2.5, 2.5)


def _square(ax: plt.Axes, limits: tuple[float, float] = LIMITS) -> None:
    ax.set(xlim=limits, ylim=limits, aspect="equal", xticks=[], yticks=[])


@figure("autoencoder-arc")
def autoencoder_arc() -> Figure:
    """Points on an arc, reconstructed from a one-number code by linear and tanh autoencoders."""
    data, fits = fit_autoencoders()
    fig, axes = plt.subplots(1, 2, figsize=(8.0, 4.0), sharex=True, sharey=True)
    titles = {"linear": "linear autoencoder (= PCA)", "tanh": "tanh autoencoder, 16-16 hidden"}
    for ax, (name, fit) in zip(axes, fits.items(), strict=True):
        ax.scatter(*data.T, s=6, color=style.PALETTE[6], alpha=0.6, label="data $x$")
        ax.plot(*fit.curve.T, color=style.PALETTE[0], lw=2, label="decoder image $g(h)$")
        ax.scatter(
            *fit.reconstruction.T, s=6, color=style.PALETTE[1], label="reconstruction $g(f(x))$"
        )
        ax.set_title(f"{titles[name]}\nmean squared error {fit.mse:.3f}", fontsize=10)
        _square(ax, (-1.6, 1.6))
    axes[0].legend(loc="lower left", fontsize=8, markerscale=2)
    fig.tight_layout()
    return fig


@figure("realnvp-moons")
def realnvp_moons() -> Figure:
    """A RealNVP flow on two moons: data, data in the base space, learned density and samples."""
    fit = fit_flow()
    fig, axes = plt.subplots(1, 4, figsize=(11.0, 3.2))
    colors = np.where(
        fit.data[:, 0] < np.median(fit.data[:, 0]), style.PALETTE[0], style.PALETTE[1]
    )
    axes[0].scatter(*fit.data.T, s=4, c=colors)
    axes[0].set_title("data $x$", fontsize=10)
    axes[1].scatter(*fit.latent.T, s=4, c=colors)
    theta = np.linspace(0, 2 * np.pi, 200)
    for r in (1, 2):
        axes[1].plot(
            r * np.cos(theta), r * np.sin(theta), color=style.foreground(), lw=0.7, alpha=0.6
        )
    axes[1].set_title("base space $z = f(x)$", fontsize=10)
    axes[2].pcolormesh(fit.grid, fit.grid, fit.density, cmap="viridis", shading="auto")
    axes[2].set_title("learned density $p_X$", fontsize=10)
    axes[3].scatter(*fit.samples.T, s=4, color=style.PALETTE[2])
    axes[3].set_title("samples $f^{-1}(z)$", fontsize=10)
    for ax in axes:
        _square(ax, (-3.2, 3.2) if ax is axes[1] else LIMITS)
        ax.grid(False)
    fig.tight_layout()
    return fig


@figure("ddpm-moons")
def ddpm_moons() -> Figure:
    """Forward diffusion of two moons into noise, and the learned reverse process back."""
    run = train_diffusion()
    T = run.steps
    shown = (0, T // 10, T // 4, T // 2, T)
    fig, axes = plt.subplots(2, len(shown), figsize=(11.0, 4.8))
    for col, t in enumerate(shown):
        ax = axes[0, col]
        ax.scatter(*run.forward_path[t].T, s=3, color=style.PALETTE[0])
        abar = 1.0 if t == 0 else run.alpha_bars[t - 1]
        ax.set_title(rf"$q(x_{{{t}}})$, $\bar\alpha = {abar:.2f}$", fontsize=10)
        ax = axes[1, col]
        ax.scatter(*run.reverse_path[T - t].T, s=3, color=style.PALETTE[1])
        ax.set_title(rf"$p_\theta(x_{{{t}}})$", fontsize=10)
    for ax in axes.flat:
        _square(ax, (-3.2, 3.2))
    axes[0, 0].set_ylabel("forward: data to noise")
    axes[1, 0].set_ylabel("reverse: noise to data")
    fig.tight_layout()
    return fig
