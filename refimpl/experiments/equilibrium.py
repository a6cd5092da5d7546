r"""Experiments for the equilibrium pages: solver convergence, memory of unrolled vs implicit
gradients, and the convergence of recurrent backprop.

All use an `EquilibriumRNN` $\phi^\star = \tanh(W\phi^\star + Ux + b)$ in float64 with a
symmetric $W$ rescaled to a chosen spectral radius $\rho$, so the speed of plain iteration is
set by $\rho$ (the Jacobian at the fixed point is $\mathrm{diag}(\sigma')\,W$).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch

from refimpl.equilibrium import (
    anderson,
    fixed_point_iteration,
    implicit_fixed_point,
    saved_tensor_bytes,
    unrolled_fixed_point,
)
from refimpl.experiments._threads import one_thread
from refimpl.nn import EquilibriumRNN

__all__ = [
    "MemoryCurve",
    "demo_equilibrium_rnn",
    "memory_vs_iterations",
    "rbp_convergence",
    "solver_convergence",
]

F64 = torch.float64


def demo_equilibrium_rnn(
    rho: float, hidden: int = 64, inputs: int = 8, batch: int = 4, seed: int = 0
):
    """A seeded `EquilibriumRNN` with symmetric $W$ of spectral radius `rho`, and an input batch."""
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    model = EquilibriumRNN(inputs, hidden).double()
    with torch.no_grad():
        A = torch.randn(hidden, hidden, generator=gen, dtype=F64)
        W = A + A.T
        model.weight_hh.copy_(rho * W / torch.linalg.eigvalsh(W).abs().max())
    x = 0.3 * torch.randn(batch, inputs, generator=gen, dtype=F64)
    return model, x


@functools.cache
@one_thread
def solver_convergence(rhos: tuple[float, ...] = (0.9, 0.99), m: int = 5) -> dict:
    """Residual histories of plain iteration and Anderson(`m`) for each spectral radius.

    Returns:
        `{rho: {"iteration": array, "anderson": array}}` of relative residuals per evaluation.
    """
    out = {}
    for rho in rhos:
        model, x = demo_equilibrium_rnn(rho)
        z0 = torch.zeros(x.shape[0], model.hidden_size, dtype=F64)
        f = lambda z, model=model, x=x: model.cell(z, x)  # noqa: E731
        with torch.no_grad():
            plain = fixed_point_iteration(f, z0, tol=1e-13, max_iter=1500)
            fast = anderson(f, z0, m=m, tol=1e-13, max_iter=1500)
        out[rho] = {"iteration": np.array(plain.residuals), "anderson": np.array(fast.residuals)}
    return out


@dataclass(frozen=True)
class MemoryCurve:
    """Saved-for-backward bytes and gradient error against the number of forward iterations.

    Attributes:
        steps: forward iterations $K$.
        unrolled_bytes: bytes autograd saved when backpropagating through $K$ unrolled steps.
        implicit_bytes: bytes saved by the implicit layer (the same for every $K$).
        unrolled_error: relative error of the unrolled gradient against the implicit one.
    """

    steps: np.ndarray
    unrolled_bytes: np.ndarray
    implicit_bytes: float
    unrolled_error: np.ndarray


@functools.cache
@one_thread
def memory_vs_iterations(
    rho: float = 0.9, steps: tuple[int, ...] = tuple(range(5, 201, 5))
) -> MemoryCurve:
    """Memory and accuracy of unrolled backprop against implicit differentiation."""
    model, x = demo_equilibrium_rnn(rho)
    z0 = torch.zeros(x.shape[0], model.hidden_size, dtype=F64)
    params = list(model.parameters())
    target = torch.randn(z0.shape, generator=torch.Generator().manual_seed(1), dtype=F64)

    def loss(z: torch.Tensor) -> torch.Tensor:
        return 0.5 * ((z - target) ** 2).sum()

    out, implicit_bytes = saved_tensor_bytes(
        lambda: loss(implicit_fixed_point(model.cell, x, z0, params, backward="iterate"))
    )
    g_star = torch.cat([g.flatten() for g in torch.autograd.grad(out, params)])
    unrolled_bytes, errors = [], []
    for k in steps:
        out, nbytes = saved_tensor_bytes(
            lambda k=k: loss(unrolled_fixed_point(model.cell, x, z0, k))
        )
        g = torch.cat([g.flatten() for g in torch.autograd.grad(out, params)])
        unrolled_bytes.append(nbytes)
        errors.append(float((g - g_star).norm() / g_star.norm()))
    return MemoryCurve(
        np.array(steps), np.array(unrolled_bytes), float(implicit_bytes), np.array(errors)
    )


@functools.cache
@one_thread
def rbp_convergence(rhos: tuple[float, ...] = (0.5, 0.9, 0.99), max_iter: int = 400) -> dict:
    """Recurrent backprop: relative error of the gradient after $k$ adjoint steps.

    The reference is the exact implicit gradient (dense adjoint solve). The loop is the
    iteration of `refimpl.equilibrium.adjoint_iteration`, with the parameter gradient read out
    after every step.

    Returns:
        `{rho: (errors, predicted)}`: the error after each step, and the contraction factor of
        the adjoint iteration (the spectral radius of $J$ at the fixed point).
    """
    out = {}
    for rho in rhos:
        model, x = demo_equilibrium_rnn(rho, batch=1)
        params = list(model.parameters())
        z0 = torch.zeros(1, model.hidden_size, dtype=F64)
        target = torch.randn(z0.shape, generator=torch.Generator().manual_seed(1), dtype=F64)
        z = implicit_fixed_point(model.cell, x, z0, params, backward="solve")
        exact = torch.autograd.grad(0.5 * ((z - target) ** 2).sum(), params)
        exact = torch.cat([g.flatten() for g in exact])
        z_star = z.detach()
        grad_z = z_star - target
        with torch.enable_grad():
            zz = z_star.requires_grad_()
            fz = model.cell(zz, x)
            delta, errors = grad_z, []
            for _ in range(max_iter):
                # delta_{k+1} = J^T delta_k + dl/dz*, then dl/dtheta ~ delta^T df/dtheta
                delta = torch.autograd.grad(fz, zz, delta, retain_graph=True)[0] + grad_z
                grads = torch.autograd.grad(fz, params, delta, retain_graph=True)
                g = torch.cat([g.flatten() for g in grads])
                errors.append(float((g - exact).norm() / exact.norm()))
                if errors[-1] < 1e-13:
                    break
        z_star = z_star.detach()
        # J = diag(1 - phi*^2) W at the fixed point
        J = (1 - z_star[0] ** 2)[:, None] * model.weight_hh.detach()
        radius = float(torch.linalg.eigvals(J).abs().max())
        out[rho] = (np.array(errors), radius)
    return out
