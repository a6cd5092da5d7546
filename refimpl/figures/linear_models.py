r"""Figure for the linear-models page: a line fitted in closed form and by gradient descent.

``linear-model-fit``: left, the data, the closed-form least-squares line and gradient-descent
lines after a few steps; right, the gradient-descent path in the $(a, b)$ plane on the loss
contours, ending on the closed-form solution. Data: ``refimpl.experiments.linear_models``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments.linear_models import line_fit
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["linear_model_fit"]

SHOWN_STEPS = (1, 3, 10)


@figure("linear-model-fit")
def linear_model_fit() -> Figure:
    """The data with closed-form and GD lines, and the GD path on the loss contours."""
    fit = line_fit()
    fig, (ax_data, ax_path) = plt.subplots(1, 2, figsize=(9.6, 3.9))
    xs = np.linspace(0, 2, 50)
    ax_data.scatter(fit.x, fit.y, s=16, color=style.foreground(), zorder=3, label="data")
    for t, alpha in zip(SHOWN_STEPS, (0.35, 0.6, 0.85), strict=True):
        a, b = fit.gd_path[t]
        ax_data.plot(
            xs, a * xs + b, color=style.PALETTE[1], alpha=alpha, lw=1.2, label=f"GD, step {t}"
        )
    a, b = fit.closed_form
    ax_data.plot(
        xs,
        a * xs + b,
        color=style.PALETTE[0],
        lw=2.2,
        label=f"closed form: $y = {a:.2f}x + {b:.2f}$",
    )
    ax_data.set(xlabel="$x$", ylabel="$y$")
    ax_data.legend(fontsize=8, loc="upper left")

    A, B = np.meshgrid(np.linspace(-0.3, 2.6, 200), np.linspace(-0.5, 2.2, 200))
    pred = A[..., None] * fit.x + B[..., None]  # (200, 200, n)
    loss = 0.5 * ((pred - fit.y) ** 2).mean(-1)
    ax_path.contour(
        A,
        B,
        loss,
        levels=np.geomspace(loss.min() + 1e-3, loss.max(), 14),
        colors=style.foreground(),
        linewidths=0.6,
        alpha=0.4,
    )
    ax_path.plot(
        fit.gd_path[:, 0],
        fit.gd_path[:, 1],
        "o-",
        ms=2.5,
        lw=1,
        color=style.PALETTE[1],
        label=f"gradient descent, $\\gamma = {fit.lr:g}$",
        gid="gd-path",
    )
    ax_path.plot(
        *fit.closed_form,
        marker="*",
        ms=14,
        color=style.PALETTE[0],
        ls="none",
        label="normal equations",
    )
    ax_path.set(xlabel="slope $a$", ylabel="intercept $b$")
    ax_path.legend(fontsize=8, loc="upper right")
    ax_path.grid(False)
    fig.tight_layout()
    return fig
