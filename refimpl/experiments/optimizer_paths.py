r"""Optimizer trajectories on 2-D test problems: an ill-conditioned quadratic, Rosenbrock, a saddle.

Three small losses show in a picture what each update rule does with curvature:

$$
\begin{aligned}
\text{quadratic:}\quad & L(\theta) = \tfrac12(\theta-\theta^\star)^\top A(\theta-\theta^\star),
\quad \kappa(A) = 20 \text{ (rotated by 30°)}, \\
\text{Rosenbrock:}\quad & L(x, y) = (1-x)^2 + 100\,(y-x^2)^2, \quad \text{minimum at } (1, 1), \\
\text{saddle:}\quad & L(x, y) = \tfrac12 x^2 - \tfrac12 y^2 + \tfrac14 y^4, \quad
\text{saddle at } 0,\ \text{minima at } (0, \pm 1).
\end{aligned}
$$

Every run uses a ``refimpl.optim`` optimizer and the exact gradient from autograd, in float64.
The learning rates in ``METHODS`` were chosen per problem so that each method does reasonably
(none diverges), not tuned to a common criterion. Reading list: ``goodfellow2016`` (chapter 8),
``dauphin2014``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from refimpl import optim
from refimpl.data import ill_conditioned_quadratic

__all__ = [
    "METHODS",
    "PROBLEMS",
    "Problem",
    "optimizer_path",
    "paths_on",
    "rosenbrock",
    "saddle",
]


def rosenbrock(theta: Tensor) -> Tensor:
    r"""Rosenbrock's banana $L(x, y) = (1-x)^2 + 100(y-x^2)^2$, over the last axis (length 2).

    Args:
        theta: points, shape ``(..., 2)``.

    Returns:
        The loss, shape ``(...)``.
    """
    x, y = theta[..., 0], theta[..., 1]
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def saddle(theta: Tensor) -> Tensor:
    r"""A saddle with two minima: $L(x, y) = \tfrac12 x^2 - \tfrac12 y^2 + \tfrac14 y^4$.

    The Hessian at the origin is $\mathrm{diag}(1, -1)$; the minima are at $(0, \pm 1)$ with
    $L = -\tfrac14$.

    Args:
        theta: points, shape ``(..., 2)``.

    Returns:
        The loss, shape ``(...)``.
    """
    x, y = theta[..., 0], theta[..., 1]
    return 0.5 * x**2 - 0.5 * y**2 + 0.25 * y**4


@dataclass(frozen=True)
class Problem:
    """A 2-D test loss with a start, a minimiser to mark, and a window for plotting.

    Attributes:
        name: short name (``"quadratic"``, ``"rosenbrock"``, ``"saddle"``).
        loss: the loss of a batch of points ``(..., 2) -> (...)``.
        theta0: the starting point.
        minima: the points to mark as minima.
        xlim: the plotting window along $x$.
        ylim: the plotting window along $y$.
        steps: the number of steps each optimizer runs.
    """

    name: str
    loss: Callable[[Tensor], Tensor]
    theta0: tuple[float, float]
    minima: tuple[tuple[float, float], ...]
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    steps: int


def _quadratic_loss(theta: Tensor) -> Tensor:
    return ill_conditioned_quadratic(20.0).loss(theta)


#: The three test problems, by name.
PROBLEMS: dict[str, Problem] = {
    "quadratic": Problem(
        "quadratic", _quadratic_loss, (-4.5, 0.0), ((0.0, 0.0),), (-5.0, 5.0), (-4.0, 4.0), 100
    ),
    "rosenbrock": Problem(
        "rosenbrock", rosenbrock, (-1.2, 1.0), ((1.0, 1.0),), (-1.6, 1.6), (-0.6, 1.6), 500
    ),
    "saddle": Problem(
        "saddle", saddle, (1.8, 1e-3), ((0.0, 1.0), (0.0, -1.0)), (-2.0, 2.0), (-1.5, 1.5), 60
    ),
}

#: For each method: a factory ``(params, problem name) -> optimizer``, with per-problem settings.
METHODS: dict[str, Callable[[list[Tensor], str], torch.optim.Optimizer]] = {
    "GD": lambda p, n: optim.SGD(p, lr={"quadratic": 0.09, "rosenbrock": 1e-3, "saddle": 0.1}[n]),
    "Momentum": lambda p, n: optim.SGD(
        p, lr={"quadratic": 0.02, "rosenbrock": 2e-4, "saddle": 0.03}[n], momentum=0.9
    ),
    "Nesterov": lambda p, n: optim.SGD(
        p,
        lr={"quadratic": 0.02, "rosenbrock": 2e-4, "saddle": 0.03}[n],
        momentum=0.9,
        nesterov=True,
    ),
    "AdaGrad": lambda p, n: optim.Adagrad(
        p, lr={"quadratic": 1.0, "rosenbrock": 0.2, "saddle": 0.3}[n]
    ),
    "RMSprop": lambda p, n: optim.RMSprop(
        p, lr={"quadratic": 0.1, "rosenbrock": 0.01, "saddle": 0.05}[n], alpha=0.9
    ),
    "AdaDelta": lambda p, n: optim.Adadelta(
        p, lr={"quadratic": 20.0, "rosenbrock": 5.0, "saddle": 10.0}[n]
    ),
    "Adam": lambda p, n: optim.Adam(
        p, lr={"quadratic": 0.3, "rosenbrock": 0.05, "saddle": 0.1}[n], betas=(0.9, 0.99)
    ),
}


def optimizer_path(
    problem: Problem, make_optimizer: Callable[[list[Tensor]], torch.optim.Optimizer]
) -> np.ndarray:
    """Run one optimizer from the problem's start and record the iterates.

    Args:
        problem: the test problem.
        make_optimizer: builds the optimizer for a list holding the single 2-D parameter.

    Returns:
        The iterates $\\theta_0, \\dots, \\theta_T$, shape ``(T + 1, 2)``.
    """
    theta = torch.nn.Parameter(torch.tensor(problem.theta0, dtype=torch.float64))
    opt = make_optimizer([theta])
    path = [theta.detach().clone()]
    for _ in range(problem.steps):
        opt.zero_grad()
        problem.loss(theta).backward()
        opt.step()
        path.append(theta.detach().clone())
    return torch.stack(path).numpy()  # (T + 1, 2)


@functools.cache
def paths_on(problem_name: str) -> dict[str, np.ndarray]:
    """Every method of ``METHODS`` on one problem (cached; read-only arrays).

    Args:
        problem_name: a key of ``PROBLEMS``.

    Returns:
        A mapping from method name to its iterates, shape ``(T + 1, 2)``.
    """
    problem = PROBLEMS[problem_name]
    out = {}
    for name, factory in METHODS.items():
        path = optimizer_path(problem, lambda params, f=factory: f(params, problem_name))
        path.flags.writeable = False
        out[name] = path
    return out
