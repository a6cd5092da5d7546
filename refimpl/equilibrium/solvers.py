r"""Fixed-point solvers: plain iteration and Anderson acceleration.

A fixed point of a map $f$ is a $z^\star$ with $z^\star = f(z^\star)$. Plain (Picard) iteration
runs $z_{k+1} = f(z_k)$; when $f$ is a contraction with Lipschitz constant $\gamma < 1$ the error
shrinks at least by $\gamma$ per step (Banach's fixed-point theorem). Anderson acceleration keeps
the last $m$ iterates and residuals $g_i = f(z_i) - z_i$ and extrapolates with the affine
combination of them whose residual is smallest,

$$
\alpha = \arg\min_{\sum_i \alpha_i = 1} \Big\lVert \sum_i \alpha_i g_i \Big\rVert^2, \qquad
z_{k+1} = \sum_i \alpha_i f(z_i),
$$

which is the solver used by deep equilibrium models (`bai2019deq`). Both solvers treat the first
dimension of `z` as a batch and every batch element as its own problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import Tensor

__all__ = ["SolverResult", "anderson", "fixed_point_iteration", "relative_residual"]


@dataclass
class SolverResult:
    r"""What a fixed-point solver returns.

    Attributes:
        z: the approximate fixed point, the same shape as the starting point.
        residuals: the relative residual $\lVert f(z_k) - z_k\rVert / \lVert f(z_k)\rVert$
            (worst batch element) after every evaluation of $f$.
        iterations: how many times $f$ was evaluated.
    """

    z: Tensor
    residuals: list[float] = field(default_factory=list)
    iterations: int = 0


def _solve_each(A: Tensor, b: Tensor) -> Tensor:
    """`torch.linalg.solve` for a batch of small systems, one at a time.

    A batched LAPACK call on tiny matrices can be far slower than a loop when CPU threads are
    oversubscribed; the loop costs a few microseconds per system either way.
    """
    return torch.stack([torch.linalg.solve(a, r) for a, r in zip(A, b, strict=True)])


def relative_residual(fz: Tensor, z: Tensor) -> float:
    r"""$\max_b \lVert f(z)_b - z_b\rVert / (\lVert f(z)_b\rVert + 10^{-12})$ over the batch."""
    fz, z = fz.detach(), z.detach()
    diff = (fz - z).flatten(1).norm(dim=1)  # (B,)
    scale = fz.flatten(1).norm(dim=1) + 1e-12  # (B,)
    return float((diff / scale).max())


# --8<-- [start:iteration]
def fixed_point_iteration(
    f: Callable[[Tensor], Tensor], z0: Tensor, tol: float = 1e-10, max_iter: int = 500
) -> SolverResult:
    r"""Picard iteration $z_{k+1} = f(z_k)$ until the relative residual is below `tol`.

    Args:
        f: the map, from a tensor shaped like `z0` to one of the same shape.
        z0: the starting point, shape `(B, ...)`.
        tol: stop when the relative residual is at most this.
        max_iter: the most evaluations of `f`.

    Returns:
        The last iterate with the residual history.
    """
    z, residuals = z0, []
    for _ in range(max_iter):
        # z_{k+1} = f(z_k)
        fz = f(z)
        residuals.append(relative_residual(fz, z))
        z = fz
        if residuals[-1] <= tol:
            break
    return SolverResult(z, residuals, len(residuals))
    # --8<-- [end:iteration]


# --8<-- [start:anderson]
def anderson(
    f: Callable[[Tensor], Tensor],
    z0: Tensor,
    m: int = 5,
    tol: float = 1e-10,
    max_iter: int = 500,
    lam: float = 1e-8,
    beta: float = 1.0,
) -> SolverResult:
    r"""Anderson acceleration of the iteration $z \mapsto f(z)$.

    Args:
        f: the map, from a tensor shaped like `z0` to one of the same shape.
        z0: the starting point, shape `(B, ...)`.
        m: how many past iterates the extrapolation combines.
        tol: stop when the relative residual is at most this.
        max_iter: the most evaluations of `f`.
        lam: Tikhonov regularisation of the small least-squares problem, relative to the
            largest squared residual norm.
        beta: mixing; $z_{k+1} = \beta\sum\alpha_i f(z_i) + (1-\beta)\sum\alpha_i z_i$.

    Returns:
        The best iterate (smallest residual) with the residual history.
    """
    shape, B = z0.shape, z0.shape[0]
    zs = [z0.reshape(B, -1)]  # past iterates, each (B, n)
    fs = [f(z0).reshape(B, -1)]  # f of each past iterate, each (B, n)
    residuals = [relative_residual(fs[0], zs[0])]
    best, best_res = fs[0], residuals[0]
    for _ in range(max_iter - 1):
        if best_res <= tol:
            break
        Z, F = torch.stack(zs[-m:], 1), torch.stack(fs[-m:], 1)  # (B, p, n)
        G = F - Z  # residuals g_i = f(z_i) - z_i, (B, p, n)
        p = G.shape[1]
        # minimise |sum_i a_i g_i|^2 subject to sum_i a_i = 1: solve the KKT system
        # [[0, 1^T], [1, G G^T + lam I]] [nu, a] = [1, 0]
        eye = torch.eye(p, dtype=z0.dtype, device=z0.device)
        gram = G @ G.transpose(1, 2)  # (B, p, p)
        scale = gram.diagonal(dim1=1, dim2=2).amax(1).clamp_min(1e-300)  # (B,)
        gram = gram + lam * scale[:, None, None] * eye  # regularise relative to |g|^2
        ones = torch.ones(B, p, 1, dtype=z0.dtype, device=z0.device)
        top = torch.cat([torch.zeros(B, 1, 1, dtype=z0.dtype, device=z0.device), ones.mT], 2)
        kkt = torch.cat([top, torch.cat([ones, gram], 2)], 1)  # (B, p+1, p+1)
        rhs = torch.zeros(B, p + 1, 1, dtype=z0.dtype, device=z0.device)
        rhs[:, 0] = 1.0
        alpha = _solve_each(kkt, rhs)[:, 1:]  # (B, p, 1)
        # z_{k+1} = beta * sum_i a_i f(z_i) + (1 - beta) * sum_i a_i z_i
        z_next = beta * (alpha.mT @ F)[:, 0] + (1 - beta) * (alpha.mT @ Z)[:, 0]  # (B, n)
        f_next = f(z_next.reshape(shape)).reshape(B, -1)
        zs, fs = [*zs, z_next][-m:], [*fs, f_next][-m:]
        residuals.append(relative_residual(f_next, z_next))
        if residuals[-1] < best_res:
            best, best_res = f_next, residuals[-1]
    return SolverResult(best.reshape(shape), residuals, len(residuals))
    # --8<-- [end:anderson]
