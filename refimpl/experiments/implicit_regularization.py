r"""Implicit regularisation of gradient descent and SGD through backward error analysis.

Gradient descent with step $\epsilon$, $\theta_{t+1} = \theta_t - \epsilon\nabla L(\theta_t)$,
stays within $O(\epsilon^2)$ of the gradient flow $\dot\theta = -\nabla\tilde L(\theta)$ of the
modified loss $\tilde L_{GD} = L + \tfrac{\epsilon}{4}\lVert\nabla L\rVert^2$ over a fixed time,
while the flow of $L$ itself is $O(\epsilon)$ off (`barrett2021igr`). For SGD with random
shuffling over $m$ minibatch losses $\hat L_k$ per epoch, the mean epoch-end iterate follows the
flow of $\tilde L_{SGD} = L + \tfrac{\epsilon}{4m}\sum_k\lVert\nabla\hat L_k\rVert^2$
(`smith2021origin`). Here: the modified gradient
$\nabla\tilde L_{GD} = \nabla L + \tfrac{\epsilon}{2}\nabla^2 L\,\nabla L$, an RK4 integrator for
the flows, a 1-D quadratic, the 2-D valley $L = \tfrac12(xy-1)^2$ whose minima get sharper away
from $x=y$, and a least-squares problem with four minibatches whose mean SGD iterate over all
batch orders is computed exactly.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import Tensor

__all__ = [
    "LeastSquaresSGD",
    "ValleyRun",
    "gd_iterates",
    "least_squares_sgd",
    "modified_gradient",
    "quadratic_1d_check",
    "rk4_flow",
    "valley_error_scaling",
    "valley_grad",
    "valley_modified_grad",
    "valley_runs",
]

Field = Callable[[Tensor], Tensor]


# --8<-- [start:modified]
def modified_gradient(loss_fn: Callable[[Tensor], Tensor], theta: Tensor, lr: float) -> Tensor:
    r"""Gradient of $\tilde L = L + \tfrac{\epsilon}{4}\lVert\nabla L\rVert^2$ at `theta`.

    Uses $\nabla\tilde L = \nabla L + \tfrac{\epsilon}{2}\nabla^2 L\,\nabla L$, with the
    Hessian-vector product taken by double backpropagation.

    Args:
        loss_fn: Scalar loss $L(\theta)$.
        theta: Parameters, shape `(d,)`.
        lr: The step size $\epsilon$ of the gradient descent being modelled.

    Returns:
        $\nabla\tilde L(\theta)$, shape `(d,)`.
    """
    theta = theta.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(loss_fn(theta), theta, create_graph=True)
    # H ∇L = ∇(½ ∇L·stop(∇L))
    (hg,) = torch.autograd.grad(g, theta, grad_outputs=g.detach())
    # ∇L̃ = ∇L + (ε/2) H ∇L
    return (g + 0.5 * lr * hg).detach()


def rk4_flow(field: Field, theta0: Tensor, t_end: float, n_steps: int) -> Tensor:
    r"""Integrate $\dot\theta = -F(\theta)$ with `n_steps` classical Runge-Kutta steps.

    Args:
        field: $F$, e.g. $\nabla L$ or $\nabla\tilde L$.
        theta0: Initial point, shape `(d,)`.
        t_end: Final time.
        n_steps: Number of RK4 steps (local error $O(\Delta t^5)$).

    Returns:
        The path, shape `(n_steps + 1, d)`.
    """
    dt = t_end / n_steps
    path = [theta0]
    theta = theta0
    for _ in range(n_steps):
        k1 = -field(theta)
        k2 = -field(theta + 0.5 * dt * k1)
        k3 = -field(theta + 0.5 * dt * k2)
        k4 = -field(theta + dt * k3)
        theta = theta + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
        path.append(theta)
    return torch.stack(path)


# --8<-- [end:modified]


def gd_iterates(grad: Field, theta0: Tensor, lr: float, steps: int) -> Tensor:
    """Gradient-descent iterates $\\theta_{t+1} = \\theta_t - \\epsilon\\nabla L(\\theta_t)$.

    Returns:
        Shape `(steps + 1, d)`.
    """
    path = [theta0]
    for _ in range(steps):
        path.append(path[-1] - lr * grad(path[-1]))
    return torch.stack(path)


def quadratic_1d_check(a: float = 1.0, lr: float = 0.1, steps: int = 50) -> dict[str, float]:
    r"""GD, flow on $L$ and flow on $\tilde L$ for $L = \tfrac a2\theta^2$ from $\theta_0 = 1$.

    All three in closed form at time $t = n\epsilon$: $(1-a\epsilon)^n$, $e^{-at}$ and
    $e^{-(a + \epsilon a^2/2)t}$.
    """
    t = steps * lr
    return {
        "gd": (1.0 - a * lr) ** steps,
        "flow": math.exp(-a * t),
        "modified_flow": math.exp(-(a + 0.5 * lr * a * a) * t),
    }


def valley_grad(theta: Tensor) -> Tensor:
    r"""$\nabla L$ for $L = \tfrac12(xy-1)^2$: $(xy-1)\,(y, x)$."""
    x, y = theta[..., 0], theta[..., 1]
    r = x * y - 1.0
    return torch.stack([r * y, r * x], dim=-1)


def valley_modified_grad(lr: float) -> Field:
    r"""$\nabla\tilde L_{GD}$ for the valley, in closed form.

    $\nabla^2 L = v v^\top + r\begin{pmatrix}0&1\\1&0\end{pmatrix}$ with $v = (y, x)$, $r = xy-1$.
    """

    def field(theta: Tensor) -> Tensor:
        x, y = theta[..., 0], theta[..., 1]
        r = x * y - 1.0
        gx, gy = r * y, r * x
        vg = y * gx + x * gy
        # H g = v (v·g) + r (g_y, g_x)
        hx, hy = y * vg + r * gy, x * vg + r * gx
        return torch.stack([gx + 0.5 * lr * hx, gy + 0.5 * lr * hy], dim=-1)

    return field


@dataclass(frozen=True)
class ValleyRun:
    """GD on the valley and the two flows sampled at GD's times `t = k ε`."""

    lr: float
    gd: Tensor
    flow: Tensor
    modified_flow: Tensor


