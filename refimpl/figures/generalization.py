r"""Figures for the generalisation pages.

``polynomial-capacity``: order 1, 2 and 9 fits to ten points, and training against validation
error for degrees 0 to 9. ``regularization-paths``: validation error of the degree-9 fit against
the L2 penalty, and against gradient-descent steps (early stopping). ``double-descent``: test
error of minimum-norm random-features regression against the number of features.
``inductive-bias-extrapolation``: three model families agreeing on the data and disagreeing
away from it. Data: ``refimpl.experiments.generalization``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from refimpl.experiments import generalization as gen
from refimpl.figures import style
from refimpl.figures.registry import figure
from refimpl.nn.polynomial_regression import PolynomialRegression

__all__ = [
    "double_descent",
    "inductive_bias_extrapolation",
    "polynomial_capacity",
    "regularization_paths",
]

LAMBDAS = tuple(float(v) for v in np.geomspace(1e-8, 10, 25))
FEATURES = tuple(sorted({int(v) for v in np.geomspace(5, 1000, 24)} | {100}))


@figure("polynomial-capacity")
def polynomial_capacity() -> Figure:
    """Three polynomial fits, and the train/validation errors against the degree."""
    x, y = gen.noisy_line(10, seed=0)
    fig, (ax_fit, ax_err) = plt.subplots(1, 2, figsize=(9.6, 3.9))
    grid = torch.linspace(-1, 1, 400, dtype=torch.float64)
    ax_fit.scatter(
        x.numpy(), y.numpy(), s=20, color=style.foreground(), zorder=3, label="10 training points"
    )
    ax_fit.plot(
        grid.numpy(),
        1.6 * grid.numpy() + 1.05,
        ls=":",
        lw=0.9,
        color=style.foreground(),
        label="$y = 1.6x + 1.05$",
    )
    for degree, color in ((1, style.PALETTE[0]), (2, style.PALETTE[2]), (9, style.PALETTE[3])):
        model = PolynomialRegression(degree, dtype=torch.float64).fit(x, y)
        with torch.no_grad():
            ax_fit.plot(
                grid.numpy(),
                model(grid).numpy(),
                color=color,
                label=f"degree {degree}",
                gid=f"poly-{degree}",
            )
    ax_fit.set(xlabel="$x$", ylabel="$y$", ylim=(-2, 4.5))
    ax_fit.legend(fontsize=8, loc="upper left")
    c = gen.polynomial_capacity()
    ax_err.semilogy(
        c.degrees,
        np.maximum(c.train_mse, 2e-3),
        "o-",
        color=style.PALETTE[0],
        label="training error",
        gid="train-mse",
    )
    ax_err.semilogy(
        c.degrees, c.val_mse, "s-", color=style.PALETTE[3], label="validation error", gid="val-mse"
    )
    ax_err.axhline(
        gen.NOISE**2, color=style.foreground(), lw=0.8, ls=":", label=r"noise variance $0.3^2$"
    )
    ax_err.annotate(
        "degree 9: zero\n(interpolates)",
        (9, 2e-3),
        xytext=(4.3, 1.15e-3),
        fontsize=8,
        arrowprops={"arrowstyle": "->", "color": style.foreground(), "lw": 0.8},
    )
    ax_err.set(xlabel="polynomial degree", ylabel="mean squared error", ylim=(1e-3, 1e5))
    ax_err.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


@figure("regularization-paths")
def regularization_paths() -> Figure:
    """Validation error against the ridge penalty and against gradient-descent steps."""
    fig, (ax_ridge, ax_stop) = plt.subplots(1, 2, figsize=(9.6, 3.8), sharey=True)
    train, val = gen.ridge_path(LAMBDAS)
    ax_ridge.loglog(LAMBDAS, train, color=style.PALETTE[0], label="training", gid="ridge-train")
    ax_ridge.loglog(LAMBDAS, val, color=style.PALETTE[3], label="validation", gid="ridge-val")
    ax_ridge.set(xlabel=r"L2 penalty $\lambda$", ylabel="mean squared error")
    ax_ridge.set_title("degree 9, ridge regression", fontsize=10)
    ax_ridge.legend(fontsize=8)
    steps, train, val = gen.early_stopping()
    ax_stop.loglog(steps, train, color=style.PALETTE[0], label="training", gid="stop-train")
    ax_stop.loglog(steps, val, color=style.PALETTE[3], label="validation", gid="stop-val")
    best = int(np.argmin(val))
    ax_stop.plot(
        steps[best],
        val[best],
        marker="*",
        ms=12,
        color=style.PALETTE[2],
        ls="none",
        label=f"best: step {steps[best]}",
    )
    ax_stop.set(xlabel="gradient-descent steps")
    ax_stop.set_title("degree 9, gradient descent from zero", fontsize=10)
    ax_stop.legend(fontsize=8)
    for ax in (ax_ridge, ax_stop):
        ax.axhline(gen.NOISE**2, color=style.foreground(), lw=0.8, ls=":")
    fig.tight_layout()
    return fig


@figure("double-descent")
def double_descent() -> Figure:
    """Test and training error against the number of random features."""
    d = gen.double_descent(FEATURES)
    fig, ax = plt.subplots(figsize=(6.4, 3.9))
    ax.loglog(
        d.features,
        d.test_mse,
        "o-",
        ms=3.5,
        color=style.PALETTE[3],
        label="test error",
        gid="dd-test",
    )
    ax.loglog(
        d.features,
        np.maximum(d.train_mse, 1e-6),
        "s-",
        ms=3,
        color=style.PALETTE[0],
        label="training error (floored at $10^{-6}$)",
        gid="dd-train",
    )
    ax.axvline(d.n_train, color=style.foreground(), lw=0.8, ls="--")
    ax.text(d.n_train * 1.08, 20.0, f"$p = n = {d.n_train}$", fontsize=9)
    ax.set(xlabel="random ReLU features $p$", ylabel="mean squared error", ylim=(1e-6, 100))
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig


@figure("inductive-bias-extrapolation")
def inductive_bias_extrapolation() -> Figure:
    """Three model families fitted to the same points, far from the data."""
    e = gen.extrapolations()
    fig, ax = plt.subplots(figsize=(7.2, 4.0))
    x, y = e["data"]
    ax.axvspan(-1, 1, color=style.foreground(), alpha=0.07, lw=0)
    colors = (style.PALETTE[1], style.PALETTE[3], style.PALETTE[0])
    for (name, (g, pred)), color in zip(
        ((k, v) for k, v in e.items() if k != "data"), colors, strict=True
    ):
        ax.plot(g, pred, color=color, lw=1.6, label=name, gid=f"extrap-{name}")
    ax.scatter(x, y, s=22, color=style.foreground(), zorder=3, label="12 training points")
    ax.set(xlabel="$x$", ylabel="$h(x)$", ylim=(-3.5, 3.5), xlim=(-3, 3))
    ax.text(0, -3.2, "training range", ha="center", fontsize=9)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig
