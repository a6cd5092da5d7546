"""Figure for the multiplicative-interactions page: a conditional function, with and without MI.

``mi-conditional-fit`` plots the test error during training of two concatenation networks and a
much smaller multiplicative-interaction network on $y = |z^\\top x|$, and their predictions for
one context $z$ beside the target. Data come from ``refimpl.experiments.multiplicative``.
"""

from __future__ import annotations

import math

from matplotlib.figure import Figure

from refimpl.experiments.multiplicative import run
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["mi_conditional_fit"]


@figure("mi-conditional-fit")
def mi_conditional_fit() -> Figure:
    """Test error against steps, and predicted functions for a fixed context."""
    result = run()
    fig = Figure(figsize=(9.0, 4.6))
    grid = fig.add_gridspec(2, 4, height_ratios=(1.15, 1), hspace=0.6, wspace=0.3)
    ax = fig.add_subplot(grid[0, :])
    colours = {
        "concat, 16 units": style.PALETTE[1],
        "concat, 64 units": style.PALETTE[2],
        "MI, 4 units": style.PALETTE[0],
    }
    for name, model in result["models"].items():
        ax.semilogy(
            result["steps"],
            model["test"],
            color=colours[name],
            label=f"{name} ({model['params']} parameters)",
        )
    ax.set(xlabel="Adam step", ylabel="test MSE")
    ax.set_title(r"Fitting $y = |z^\top x|$, $z = (\cos\theta, \sin\theta)$", fontsize=10)
    ax.legend(fontsize=8, loc="upper right")
    extent = (-1, 1, -1, 1)
    panels = [("target", result["target"]), *result["predictions"].items()]
    vmax = result["target"].max()
    degrees = round(math.degrees(result["theta"]))
    for col, (name, values) in enumerate(panels):
        a = fig.add_subplot(grid[1, col])
        a.imshow(values, origin="lower", extent=extent, cmap="viridis", vmin=0, vmax=vmax)
        a.set_title(name, fontsize=9)
        a.set(xticks=[-1, 0, 1], yticks=[-1, 0, 1])
        a.tick_params(labelsize=7)
        a.grid(False)
        if col == 0:
            a.set_ylabel(f"$x_2$  ($\\theta = {degrees}°$)", fontsize=8)
        a.set_xlabel("$x_1$", fontsize=8)
    return fig
