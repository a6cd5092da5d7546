r"""Gradient descent and the Newton family near a saddle point.

The test function has a saddle at the origin and two minima at $(0, \pm1)$:

$$
f(x, y) = x^2 + \tfrac14 y^4 - \tfrac12 y^2,\qquad
\nabla^2 f = \begin{pmatrix} 2 & 0 \\ 0 & 3y^2 - 1 \end{pmatrix},\qquad
f(0, 0) = 0,\ f(0, \pm 1) = -\tfrac14 .
$$

Started just off the ridge $y = 0$, Newton's method converges to the saddle (its step heads for
the critical point of the local quadratic model, which near the origin is the saddle); damped
Newton with $\eta > 1$ and saddle-free Newton are pushed away along the negative-curvature
direction $y$, and gradient descent escapes too, but slowly, because the gradient is small
there. Every run uses the ``refimpl.optim`` classes. Reading list: ``dauphin2014``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from refimpl.optim import SGD, DampedNewton, Newton, SaddleFreeNewton

__all__ = [
    "SADDLE_MIN",
    "SADDLE_START",
    "SaddleRun",
    "saddle_function",
    "saddle_runs",
]

#: Starting point of the runs: close to the ridge through the saddle.
SADDLE_START: tuple[float, float] = (-1.6, 0.02)
#: Minimum value of ``saddle_function`` (at $(0, \pm 1)$).
SADDLE_MIN: float = -0.25


def saddle_function(w: Tensor) -> Tensor:
    r"""$f(x, y) = x^2 + \tfrac14 y^4 - \tfrac12 y^2$ over the last axis of ``w`` (..., 2)."""
    x, y = w[..., 0], w[..., 1]
    return x**2 + 0.25 * y**4 - 0.5 * y**2


@dataclass(frozen=True)
class SaddleRun:
    """One optimizer's path on ``saddle_function``.

    Attributes:
        name: the method, as shown in the legend.
        iterates: $\\theta_0, \\dots, \\theta_T$, shape ``(T + 1, 2)``.
        losses: $f(\\theta_t)$, shape ``(T + 1,)``.
    """

    name: str
    iterates: np.ndarray
    losses: np.ndarray


def _run(make_opt, steps: int, start: tuple[float, float], closure_needed: bool) -> np.ndarray:
    w = torch.nn.Parameter(torch.tensor(start, dtype=torch.float64))
    opt = make_opt([w])
    path = [w.detach().clone()]
    for _ in range(steps):
        if closure_needed:
            opt.step(lambda: saddle_function(w))
        else:
            opt.zero_grad()
            saddle_function(w).backward()
            opt.step()
        path.append(w.detach().clone())
    return torch.stack(path).numpy()  # (T + 1, 2)


@functools.cache
def saddle_runs(
    steps: int = 40,
    start: tuple[float, float] = SADDLE_START,
    lr: float = 0.1,
    damping: float = 2.0,
) -> tuple[SaddleRun, ...]:
    r"""Gradient descent, Newton, damped Newton and saddle-free Newton from the same start.

    Args:
        steps: the number of steps $T$.
        start: the common starting point $\theta_0$.
        lr: gradient descent's learning rate (the Newton-type methods take full steps).
        damping: $\eta$ of damped Newton; $\eta > 1$ makes $\eta I + H$ positive definite at
            the saddle.

    Returns:
        The four runs, in that order (read-only arrays). Cached.
    """
    makers = (
        (f"gradient descent (γ = {lr:g})", lambda p: SGD(p, lr=lr), False),
        ("Newton", lambda p: Newton(p), True),
        (f"damped Newton (η = {damping:g})", lambda p: DampedNewton(p, damping=damping), True),
        ("saddle-free Newton", lambda p: SaddleFreeNewton(p), True),
    )
    runs = []
    for name, make, needs_closure in makers:
        path = _run(make, steps, start, needs_closure)
        losses = saddle_function(torch.from_numpy(path)).numpy()
        path.flags.writeable = False
        losses.flags.writeable = False
        runs.append(SaddleRun(name=name, iterates=path, losses=losses))
    return tuple(runs)