VALLEY_START = (1.8, -0.3)


@functools.cache
def valley_runs(lr: float = 0.2, steps: int = 100, substeps: int = 8) -> ValleyRun:
    """GD from `VALLEY_START` and the flows of $L$ and $\\tilde L_{GD}$ over the same time."""
    theta0 = torch.tensor(VALLEY_START, dtype=torch.float64)
    t_end = steps * lr
    flow = rk4_flow(valley_grad, theta0, t_end, steps * substeps)[::substeps]
    mod = rk4_flow(valley_modified_grad(lr), theta0, t_end, steps * substeps)[::substeps]
    return ValleyRun(lr, gd_iterates(valley_grad, theta0, lr, steps), flow, mod)


@functools.cache
def valley_error_scaling(
    lrs: tuple[float, ...] = (0.08, 0.04, 0.02), t_end: float = 2.0
) -> tuple[Tensor, Tensor, Tensor]:
    """Distance at time `t_end` from GD to the flow of $L$ and to the flow of $\\tilde L$.

    Returns:
        `(lrs, error_flow, error_modified_flow)`, each shape `(len(lrs),)`.
    """
    theta0 = torch.tensor(VALLEY_START, dtype=torch.float64)
    e_flow, e_mod = [], []
    for lr in lrs:
        steps = round(t_end / lr)
        end = gd_iterates(valley_grad, theta0, lr, steps)[-1]
        flow = rk4_flow(valley_grad, theta0, t_end, 8 * steps)[-1]
        mod = rk4_flow(valley_modified_grad(lr), theta0, t_end, 8 * steps)[-1]
        e_flow.append(torch.linalg.vector_norm(end - flow))
        e_mod.append(torch.linalg.vector_norm(end - mod))
    return torch.tensor(lrs, dtype=torch.float64), torch.stack(e_flow), torch.stack(e_mod)


