r"""Every optimizer of ``refimpl.optim`` on three 2-D problems, first-order ones tuned.

The problems: a quadratic with condition number 50, axes rotated by 30° and minimiser
$(1, 1)$, and the Rosenbrock and saddle losses of ``refimpl.experiments.optimizer_paths``
(minima at $(1, 1)$ and $(0, \pm 1)$). Each first-order method is run once per learning rate
of ``LR_GRID`` and the run with the lowest final loss is kept; the grid is run in one go, one
parameter group per learning rate, which the per-coordinate and per-group updates keep
independent. The curvature methods take their own full steps ($\gamma = 1$). The Fisher-based
methods need a likelihood; each loss is read as a nonlinear least-squares problem,

$$
L(\theta) = \tfrac12\lVert r(\theta)\rVert^2 + c, \qquad
F = J_r^\top J_r \ \text{(the Gauss–Newton matrix)},
$$

with one "example" per residual $r_k$ and a unit-variance Gaussian likelihood, so that
``NaturalGradient`` and ``KFAC`` are Gauss–Newton (Levenberg–Marquardt with damping $\lambda$)
and ``WoodFisher`` uses the empirical Fisher of those examples.

The cost of a step is counted in ``refimpl.experiments.optimizer_cost``. Reading list:
``dauphin2014``, ``amari1998``, ``martens2015kfac``, ``singh2020woodfisher``, ``foret2021sam``,
``kunstner2019limitations``, ``compagnoni2023sde``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
from torch import Tensor

from refimpl import optim
from refimpl.data import ill_conditioned_quadratic
from refimpl.experiments._threads import one_thread
from refimpl.experiments.optimizer_paths import Problem, rosenbrock, saddle

__all__ = [
    "CURVATURE_STEPS",
    "DAMPING_GRID",
    "FAMILIES",
    "LR_GRID",
    "PATH_METHODS",
    "PROBLEMS",
    "QUADRATIC",
    "PathMethod",
    "TunedPath",
    "residuals",
    "tuned_paths",
]

#: The learning rates of each first-order method: $10^{-4}$ to $30$ in factors of $\sqrt{10}$.
LR_GRID: tuple[float, ...] = tuple(float(f"{10 ** (k / 2):.3g}") for k in range(-8, 4))

#: The damping values ``WoodFisher`` is tried with on the 2-D problems.
DAMPING_GRID: tuple[float, ...] = (1e-2, 1e-1, 1.0, 10.0, 100.0)
#: The number of steps of the curvature methods (they need few; their paths end there).
CURVATURE_STEPS = 30

#: The quadratic: condition number 50, axes rotated by 30°, minimiser $(1, 1)$ (not the origin,
#: so that weight decay does not pull towards it).
QUADRATIC = ill_conditioned_quadratic(50.0, minimiser=(1.0, 1.0))


def _quadratic(theta: Tensor) -> Tensor:
    return QUADRATIC.loss(theta)


#: The three problems, by name: the losses of ``optimizer_paths`` with this page's quadratic.
PROBLEMS: dict[str, Problem] = {
    "quadratic": Problem(
        "quadratic", _quadratic, (-3.5, 1.0), ((1.0, 1.0),), (-4.5, 3.0), (-2.0, 3.5), 100
    ),
    "rosenbrock": Problem(
        "rosenbrock", rosenbrock, (-1.2, 1.0), ((1.0, 1.0),), (-1.6, 1.6), (-0.6, 1.6), 400
    ),
    "saddle": Problem(
        "saddle", saddle, (1.8, 1e-3), ((0.0, 1.0), (0.0, -1.0)), (-2.0, 2.0), (-1.5, 1.5), 60
    ),
}

#: The panels of the path figures, in order.
FAMILIES: tuple[str, ...] = ("SGD and momentum", "RMS scaling", "Adam family", "curvature")

Maker = Callable[[list[dict], float], torch.optim.Optimizer]


@dataclass(frozen=True)
class PathMethod:
    r"""One optimizer of the path figures.

    Attributes:
        name: the legend label.
        family: the panel (one of ``FAMILIES``).
        cls: the ``refimpl.optim`` class it runs.
        make: builds the optimizer for a list of parameter groups and the tuned value (the
            default learning rate, or the damping).
        tune: what is chosen from a grid: ``"lr"`` from ``LR_GRID`` (first-order methods),
            ``"damping"`` from ``DAMPING_GRID`` (``WoodFisher``), or ``None`` (the curvature
            methods take their full step $\gamma = 1$).
    """

    name: str
    family: str
    cls: type[torch.optim.Optimizer]
    make: Maker
    tune: Literal["lr", "damping"] | None = "lr"


def _sgd_family() -> list[PathMethod]:
    f = FAMILIES[0]
    return [
        PathMethod("SGD", f, optim.SGD, lambda g, lr: optim.SGD(g, lr=lr)),
        PathMethod(
            "heavy ball (μ = 0.9)", f, optim.SGD, lambda g, lr: optim.SGD(g, lr=lr, momentum=0.9)
        ),
        PathMethod(
            "Nesterov (μ = 0.9)",
            f,
            optim.SGD,
            lambda g, lr: optim.SGD(g, lr=lr, momentum=0.9, nesterov=True),
        ),
        PathMethod(
            "EMAMomentum (α = 0.9)",
            f,
            optim.EMAMomentum,
            lambda g, lr: optim.EMAMomentum(g, lr=lr, alpha=0.9),
        ),
        PathMethod(
            "SAM (SGD, ρ = 0.05)",
            f,
            optim.SAM,
            lambda g, lr: optim.SAM(g, optim.SGD, rho=0.05, lr=lr),
        ),
    ]


def _rms_family() -> list[PathMethod]:
    f = FAMILIES[1]
    return [
        PathMethod("Adagrad", f, optim.Adagrad, lambda g, lr: optim.Adagrad(g, lr=lr)),
        PathMethod("RMSprop", f, optim.RMSprop, lambda g, lr: optim.RMSprop(g, lr=lr)),
        PathMethod(
            "RMSprop centered",
            f,
            optim.RMSprop,
            lambda g, lr: optim.RMSprop(g, lr=lr, centered=True),
        ),
        PathMethod(
            "RMSprop + momentum 0.9",
            f,
            optim.RMSprop,
            lambda g, lr: optim.RMSprop(g, lr=lr, momentum=0.9),
        ),
        PathMethod("Adadelta", f, optim.Adadelta, lambda g, lr: optim.Adadelta(g, lr=lr)),
        PathMethod(
            "SlideRMSprop", f, optim.SlideRMSprop, lambda g, lr: optim.SlideRMSprop(g, lr=lr)
        ),
    ]


def _adam_family() -> list[PathMethod]:
    f = FAMILIES[2]
    return [
        PathMethod("Adam", f, optim.Adam, lambda g, lr: optim.Adam(g, lr=lr)),
        PathMethod("AMSGrad", f, optim.Adam, lambda g, lr: optim.Adam(g, lr=lr, amsgrad=True)),
        PathMethod(
            "AdamW (λ = 0.01)",
            f,
            optim.AdamW,
            lambda g, lr: optim.AdamW(g, lr=lr, weight_decay=0.01),
        ),
        PathMethod("SlideAdam", f, optim.SlideAdam, lambda g, lr: optim.SlideAdam(g, lr=lr)),
    ]


def _curvature_family() -> list[PathMethod]:
    f = FAMILIES[3]

    def closure_method(name: str, cls: type[torch.optim.Optimizer], maker: Maker) -> PathMethod:
        return PathMethod(name, f, cls, maker, tune=None)

    return [
        closure_method("Newton", optim.Newton, lambda g, lr: optim.Newton(g)),
        closure_method(
            "DampedNewton (η = 1)", optim.DampedNewton, lambda g, lr: optim.DampedNewton(g)
        ),
        closure_method(
            "SaddleFreeNewton", optim.SaddleFreeNewton, lambda g, lr: optim.SaddleFreeNewton(g)
        ),
        closure_method(
            "NaturalGradient (λ = 1e-3)",
            optim.NaturalGradient,
            lambda g, lr: optim.NaturalGradient(g, damping=1e-3, likelihood="gaussian"),
        ),
        # K-FAC takes the model rather than parameter groups (see _run_closure_method)
        closure_method(
            "KFAC (λ = 1e-3)",
            optim.KFAC,
            lambda g, lr: optim.KFAC(g[0], damping=1e-3, likelihood="gaussian"),
        ),
        PathMethod(
            "WoodFisher",
            f,
            optim.WoodFisher,
            lambda g, damping: optim.WoodFisher(g, damping=damping),
            tune="damping",
        ),
    ]


#: Every method of the path figures, in legend order.
PATH_METHODS: tuple[PathMethod, ...] = tuple(
    _sgd_family() + _rms_family() + _adam_family() + _curvature_family()
)


def residuals(problem: str, theta: Tensor) -> tuple[Tensor, float]:
    r"""The residuals $r(\theta)$ and constant $c$ with $L(\theta) = \tfrac12\lVert r\rVert^2 + c$.

    Args:
        problem: a key of ``PROBLEMS``.
        theta: points, shape ``(..., 2)``.

    Returns:
        ``(r, c)`` with ``r`` of shape ``(..., 2)``.
    """
    x, y = theta[..., 0], theta[..., 1]
    if problem == "rosenbrock":
        # (1 − x)² + 100(y − x²)² = ½ (√2(1 − x))² + ½ (10√2 (y − x²))²
        return math.sqrt(2.0) * torch.stack([1 - x, 10 * (y - x**2)], -1), 0.0
    if problem == "saddle":
        # ½x² − ½y² + ¼y⁴ = ½x² + ½((y² − 1)/√2)² − ¼
        return torch.stack([x, (y**2 - 1) / math.sqrt(2.0)], -1), -0.25
    # ½(θ − θ*)ᵀA(θ − θ*) = ½‖R(θ − θ*)‖² with A = RᵀR (Cholesky)
    A = QUADRATIC.A.to(theta)
    R = torch.linalg.cholesky(A).mT
    return (theta - QUADRATIC.minimiser.to(theta)) @ R.mT, 0.0


@dataclass(frozen=True)
class TunedPath:
    r"""One method's best run on one problem.

    Attributes:
        method: the ``PathMethod``.
        chosen: the chosen value of ``method.tune`` (``None`` for untuned methods).
        grid_losses: final loss for every value of the grid (``inf`` where the run diverged);
            empty for untuned methods.
        iterates: the chosen run's $\theta_0, \dots, \theta_T$, shape ``(T + 1, 2)``.
        losses: $L(\theta_t)$ along it, shape ``(T + 1,)``.
    """

    method: PathMethod
    chosen: float | None
    grid_losses: np.ndarray
    iterates: np.ndarray
    losses: np.ndarray


class _ResidualModel(torch.nn.Module):
    """$\theta$ as the weight of a bias-free ``Linear(1, 2)``, one input row per residual."""

    def __init__(self, problem: str, theta0: Tensor) -> None:
        super().__init__()
        self.problem = problem
        self.layer = torch.nn.Linear(1, 2, bias=False, dtype=theta0.dtype)
        with torch.no_grad():
            self.layer.weight.copy_(theta0.view(2, 1))

    def forward(self) -> Tensor:
        ones = torch.ones(2, 1, dtype=self.layer.weight.dtype)
        s = self.layer(ones)  # (N = 2, 2): every row is θ
        r, _ = residuals(self.problem, s)  # (2, 2)
        # example n outputs z_n = √N r_n(θ), so that mean_n ½ z_n² = ½‖r‖²
        return math.sqrt(2.0) * r.diagonal()[:, None]  # (N, 1)


def _run_closure_method(problem: Problem, method: PathMethod, value: float = 1.0) -> np.ndarray:
    theta0 = torch.tensor(problem.theta0, dtype=torch.float64)
    model = _ResidualModel(problem.name, theta0)
    w = model.layer.weight
    if method.cls is optim.KFAC:
        opt = method.make([model], value)  # type: ignore[list-item]
    else:
        opt = method.make([{"params": [w]}], value)
    fisher = method.cls in (optim.NaturalGradient, optim.KFAC, optim.WoodFisher)

    def closure() -> Tensor | tuple[Tensor, Tensor]:
        if not fisher:
            return problem.loss(w.view(2))
        z = model()  # (N, 1)
        return 0.5 * z[:, 0] ** 2, z

    path = [w.detach().view(2).clone()]
    for _ in range(CURVATURE_STEPS):
        opt.step(closure)
        path.append(w.detach().view(2).clone())
    return torch.stack(path).numpy()  # (T + 1, 2)


# --8<-- [start:tuning]
def _run_lr_grid(problem: Problem, method: PathMethod) -> np.ndarray:
    """All learning rates of ``LR_GRID`` at once: one parameter group (and parameter) each."""
    start = torch.tensor(problem.theta0, dtype=torch.float64)
    thetas = [torch.nn.Parameter(start.clone()) for _ in LR_GRID]
    opt = method.make(
        [{"params": [p], "lr": lr} for p, lr in zip(thetas, LR_GRID, strict=True)], LR_GRID[0]
    )

    def closure() -> Tensor:
        opt.zero_grad()
        # the runs share nothing: the sum's gradient in θ_k is ∇L(θ_k)
        loss = problem.loss(torch.stack(thetas)).sum()
        loss.backward()
        return loss

    path = [torch.stack(thetas).detach().clone()]
    for _ in range(problem.steps):
        opt.step(closure)
        path.append(torch.stack(thetas).detach().clone())
    return torch.stack(path, 1).numpy()  # (len(LR_GRID), T + 1, 2)


def _best_of_grid(problem: Problem, method: PathMethod) -> tuple[float, np.ndarray, np.ndarray]:
    """The learning rate with the lowest final loss, its run, and every rate's final loss."""
    runs = _run_lr_grid(problem, method)  # (G, T + 1, 2)
    final = problem.loss(torch.from_numpy(runs[:, -1])).numpy()
    final = np.where(np.isfinite(final), final, np.inf)  # a diverged run is never chosen
    best = int(np.argmin(final))
    return LR_GRID[best], runs[best], final


# --8<-- [end:tuning]


def _best_damping(problem: Problem, method: PathMethod) -> tuple[float, np.ndarray, np.ndarray]:
    """As ``_best_of_grid`` over ``DAMPING_GRID``, one run each (the method couples parameters)."""
    runs = np.stack([_run_closure_method(problem, method, d) for d in DAMPING_GRID])
    final = problem.loss(torch.from_numpy(runs[:, -1])).numpy()
    final = np.where(np.isfinite(final), final, np.inf)
    best = int(np.argmin(final))
    return DAMPING_GRID[best], runs[best], final


@functools.cache
@one_thread
def tuned_paths(problem_name: str) -> tuple[TunedPath, ...]:
    """Every method of ``PATH_METHODS`` on one problem, first-order ones at their best rate.

    Args:
        problem_name: a key of ``PROBLEMS``.

    Returns:
        One ``TunedPath`` per method, in the order of ``PATH_METHODS``. Cached.
    """
    problem = PROBLEMS[problem_name]
    out = []
    for method in PATH_METHODS:
        if method.tune == "lr":
            chosen, iterates, grid_losses = _best_of_grid(problem, method)
        elif method.tune == "damping":
            chosen, iterates, grid_losses = _best_damping(problem, method)
        else:
            chosen, iterates, grid_losses = None, _run_closure_method(problem, method), np.empty(0)
        losses = problem.loss(torch.from_numpy(iterates)).numpy()
        for a in (iterates, losses, grid_losses):
            a.flags.writeable = False
        out.append(TunedPath(method, chosen, grid_losses, iterates, losses))
    return tuple(out)
