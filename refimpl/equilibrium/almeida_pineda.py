r"""Recurrent backpropagation (Almeida 1987; Pineda 1987): the adjoint as a fixed point.

At an equilibrium $z^\star = f(z^\star, x; \theta)$ with loss $\ell(z^\star)$, the gradient is
$d\ell/d\theta = \delta^{\star\top}\,\partial f/\partial\theta$, where the adjoint
$\delta^\star$ solves the linear system $(I - J)^\top\delta = \partial\ell/\partial z^\star$,
$J = \partial f/\partial z|_{z^\star}$. Instead of inverting $I - J$, recurrent backprop runs the
linear dynamics

$$
\delta_{k+1} = J^\top \delta_k + \frac{\partial \ell}{\partial z^\star},
$$

whose fixed point is $\delta^\star$. It converges whenever the spectral radius of $J$ is below
one, which is also when the forward iteration converges locally; each step costs one
vector-Jacobian product, the same as one step of ordinary backprop (`almeida1987`,
`pineda1987`, `zucchet2022bilevel`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import Tensor

from refimpl.equilibrium.solvers import SolverResult, relative_residual

__all__ = ["adjoint_iteration", "recurrent_backprop"]


# --8<-- [start:adjoint]
def adjoint_iteration(
    fz: Tensor, z: Tensor, grad: Tensor, tol: float, max_iter: int
) -> SolverResult:
    r"""Iterate $\delta_{k+1} = J^\top\delta_k + g$ from $\delta_0 = g$.

    Args:
        fz: $f(z^\star)$, computed from `z` with autograd recording.
        z: the fixed point, a leaf that requires grad.
        grad: $g = \partial\ell/\partial z^\star$, shaped like `z`.
        tol: stop when $\lVert\delta_{k+1} - \delta_k\rVert / \lVert\delta_{k+1}\rVert \le$ `tol`.
        max_iter: the most vector-Jacobian products.

    Returns:
        The adjoint $\delta$ with its residual history.
    """
    delta, residuals = grad, []
    for _ in range(max_iter):
        # delta_{k+1} = J^T delta_k + g  (one vector-Jacobian product)
        (vjp,) = torch.autograd.grad(fz, z, delta, retain_graph=True)
        new = vjp + grad
        residuals.append(relative_residual(new.reshape(1, -1), delta.reshape(1, -1)))
        delta = new
        if residuals[-1] <= tol:
            break
    return SolverResult(delta, residuals, len(residuals))
    # --8<-- [end:adjoint]


def recurrent_backprop(
    f: Callable[[Tensor, Tensor], Tensor],
    z_star: Tensor,
    x: Tensor,
    params: Sequence[Tensor],
    grad: Tensor,
    tol: float = 1e-12,
    max_iter: int = 500,
) -> tuple[list[Tensor], SolverResult]:
    r"""Gradients of $\ell(z^\star)$ for `params` by recurrent backprop.

    Args:
        f: the map `f(z, x)` whose fixed point `z_star` is.
        z_star: the equilibrium (found by any solver, without a graph).
        x: the input.
        params: tensors `f` reads that need gradients.
        grad: $\partial\ell/\partial z^\star$.
        tol: tolerance of the adjoint iteration.
        max_iter: iteration cap of the adjoint iteration.

    Returns:
        The gradients $\delta^{\star\top}\partial f/\partial\theta$ for each of `params`, and
        the adjoint iteration's result (its residual history shows the linear convergence).
    """
    with torch.enable_grad():
        z = z_star.detach().requires_grad_()
        fz = f(z, x)
        adj = adjoint_iteration(fz, z, grad, tol, max_iter)
        # dl/dtheta = delta*^T d f / d theta
        grads = torch.autograd.grad(fz, list(params), adj.z, allow_unused=True)
    return [
        torch.zeros_like(p) if g is None else g for p, g in zip(params, grads, strict=True)
    ], adj
