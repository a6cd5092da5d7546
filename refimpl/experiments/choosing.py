r"""Gradient descent, momentum and Adam on three small problems, each at its best step size.

Each optimizer is run with every learning rate of a small grid, and the run with the lowest
final loss is kept (a diverged run counts as infinitely bad), so the comparison is between
tuned methods, not between default settings. The three problems isolate three difficulties:

1. **ill-conditioning**: the quadratic $\tfrac12\theta^\top A\theta - b^\top\theta$ with
   condition number $\kappa = 100$ (`refimpl.data.ill_conditioned_quadratic`);
2. **a saddle**: a tanh network started from weights 100 times smaller than the default, the
   plateau of the troubleshooting guide;
3. **gradient noise**: a ReLU network trained on minibatches of 8 examples.

Momentum is heavy-ball momentum $\mu = 0.9$ (`refimpl.optim.SGD`); Adam is `torch.optim.Adam`
with its defaults $\beta_1 = 0.9$, $\beta_2 = 0.999$. Reading list: ``goodfellow2016``
(chapter 8), ``kingma2015adam``, ``sutskever2013init``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from refimpl.data import ill_conditioned_quadratic
from refimpl.experiments.troubleshooting import _mlp, regression_data
from refimpl.optim import SGD
from refimpl.train import train

__all__ = ["LR_GRID", "OPTIMIZERS", "Comparison", "optimizer_comparison"]

#: The learning rates tried for every optimizer on every problem.
LR_GRID: tuple[float, ...] = (0.3, 0.1, 0.03, 0.01)
#: The optimizers compared, by label.
OPTIMIZERS: tuple[str, ...] = ("GD", "momentum 0.9", "Adam")

mse = nn.functional.mse_loss


def _make(name: str, params, lr: float) -> torch.optim.Optimizer:
    if name == "GD":
        return SGD(params, lr=lr)
    if name == "momentum 0.9":
        return SGD(params, lr=lr, momentum=0.9)
    return torch.optim.Adam(params, lr=lr)


@dataclass(frozen=True)
class Comparison:
    """The best run of each optimizer on each problem.

    Attributes:
        problems: the problem labels.
        curves: problem → optimizer → the loss at every step of its best run.
        best_lr: problem → optimizer → the learning rate of that run.
    """

    problems: tuple[str, ...]
    curves: dict[str, dict[str, np.ndarray]]
    best_lr: dict[str, dict[str, float]]


def _quadratic(name: str, lr: float, steps: int) -> np.ndarray:
    problem = ill_conditioned_quadratic(condition_number=100.0)
    theta = torch.nn.Parameter(torch.tensor([-3.0, 2.0], dtype=torch.float64))
    opt = _make(name, [theta], lr)
    losses = []
    for _ in range(steps + 1):
        losses.append(float(problem.suboptimality(theta.detach())))
        opt.zero_grad()
        problem.loss(theta).backward()
        opt.step()
    return np.array(losses)


def _saddle(name: str, lr: float, steps: int) -> np.ndarray:
    x, _ = regression_data(64)
    y = torch.sin(x)
    model = _mlp((1, 8, 8, 1), nn.Tanh, 2)
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(0.01)
    h = train(model, _make(name, model.parameters(), lr), mse, x, y, steps=steps)
    return np.array(h.train_loss)


def _noisy(name: str, lr: float, steps: int) -> np.ndarray:
    x, y = regression_data(128, noise=0.1, seed=21)
    model = _mlp((1, 32, 32, 1), nn.ReLU, 3)
    h = train(model, _make(name, model.parameters(), lr), mse, x, y, steps=steps, batch_size=8)
    return np.array(h.train_loss)


@functools.cache
def optimizer_comparison(steps: int = 300) -> Comparison:
    """Run every optimizer at every learning rate of `LR_GRID` on the three problems.

    Returns:
        The best run per optimizer and problem (lowest final loss; losses are full-batch).
    """
    problems = {
        r"ill-conditioned quadratic ($\kappa = 100$)": _quadratic,
        "saddle: tanh net from tiny weights": _saddle,
        "noisy: ReLU net, batches of 8": _noisy,
    }
    curves: dict[str, dict[str, np.ndarray]] = {}
    best_lr: dict[str, dict[str, float]] = {}
    for label, run in problems.items():
        curves[label], best_lr[label] = {}, {}
        for name in OPTIMIZERS:
            best = None
            for lr in LR_GRID:
                loss = run(name, lr, steps)
                final = loss[-1] if np.isfinite(loss).all() else np.inf
                if best is None or final < best[0]:
                    best = (final, lr, loss)
            curves[label][name], best_lr[label][name] = best[2], best[1]
    return Comparison(problems=tuple(problems), curves=curves, best_lr=best_lr)
