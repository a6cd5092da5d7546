r"""Figures for the equilibrium pages (fixed points, implicit differentiation, recurrent backprop).

``equilibrium-solver-convergence``: residual against evaluations of $f$ for plain iteration and
Anderson acceleration at two spectral radii. ``implicit-memory``: bytes autograd saves for
backward against the number of forward iterations, unrolled versus implicit, next to the error
of the unrolled gradient. ``recurrent-backprop-convergence``: the error of the recurrent-backprop
gradient against adjoint steps, with the predicted linear rate. Data from
``refimpl.experiments.equilibrium``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments import equilibrium as eq
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["equilibrium_solver_convergence", "implicit_memory", "recurrent_backprop_convergence"]


@figure("equilibrium-solver-convergence")
def equilibrium_solver_convergence() -> Figure:
    """Residual of plain iteration and Anderson acceleration against evaluations of f."""
    runs = eq.solver_convergence()
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for i, (rho, run) in enumerate(sorted(runs.items())):
        color = style.PALETTE[2 * i]
        it, an = run["iteration"], run["anderson"]
        ax.semilogy(
            np.arange(1, len(it) + 1), it, color=color, ls="--", label=rf"plain, $\rho={rho}$"
        )
        ax.semilogy(
            np.arange(1, len(an) + 1), an, color=color, label=rf"Anderson ($m=5$), $\rho={rho}$"
        )
    ax.set(xlabel=r"evaluations of $f$", ylabel=r"$\|f(\phi_k)-\phi_k\| / \|f(\phi_k)\|$")
    ax.set_title(
        r"Finding $\phi^\star=\tanh(W\phi^\star+Ux+b)$, 64 units, symmetric $W$", fontsize=10
    )
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure("implicit-memory")
def implicit_memory() -> Figure:
    """Saved-for-backward bytes and gradient error against forward iterations."""
    c = eq.memory_vs_iterations()
    fig, (ax_mem, ax_err) = plt.subplots(1, 2, figsize=(9.6, 3.8))
    ax_mem.plot(
        c.steps,
        c.unrolled_bytes / 1024,
        color=style.PALETTE[3],
        label="backprop through the unrolled iteration",
    )
    ax_mem.axhline(
        c.implicit_bytes / 1024, color=style.PALETTE[0], label="implicit differentiation"
    )
    ax_mem.set(xlabel=r"forward iterations $K$", ylabel="KiB saved for backward", ylim=(0, None))
    ax_mem.set_title("(a) memory grows with $K$ only when unrolled", fontsize=10)
    ax_mem.legend(fontsize=8, loc="upper left")
    ax_err.semilogy(c.steps, c.unrolled_error, color=style.PALETTE[3], marker="o", ms=3)
    ax_err.set(xlabel=r"forward iterations $K$", ylabel="relative error vs implicit gradient")
    ax_err.set_title("(b) the unrolled gradient converges to the implicit one", fontsize=10)
    fig.tight_layout()
    return fig


@figure("recurrent-backprop-convergence")
def recurrent_backprop_convergence() -> Figure:
    """Error of the recurrent-backprop gradient against adjoint steps, with predicted rates."""
    runs = eq.rbp_convergence()
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for i, (rho, (errors, radius)) in enumerate(sorted(runs.items())):
        k = np.arange(1, len(errors) + 1)
        color = style.PALETTE[i]
        ax.semilogy(k, errors, color=color, label=rf"$\rho(W)={rho}$: $\rho(J)={radius:.2f}$")
        ax.semilogy(k, errors[0] * radius ** (k - 1.0), color=color, ls=":", lw=1.0)
    ax.set(xlabel=r"adjoint steps $k$ (vector-Jacobian products)", ylabel="relative gradient error")
    ax.set_ylim(1e-14, 2)
    ax.set_title(
        r"Recurrent backprop vs the exact implicit gradient (dotted: rate $\rho(J)^k$)", fontsize=10
    )
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
