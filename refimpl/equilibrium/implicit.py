r"""Gradients through a fixed point by the implicit function theorem.

If $z^\star = f(z^\star, x; \theta)$ and $I - \partial f/\partial z$ is invertible at $z^\star$,
the implicit function theorem makes $z^\star$ a differentiable function of $\theta$ with

$$
\frac{dz^\star}{d\theta} = \Big(I - \frac{\partial f}{\partial z}\Big|_{z^\star}\Big)^{-1}
\frac{\partial f}{\partial \theta}\Big|_{z^\star}.
$$

Backpropagation needs only the vector-Jacobian product: for an incoming gradient
$g = \partial\ell/\partial z^\star$, solve the adjoint equation
$(I - J)^\top u = g$ with $J = \partial f/\partial z|_{z^\star}$, then
$\partial\ell/\partial\theta = u^\top\,\partial f/\partial\theta$ (`bai2019deq`,
`zucchet2022bilevel`). The forward solve runs without building a graph, so memory does not grow
with the number of solver iterations. `ImplicitFixedPoint` is that rule as a
`torch.autograd.Function`; the adjoint is found either by a dense linear solve
(`backward="solve"`) or by the Almeida–Pineda iteration of `recurrent_backprop`
(`backward="iterate"`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch import Tensor

from refimpl.equilibrium.almeida_pineda import adjoint_iteration
from refimpl.equilibrium.solvers import anderson, fixed_point_iteration

__all__ = ["ImplicitFixedPoint", "adjoint_solve", "implicit_fixed_point", "unrolled_fixed_point"]

Map = Callable[[Tensor, Tensor], Tensor]


# --8<-- [start:adjoint-solve]
def adjoint_solve(fz: Tensor, z: Tensor, grad: Tensor) -> Tensor:
    r"""Solve $(I - J)^\top u = g$ exactly, building the Jacobian $J = \partial f/\partial z$.

    Args:
        fz: $f(z^\star)$, computed from `z` with autograd recording.
        z: the fixed point, a leaf that requires grad.
        grad: the incoming gradient $g$, shaped like `z`.

    Returns:
        The adjoint $u$, shaped like `z`. The Jacobian has `z.numel()` squared entries: fine
        for the small problems here, which is why large models iterate instead.
    """
    n = z.numel()
    eye = torch.eye(n, dtype=z.dtype, device=z.device)
    # e_i^T J is row i of J = d f / d z: one vector-Jacobian product per row
    rows = [torch.autograd.grad(fz, z, e.view_as(z), retain_graph=True)[0] for e in eye]
    J = torch.stack([r.reshape(-1) for r in rows])  # (n, n), J[i, j] = d f_i / d z_j
    # (I - J)^T u = g
    u = torch.linalg.solve((eye - J).T, grad.reshape(-1))  # (n,)
    return u.view_as(z)
    # --8<-- [end:adjoint-solve]


def _solve(f: Map, x: Tensor, z0: Tensor, solver: str, tol: float, max_iter: int) -> Tensor:
    if solver == "anderson":
        return anderson(lambda z: f(z, x), z0, tol=tol, max_iter=max_iter).z
    if solver == "iteration":
        return fixed_point_iteration(lambda z: f(z, x), z0, tol=tol, max_iter=max_iter).z
    raise ValueError(f"unknown solver {solver!r}: use 'anderson' or 'iteration'")


# --8<-- [start:function]
class ImplicitFixedPoint(torch.autograd.Function):
    r"""$z^\star = f(z^\star, x)$ forward, implicit-function-theorem gradients backward.

    Call through `implicit_fixed_point`. `f` must read its parameters from the tensors passed
    in `params` (for a module: `tuple(module.parameters())`), so that their gradients are
    returned here and not through a graph of the solver's iterations.
    """

    @staticmethod
    def forward(  # type: ignore[override]
        ctx: Any,
        f: Map,
        z0: Tensor,
        options: dict[str, Any],
        x: Tensor,
        *params: Tensor,
    ) -> Tensor:
        with torch.no_grad():
            z_star = _solve(f, x, z0, options["solver"], options["tol"], options["max_iter"])
        ctx.f, ctx.options = f, options
        ctx.save_for_backward(z_star, x, *params)
        return z_star

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> tuple[Tensor | None, ...]:  # type: ignore[override]
        z_star, x, *params = ctx.saved_tensors
        with torch.enable_grad():
            z = z_star.detach().requires_grad_()
            fz = ctx.f(z, x)
            # the adjoint u solves u = J^T u + g, i.e. (I - J)^T u = g
            if ctx.options["backward"] == "solve":
                u = adjoint_solve(fz, z, grad)
            else:
                opts = ctx.options
                u = adjoint_iteration(fz, z, grad, opts["tol"], opts["max_iter"]).z
            # dl/d(x, theta) = u^T d f / d(x, theta)
            wrt = [x, *params]
            needs = [t.requires_grad for t in wrt]
            targets = [t for t, need in zip(wrt, needs, strict=True) if need]
            found = iter(torch.autograd.grad(fz, targets, u, allow_unused=True) if targets else ())
        grads = [next(found) if need else None for need in needs]
        return (None, None, None, *grads)
        # --8<-- [end:function]


def implicit_fixed_point(
    f: Map,
    x: Tensor,
    z0: Tensor,
    params: Sequence[Tensor],
    solver: str = "anderson",
    backward: str = "solve",
    tol: float = 1e-12,
    max_iter: int = 500,
) -> Tensor:
    r"""The fixed point $z^\star = f(z^\star, x)$ with implicit gradients for `x` and `params`.

    Args:
        f: the map `f(z, x)`; its parameters must be among `params`.
        x: the input, shape `(B, ...)`.
        z0: the solver's starting point.
        params: every tensor `f` reads that should receive a gradient.
        solver: `"anderson"` or `"iteration"` (plain fixed-point iteration).
        backward: `"solve"` (dense adjoint solve) or `"iterate"` (recurrent backprop).
        tol: relative-residual tolerance of the forward and adjoint solves.
        max_iter: iteration cap of the forward and adjoint solves.

    Returns:
        $z^\star$, shaped like `z0`.
    """
    if backward not in ("solve", "iterate"):
        raise ValueError(f"unknown backward {backward!r}: use 'solve' or 'iterate'")
    options = {"solver": solver, "backward": backward, "tol": tol, "max_iter": max_iter}
    return ImplicitFixedPoint.apply(f, z0, options, x, *params)


# --8<-- [start:unrolled]
def unrolled_fixed_point(f: Map, x: Tensor, z0: Tensor, steps: int) -> Tensor:
    r"""`steps` plain iterations $z_{k+1} = f(z_k, x)$ with autograd recording every one.

    Backpropagating through the result is backprop through the solver: exact for the unrolled
    computation, but it stores the activations of every step.
    """
    z = z0
    for _ in range(steps):
        z = f(z, x)
    return z
    # --8<-- [end:unrolled]
