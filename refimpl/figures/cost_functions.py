r"""Figure for the cost-functions page.

``cost-functions``: left, squared, absolute and Huber costs of a residual and (inset style, in
a second panel) the lines they fit to data with three outliers.
Data: ``refimpl.experiments.cost_functions``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from refimpl.experiments.cost_functions import outlier_data, robust_fits
from refimpl.figures import style
from refimpl.figures.registry import figure
from refimpl.functional.losses import huber_loss, l1_loss, mse_loss

__all__ = ["cost_functions"]


@figure("cost-functions")
def cost_functions() -> Figure:
    """The costs as functions of the residual, and the lines they fit with outliers."""
    fig, (ax_cost, ax_fit) = plt.subplots(1, 2, figsize=(9.6, 3.8))
    r = torch.linspace(-3, 3, 301, dtype=torch.float64)
    zero = torch.zeros(1, dtype=torch.float64)
    colors = (style.PALETTE[3], style.PALETTE[0], style.PALETTE[2])
    per_point = {
        "squared (MSE)": [mse_loss(v[None], zero).item() for v in r],
        "absolute (MAE)": [l1_loss(v[None], zero).item() for v in r],
        "Huber, κ = 0.5": [huber_loss(v[None], zero, delta=0.5).item() for v in r],
    }
    for (name, values), color in zip(per_point.items(), colors, strict=True):
        ax_cost.plot(r.numpy(), values, color=color, label=name)
    ax_cost.set(xlabel=r"residual $r = \hat{y} - y$", ylabel="cost of one point", ylim=(0, 4))
    ax_cost.legend(fontsize=8)

    x, y = outlier_data()
    ax_fit.scatter(x.numpy(), y.numpy(), s=16, color=style.foreground(), zorder=3)
    xs = np.linspace(0, 2, 50)
    for (name, (a, b)), color in zip(robust_fits().items(), colors, strict=True):
        ax_fit.plot(
            xs,
            a * xs + b,
            color=color,
            label=f"{name}: $y = {a:.2f}x + {b:.2f}$",
            gid=f"fit-{name}",
        )
    ax_fit.plot(
        xs,
        1.6 * xs + 1.05,
        color=style.foreground(),
        ls=":",
        lw=0.9,
        label="true line $y = 1.6x + 1.05$",
    )
    ax_fit.set(xlabel="$x$", ylabel="$y$")
    ax_fit.legend(fontsize=7.5, loc="lower left")
    fig.tight_layout()
    return fig