@dataclass(frozen=True)
class LeastSquaresSGD:
    """Epoch-end iterates of SGD (mean over all batch orders, and one fixed order) and flows."""

    lr: float
    sgd_mean: Tensor
    sgd_one_order: Tensor
    flow: Tensor
    modified_flow: Tensor
    minimiser: Tensor
    modified_minimiser: Tensor


def _least_squares_data(
    n: int = 16, m: int = 4, seed: int = 0
) -> tuple[list[Tensor], list[Tensor]]:
    """Per-batch $A_k = X_k^\\top X_k/B$ and $b_k = X_k^\\top y_k/B$ of a 2-D regression."""
    gen = torch.Generator().manual_seed(seed)
    X = torch.randn(n, 2, generator=gen, dtype=torch.float64) * torch.tensor([1.0, 0.5])
    y = X @ torch.tensor([1.0, -1.0], dtype=torch.float64)
    y = y + 0.5 * torch.randn(n, generator=gen, dtype=torch.float64)
    Xs, ys = X.chunk(m), y.chunk(m)  # m × (B, 2), m × (B,)
    A = [Xk.T @ Xk / len(Xk) for Xk in Xs]
    b = [Xk.T @ yk / len(Xk) for Xk, yk in zip(Xs, ys, strict=True)]
    return A, b


def _epoch_map(A: list[Tensor], b: list[Tensor], order: tuple[int, ...], lr: float):
    """One epoch of SGD as the affine map θ ↦ Pθ + c."""
    P = torch.eye(2, dtype=torch.float64)
    c = torch.zeros(2, dtype=torch.float64)
    for k in order:
        # θ ← θ - ε (A_k θ - b_k) = (I - ε A_k) θ + ε b_k
        M = torch.eye(2, dtype=torch.float64) - lr * A[k]
        P, c = M @ P, M @ c + lr * b[k]
    return P, c


def _linear_flow(G: Tensor, c: Tensor, theta0: Tensor, times: Tensor) -> Tensor:
    """Closed-form flow of $\\dot\\theta = -(G\\theta - c)$ at `times`."""
    star = torch.linalg.solve(G, c)
    E = torch.linalg.matrix_exp(-times[:, None, None] * G)  # (T, 2, 2)
    return star + (E @ (theta0 - star)[:, None])[..., 0]


@functools.cache
def least_squares_sgd(lr: float = 0.2, epochs: int = 12) -> LeastSquaresSGD:
    r"""SGD with $m = 4$ minibatches per epoch on a 2-D least-squares problem.

    The mean over independent uniformly random batch orders is exact: each epoch is an affine
    map, so the mean iterate is the mean map (averaged over all $4!$ orders) applied `epochs`
    times. The flows are closed forms, $\tilde L_{SGD}$ having gradient
    $(A + \tfrac{\epsilon}{2m}\sum_k A_k^2)\theta - (b + \tfrac{\epsilon}{2m}\sum_k A_k b_k)$.
    """
    A, b = _least_squares_data()
    m = len(A)
    maps = [_epoch_map(A, b, order, lr) for order in itertools.permutations(range(m))]
    P = torch.stack([p for p, _ in maps]).mean(0)
    c = torch.stack([q for _, q in maps]).mean(0)
    P1, c1 = maps[0]
    theta0 = torch.tensor([-1.0, 1.5], dtype=torch.float64)
    mean, one = [theta0], [theta0]
    for _ in range(epochs):
        mean.append(P @ mean[-1] + c)
        one.append(P1 @ one[-1] + c1)
    A_full, b_full = sum(A) / m, sum(b) / m
    # ∇L̃_SGD = ∇L + (ε/2m) Σ_k A_k ∇L̂_k
    G = A_full + lr / (2 * m) * sum(Ak @ Ak for Ak in A)
    g0 = b_full + lr / (2 * m) * sum(Ak @ bk for Ak, bk in zip(A, b, strict=True))
    times = torch.arange(epochs + 1, dtype=torch.float64) * m * lr
    return LeastSquaresSGD(
        lr,
        torch.stack(mean),
        torch.stack(one),
        _linear_flow(A_full, b_full, theta0, times),
        _linear_flow(G, g0, theta0, times),
        torch.linalg.solve(A_full, b_full),
        torch.linalg.solve(G, g0),
    )
