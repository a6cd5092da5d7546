r"""Figure for the momentum page: heavy ball, Nesterov and the slides' EMA form on a quadratic.

``momentum-quadratic`` draws the paths of gradient descent, heavy-ball momentum (with the EMA
form's identical iterates on top) and Nesterov momentum, each with its best constant
parameters, on the contours of a quadratic with $\kappa = 20$; and the excess loss against the
step for $\kappa = 100$, next to the predicted rates $((\kappa-1)/(\kappa+1))^{2t}$ and
$((\sqrt\kappa-1)/(\sqrt\kappa+1))^{2t}$. Data: ``refimpl.experiments.momentum``.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from refimpl.data import ill_conditioned_quadratic
from refimpl.experiments import momentum as mom
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["momentum_quadratic"]

#: Steps drawn on the contour panel, and run on the loss panel.
PATH_STEPS, CURVE_STEPS = 25, 150
#: Condition numbers of the two panels.
PATH_KAPPA, CURVE_KAPPA = 20.0, 100.0
COLORS = {
    "GD": style.PALETTE[6],
    "heavy ball": style.PALETTE[0],
    "EMA (slides)": style.PALETTE[1],
    "Nesterov": style.PALETTE[3],
}


@figure("momentum-quadratic")
def momentum_quadratic() -> Figure:
    """Momentum paths on a κ = 20 quadratic and convergence on a κ = 100 quadratic."""
    fig, (ax_p, ax_c) = plt.subplots(
        1, 2, figsize=(9.6, 4.0), gridspec_kw={"width_ratios": [1.15, 1]}
    )

    problem = ill_conditioned_quadratic(PATH_KAPPA)
    x, y = np.linspace(-5, 5, 201), np.linspace(-4, 4, 161)
    X, Y = np.meshgrid(x, y)
    Z = problem.suboptimality(torch.as_tensor(np.stack([X, Y], -1))).numpy()
    ax_p.contour(
        X,
        Y,
        Z,
        levels=0.5 * 2.0 ** np.arange(-3, 8),
        colors=style.foreground(),
        linewidths=0.6,
        alpha=0.35,
    )
    runs = mom.momentum_runs(PATH_KAPPA, PATH_STEPS, tuned=False)
    for name, (path, _) in runs.items():
        if name == "EMA (slides)":
            ax_p.plot(
                path[:, 0],
                path[:, 1],
                ls="none",
                marker="x",
                ms=6,
                color=COLORS[name],
                label=name + " = heavy ball",
                gid=f"mom-path-{name}",
            )
        else:
            ax_p.plot(
                path[:, 0],
                path[:, 1],
                marker="o",
                ms=2.5,
                lw=1.2,
                color=COLORS[name],
                label=name,
                gid=f"mom-path-{name}",
            )
    ax_p.plot(0, 0, marker="*", ms=11, color=style.foreground(), ls="none")
    ax_p.set(xlim=(-5, 5), ylim=(-4, 4), aspect="equal", xlabel=r"$\theta_1$", ylabel=r"$\theta_2$")
    ax_p.set_title(
        rf"{PATH_STEPS} steps, $\kappa = {PATH_KAPPA:g}$, common $\gamma$ and $\mu$", fontsize=10
    )
    ax_p.grid(False)
    ax_p.legend(fontsize=8, loc="upper left")

    runs = mom.momentum_runs(CURVE_KAPPA, CURVE_STEPS)
    t = np.arange(CURVE_STEPS + 1)
    for name, (_, subopt) in runs.items():
        style_kw = (
            {"ls": "none", "marker": "x", "ms": 4, "markevery": 6}
            if name == "EMA (slides)"
            else {"lw": 1.4}
        )
        ax_c.semilogy(
            t, subopt, color=COLORS[name], label=name, gid=f"mom-curve-{name}", **style_kw
        )
    k = CURVE_KAPPA
    start = runs["GD"][1][0]
    gd_rate = (k - 1) / (k + 1)
    hb_rate = (math.sqrt(k) - 1) / (math.sqrt(k) + 1)
    ax_c.semilogy(
        t,
        start * gd_rate ** (2 * t),
        color=style.foreground(),
        lw=0.8,
        ls=":",
        label=r"$(\frac{\kappa-1}{\kappa+1})^{2t}$",
    )
    ax_c.semilogy(
        t,
        start * hb_rate ** (2 * t),
        color=style.foreground(),
        lw=0.8,
        ls="--",
        label=r"$(\frac{\sqrt{\kappa}-1}{\sqrt{\kappa}+1})^{2t}$",
    )
    ax_c.set(xlabel="step $t$", ylabel=r"$L(\theta_t) - L(\theta^\star)$", ylim=(1e-20, start * 10))
    ax_c.set_title(rf"$\kappa = {CURVE_KAPPA:g}$, best constant parameters each", fontsize=10)
    ax_c.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig
