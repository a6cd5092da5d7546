r"""Momentum on an ill-conditioned quadratic: heavy ball, Nesterov and the slides' EMA form.

On $L(\theta) = \tfrac12\theta^\top A\theta$ with eigenvalues in $[\mu_{\min}, \lambda_{\max}]$
(here $\lambda_{\min} = 1$, $\lambda_{\max} = \kappa$), the best constant-step gradient descent
contracts by $(\kappa-1)/(\kappa+1)$ per step, while the heavy-ball method with Polyak's
parameters

$$
\gamma = \frac{4}{(\sqrt{\lambda_{\max}} + \sqrt{\lambda_{\min}})^2},\qquad
\mu = \left(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\right)^2
$$

contracts by $\sqrt\mu = (\sqrt\kappa-1)/(\sqrt\kappa+1)$ (asymptotically), and Nesterov's
method with $\gamma = 1/\lambda_{\max}$, $\mu = (\sqrt\kappa-1)/(\sqrt\kappa+1)$ by about
$1 - 1/\sqrt\kappa$. The slides' EMA form with learning rate $\gamma/(1-\mu)$ and $\alpha = \mu$
takes exactly the heavy-ball steps. All runs use ``refimpl.optim``. Reading list:
``polyak1964some``, ``sutskever2013init``, ``goodfellow2016`` (section 8.3).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np
import torch
from torch import Tensor

from refimpl import optim
from refimpl.data import Quadratic, ill_conditioned_quadratic

__all__ = [
    "MOMENTUM_THETA0",
    "heavy_ball_parameters",
    "momentum_methods",
    "momentum_runs",
    "nesterov_parameters",
    "run_on_quadratic",
]

#: Starting point of the momentum runs (the minimiser is the origin).
MOMENTUM_THETA0: tuple[float, float] = (-4.5, -1.0)


def heavy_ball_parameters(lambda_min: float, lambda_max: float) -> tuple[float, float]:
    r"""Polyak's optimal heavy-ball step and momentum for a quadratic.

    Args:
        lambda_min: the smallest Hessian eigenvalue.
        lambda_max: the largest Hessian eigenvalue.

    Returns:
        $(\gamma, \mu) = \big(4/(\sqrt{\lambda_{\max}}+\sqrt{\lambda_{\min}})^2,\
        ((\sqrt\kappa-1)/(\sqrt\kappa+1))^2\big)$.
    """
    sq_kappa = math.sqrt(lambda_max / lambda_min)
    lr = 4.0 / (math.sqrt(lambda_max) + math.sqrt(lambda_min)) ** 2
    return lr, ((sq_kappa - 1) / (sq_kappa + 1)) ** 2


def nesterov_parameters(lambda_min: float, lambda_max: float) -> tuple[float, float]:
    r"""The standard Nesterov step and momentum for a strongly convex quadratic.

    Args:
        lambda_min: the smallest Hessian eigenvalue (the strong convexity).
        lambda_max: the largest Hessian eigenvalue (the smoothness).

    Returns:
        $(\gamma, \mu) = (1/\lambda_{\max}, (\sqrt\kappa-1)/(\sqrt\kappa+1))$.
    """
    sq_kappa = math.sqrt(lambda_max / lambda_min)
    return 1.0 / lambda_max, (sq_kappa - 1) / (sq_kappa + 1)


def momentum_methods(
    problem: Quadratic, tuned: bool = True
) -> dict[str, Callable[[list[Tensor]], torch.optim.Optimizer]]:
    r"""The compared methods, with their best constant parameters or with common ones.

    Args:
        problem: the quadratic (its extreme eigenvalues set the parameters).
        tuned: give each method its best-known constant parameters (GD: $2/(\lambda_{\min} +
            \lambda_{\max})$, heavy ball: Polyak's, Nesterov: ``nesterov_parameters``);
            otherwise every method uses $\gamma = 1/\lambda_{\max}$ and the momentum methods
            $\mu = (\sqrt\kappa-1)/(\sqrt\kappa+1)$, so that only the update rule differs.

    Returns:
        Factories, by name: ``"GD"``, ``"heavy ball"``, ``"EMA (slides)"``, ``"Nesterov"``.
    """
    lmin, lmax = problem.lambda_min, problem.lambda_max
    nag_lr, nag_mu = nesterov_parameters(lmin, lmax)
    if tuned:
        hb_lr, hb_mu = heavy_ball_parameters(lmin, lmax)
        gd_lr = 2.0 / (lmin + lmax)
    else:
        hb_lr, hb_mu, gd_lr = nag_lr, nag_mu, nag_lr
    return {
        "GD": lambda p: optim.SGD(p, lr=gd_lr),
        "heavy ball": lambda p: optim.SGD(p, lr=hb_lr, momentum=hb_mu),
        # γ_EMA (1 − α) = γ_HB: the same steps
        "EMA (slides)": lambda p: optim.EMAMomentum(p, lr=hb_lr / (1 - hb_mu), alpha=hb_mu),
        "Nesterov": lambda p: optim.SGD(p, lr=nag_lr, momentum=nag_mu, nesterov=True),
    }


def run_on_quadratic(
    problem: Quadratic,
    make_optimizer: Callable[[list[Tensor]], torch.optim.Optimizer],
    steps: int,
    theta0: tuple[float, ...],
) -> tuple[np.ndarray, np.ndarray]:
    """Run an optimizer on a quadratic with exact gradients.

    Args:
        problem: the quadratic.
        make_optimizer: builds the optimizer for the single parameter.
        steps: the number of steps $T$.
        theta0: the start.

    Returns:
        The iterates, shape ``(T + 1, d)``, and the suboptimality $L(\\theta_t) - L^\\star$,
        shape ``(T + 1,)``.
    """
    theta = torch.nn.Parameter(torch.tensor(theta0, dtype=problem.A.dtype))
    opt = make_optimizer([theta])
    path = [theta.detach().clone()]
    for _ in range(steps):
        opt.zero_grad()
        problem.loss(theta).backward()
        opt.step()
        path.append(theta.detach().clone())
    iterates = torch.stack(path)  # (T + 1, d)
    return iterates.numpy(), problem.suboptimality(iterates).numpy()


@functools.cache
def momentum_runs(
    condition_number: float,
    steps: int,
    theta0: tuple[float, ...] = MOMENTUM_THETA0,
    tuned: bool = True,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    r"""Every method of ``momentum_methods`` on the rotated 2-D quadratic with this $\kappa$.

    Args:
        condition_number: $\kappa$.
        steps: the number of steps.
        theta0: the start.
        tuned: best parameters per method, or common ones (see ``momentum_methods``).

    Returns:
        ``{name: (iterates, suboptimality)}`` (cached; read-only arrays).
    """
    problem = ill_conditioned_quadratic(condition_number)
    out = {}
    for name, make in momentum_methods(problem, tuned).items():
        iterates, subopt = run_on_quadratic(problem, make, steps, theta0)
        iterates.flags.writeable = False
        subopt.flags.writeable = False
        out[name] = (iterates, subopt)
    return out
