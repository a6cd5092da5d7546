r"""Gradient descent on a quadratic: trajectories, their closed form and the stability limit.

On $L(\theta) = \tfrac12\theta^\top A\theta - b^\top\theta$ the gradient-descent step
$\theta_{t+1} = \theta_t - \gamma(A\theta_t - b)$ is linear in the error $e_t = \theta_t -
\theta^\star$, so it can be solved exactly. With $A = V\Lambda V^\top$,

$$
e_{t} = (I - \gamma A)^{t} e_0 = V\,\mathrm{diag}\big((1-\gamma\lambda_i)^{t}\big)\,V^\top e_0 ,
$$

and each eigen-direction shrinks by $|1-\gamma\lambda_i|$ per step. The iteration converges for
every start iff $\rho(\gamma) = \max_i |1-\gamma\lambda_i| < 1$, i.e. $0 < \gamma <
2/\lambda_{\max}$; the constant step minimising $\rho$ is $\gamma^\star = 2/(\lambda_{\min} +
\lambda_{\max})$, with $\rho(\gamma^\star) = (\kappa - 1)/(\kappa + 1)$.

The simulations run ``refimpl.optim.SGD`` (momentum 0, full-batch gradient from autograd)
so they exercise the same code as a training loop; ``closed_form_trajectory`` is the
formula above. Functions the figures call are cached and return read-only arrays.
Reading list: ``nocedal2006numerical`` (section 3.3), ``goodfellow2016`` (section 4.3),
``bottou2018optimization``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from refimpl.data import Quadratic, ill_conditioned_quadratic
from refimpl.optim import SGD

__all__ = [
    "DEMO_CONDITION_NUMBER",
    "DEMO_THETA0",
    "StabilitySweep",
    "Trajectory",
    "closed_form_trajectory",
    "contraction_factor",
    "demo_problem",
    "gd_trajectory",
    "optimal_rate",
    "optimal_step_size",
    "stability_sweep",
    "step_size_trajectories",
]

#: Condition number $\kappa$ of the 2-D demonstration problem used by the figures.
DEMO_CONDITION_NUMBER: float = 20.0
#: Starting point of the demonstration runs (the minimiser is the origin).
DEMO_THETA0: tuple[float, float] = (-4.5, 0.0)


@dataclass(frozen=True)
class Trajectory:
    r"""The path of one gradient-descent run.

    Attributes:
        lr: the step size $\gamma$.
        iterates: $\theta_0, \dots, \theta_T$, shape ``(T + 1, d)``.
        losses: $L(\theta_t)$, shape ``(T + 1,)``.
        suboptimality: $L(\theta_t) - L(\theta^\star)$ computed from the error (accurate down to
            the smallest values), shape ``(T + 1,)``.
    """

    lr: float
    iterates: np.ndarray
    losses: np.ndarray
    suboptimality: np.ndarray


@dataclass(frozen=True)
class StabilitySweep:
    r"""Gradient descent run for many step sizes on one problem.

    Attributes:
        ratios: the step sizes as fractions of the stability limit, $\gamma\lambda_{\max}/2$,
            shape ``(k,)``.
        lrs: the step sizes $\gamma$, shape ``(k,)``.
        final_suboptimality: $L(\theta_T) - L(\theta^\star)$ after ``steps`` steps, shape ``(k,)``.
        empirical_rate: the measured contraction per step,
            $(\|e_T\| / \|e_{T/2}\|)^{2/T}$, shape ``(k,)``.
        predicted_rate: $\rho(\gamma) = \max_i |1 - \gamma\lambda_i|$, shape ``(k,)``.
    """

    ratios: np.ndarray
    lrs: np.ndarray
    final_suboptimality: np.ndarray
    empirical_rate: np.ndarray
    predicted_rate: np.ndarray


def _as_point(problem: Quadratic, theta: Sequence[float] | Tensor) -> Tensor:
    return torch.as_tensor(theta, dtype=problem.A.dtype, device=problem.A.device).clone()


def _read_only(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def gd_trajectory(
    problem: Quadratic, lr: float, steps: int, theta0: Sequence[float] | Tensor
) -> Trajectory:
    r"""Run full-batch gradient descent, $\theta_{t+1} = \theta_t - \gamma\nabla L(\theta_t)$.

    Uses ``refimpl.optim.SGD`` with ``momentum=0`` and the exact gradient from autograd, on
    the problem's own device and dtype.

    Args:
        problem: the quadratic to minimise.
        lr: the step size $\gamma$.
        steps: the number of steps $T$.
        theta0: the starting point $\theta_0$, length $d$.

    Returns:
        The iterates $\theta_0, \dots, \theta_T$ and their losses.
    """
    theta = torch.nn.Parameter(_as_point(problem, theta0))
    opt = SGD([theta], lr=lr)
    iterates = [theta.detach().clone()]
    for _ in range(steps):
        opt.zero_grad()
        problem.loss(theta).backward()
        # θ_{t+1} = θ_t − γ ∇L(θ_t)
        opt.step()
        iterates.append(theta.detach().clone())
    path = torch.stack(iterates)  # (T + 1, d)
    return Trajectory(
        lr=float(lr),
        iterates=path.cpu().numpy(),
        losses=problem.loss(path).cpu().numpy(),
        suboptimality=problem.suboptimality(path).cpu().numpy(),
    )


def closed_form_trajectory(
    problem: Quadratic, lr: float, steps: int, theta0: Sequence[float] | Tensor
) -> np.ndarray:
    r"""The gradient-descent iterates in closed form.

    $$
    \theta_t = \theta^\star + (I-\gamma A)^t(\theta_0-\theta^\star),
    $$

    evaluated through the eigen-decomposition $A = V\Lambda V^\top$, so no step is simulated.

    Args:
        problem: the quadratic.
        lr: the step size $\gamma$.
        steps: the number of steps $T$.
        theta0: the starting point $\theta_0$.

    Returns:
        $\theta_0, \dots, \theta_T$, shape ``(T + 1, d)``.
    """
    lam, V = torch.linalg.eigh(problem.A)
    theta_star = problem.minimiser
    # coordinates of the initial error in the eigenbasis: Vᵀ(θ0 − θ*)
    z0 = V.mT @ (_as_point(problem, theta0) - theta_star)  # (d,)
    t = torch.arange(steps + 1, dtype=lam.dtype, device=lam.device)[:, None]  # (T + 1, 1)
    # θ_t = θ* + V diag((1 − γλ_i)^t) Vᵀ(θ0 − θ*)
    z = (1 - lr * lam) ** t * z0  # (T + 1, d)
    return (theta_star + z @ V.mT).cpu().numpy()


def contraction_factor(
    eigenvalues: Sequence[float] | np.ndarray, lr: float | np.ndarray
) -> np.ndarray:
    r"""The worst contraction per step of gradient descent, $\max_i|1-\gamma\lambda_i|$.

    $$
    \rho(\gamma) = \max_i |1 - \gamma\lambda_i| = \max\big(|1-\gamma\lambda_{\min}|,
    |1-\gamma\lambda_{\max}|\big).
    $$

    Args:
        eigenvalues: the Hessian's eigenvalues $\lambda_i$.
        lr: one step size $\gamma$ or an array of them.

    Returns:
        $\rho(\gamma)$, with the shape of ``lr``.
    """
    lam = np.asarray(eigenvalues, dtype=np.float64)
    gamma = np.asarray(lr, dtype=np.float64)
    # ρ(γ) = max_i |1 − γ λ_i|
    return np.abs(1.0 - gamma[..., None] * lam).max(axis=-1)


def optimal_step_size(problem: Quadratic) -> float:
    r"""The constant step minimising $\rho$: $\gamma^\star = 2/(\lambda_{\min}+\lambda_{\max})$."""
    return 2.0 / (problem.lambda_min + problem.lambda_max)


def optimal_rate(problem: Quadratic) -> float:
    r"""The contraction at the optimal step: $\rho(\gamma^\star) = (\kappa-1)/(\kappa+1)$."""
    kappa = problem.condition_number
    return (kappa - 1.0) / (kappa + 1.0)


def demo_problem(condition_number: float = DEMO_CONDITION_NUMBER) -> Quadratic:
    r"""The 2-D demonstration quadratic.

    Args:
        condition_number: $\kappa$; the eigenvalues are $\lambda_{\min} = 1$ and
            $\lambda_{\max} = \kappa$, the axes are tilted by 30°, and the minimiser is the origin.

    Returns:
        ``refimpl.data.ill_conditioned_quadratic`` with these settings.
    """
    return ill_conditioned_quadratic(condition_number)


@functools.cache
def step_size_trajectories(
    ratios: tuple[float, ...],
    steps: int,
    condition_number: float = DEMO_CONDITION_NUMBER,
    theta0: tuple[float, ...] = DEMO_THETA0,
) -> dict[float, Trajectory]:
    r"""Gradient descent on ``demo_problem`` for step sizes relative to $2/\lambda_{\max}$.

    Args:
        ratios: the step sizes as fractions $r$ of the stability limit, $\gamma = r \cdot
            2/\lambda_{\max}$.
        steps: the number of steps $T$ of every run.
        condition_number: $\kappa$ of the problem.
        theta0: the common starting point.

    Returns:
        A mapping from each ratio to its trajectory (read-only arrays). Cached.
    """
    problem = demo_problem(condition_number)
    out = {}
    for r in ratios:
        run = gd_trajectory(problem, r * 2.0 / problem.lambda_max, steps, theta0)
        for a in (run.iterates, run.losses, run.suboptimality):
            _read_only(a)
        out[r] = run
    return out


@functools.cache
def stability_sweep(
    ratios: tuple[float, ...],
    steps: int = 200,
    condition_number: float = DEMO_CONDITION_NUMBER,
    theta0: tuple[float, ...] = DEMO_THETA0,
) -> StabilitySweep:
    r"""Run gradient descent for each step size and measure how fast it converges or diverges.

    The empirical rate $(\|e_T\|/\|e_{T/2}\|)^{2/T}$ of the error $e_t = \theta_t - \theta^\star$
    discards the first half of the run, where the faster-decaying directions still contribute;
    it approaches $\rho(\gamma)$ as $T$ grows.

    Args:
        ratios: the step sizes as fractions $r$ of the stability limit, $\gamma = r \cdot
            2/\lambda_{\max}$.
        steps: the number of steps $T$ (even).
        condition_number: $\kappa$ of ``demo_problem``.
        theta0: the common starting point.

    Returns:
        The sweep (read-only arrays). Cached.
    """
    problem = demo_problem(condition_number)
    theta_star = problem.minimiser.cpu().numpy()
    r = np.asarray(ratios, dtype=np.float64)
    lrs = r * 2.0 / problem.lambda_max
    final, empirical = [], []
    for lr in lrs:
        run = gd_trajectory(problem, float(lr), steps, theta0)
        err = np.linalg.norm(run.iterates - theta_star, axis=1)  # ‖e_t‖, (T + 1,)
        final.append(run.suboptimality[-1])
        # (‖e_T‖ / ‖e_{T/2}‖)^{2/T}
        empirical.append((err[-1] / err[steps // 2]) ** (2.0 / steps))
    predicted = contraction_factor(problem.eigenvalues.cpu().numpy(), lrs)
    return StabilitySweep(
        ratios=_read_only(r),
        lrs=_read_only(lrs),
        final_suboptimality=_read_only(np.asarray(final)),
        empirical_rate=_read_only(np.asarray(empirical)),
        predicted_rate=_read_only(predicted),
    )
