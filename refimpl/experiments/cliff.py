r"""The exploding-gradient cliff of a one-unit recurrent network (Pascanu et al. 2013).

A single unit iterated 50 times,

$$
h_t = w\,\sigma(h_{t-1}) + b,\qquad h_0 = 0.5,\qquad E(w, b) = (h_{50} - 0.7)^2,
$$

with $\sigma$ the logistic function. For $w \gtrsim 4$ the map $h \mapsto w\sigma(h) + b$ has two
stable fixed points; which one $h_{50}$ ends near depends on which side of the unstable fixed
point $h_0$ lies. Moving $(w, b)$ across the curve where the unstable point crosses $h_0 = 0.5$
flips $h_{50}$ from one stable point to the other, so $E$ jumps: a wall in the error surface
(for $w = 5$ at $b \approx -2.6124$), where $\lvert\nabla E\rvert$ is thousands of times its
typical size. Gradient descent that steps onto the wall is thrown far away; with gradient-norm
clipping the step stays short. Runs use ``refimpl.optim.SGD`` and
``refimpl.functional.clip_grad_norm_``. Reading list: ``pascanu2013difficulty``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from refimpl.functional.clipping import clip_grad_norm_
from refimpl.optim import SGD

__all__ = [
    "CLIFF_LR",
    "CLIFF_START",
    "CLIFF_STEPS",
    "CLIFF_THRESHOLD",
    "CliffRun",
    "cliff_error",
    "cliff_final_state",
    "cliff_run",
    "cliff_slice",
    "cliff_surface",
]

#: Start, learning rate, steps and clipping threshold of the demonstration runs.
CLIFF_START: tuple[float, float] = (5.0, -2.5)
CLIFF_LR: float = 0.01
CLIFF_STEPS: int = 200
CLIFF_THRESHOLD: float = 5.0


# --8<-- [start:cliff]
def cliff_final_state(w: Tensor, b: Tensor, steps: int = 50, h0: float = 0.5) -> Tensor:
    """Iterate the one-unit network; ``w`` and ``b`` may be arrays of any (common) shape.

    Args:
        w: the recurrent weight w.
        b: the bias b.
        steps: the number of steps T.
        h0: the initial state h(0).

    Returns:
        h(T), with the shape of ``w`` and ``b``.
    """
    h = torch.full_like(w, h0)
    for _ in range(steps):
        # h(t) = w σ(h(t − 1)) + b
        h = w * torch.sigmoid(h) + b
    return h


def cliff_error(w: Tensor, b: Tensor, target: float = 0.7) -> Tensor:
    """The error E(w, b) = (h(50) − 0.7)²."""
    return (cliff_final_state(w, b) - target) ** 2


# --8<-- [end:cliff]


@dataclass(frozen=True)
class CliffRun:
    """One gradient-descent run on the cliff.

    Attributes:
        path: the iterates $(w_t, b_t)$, shape ``(T + 1, 2)``.
        errors: $E(w_t, b_t)$, shape ``(T + 1,)``.
        grad_norms: $\\lVert\\nabla E\\rVert$ before clipping at each step, shape ``(T,)``.
        threshold: the clipping threshold, or ``None`` for plain gradient descent.
    """

    path: np.ndarray
    errors: np.ndarray
    grad_norms: np.ndarray
    threshold: float | None


def cliff_run(
    start: tuple[float, float] = CLIFF_START,
    lr: float = CLIFF_LR,
    steps: int = CLIFF_STEPS,
    threshold: float | None = None,
) -> CliffRun:
    """Gradient descent on $E(w, b)$, with optional gradient-norm clipping.

    Args:
        start: $(w_0, b_0)$.
        lr: the learning rate $\\gamma$.
        steps: the number of steps.
        threshold: clip the gradient norm to this value before each step (``None``: no clipping).

    Returns:
        The run.
    """
    theta = torch.nn.Parameter(torch.tensor(start, dtype=torch.float64))
    opt = SGD([theta], lr=lr)
    path, errors, norms = [theta.detach().clone()], [], []
    for _ in range(steps):
        opt.zero_grad()
        error = cliff_error(theta[0], theta[1])
        error.backward()
        errors.append(error.item())
        if threshold is None:
            norms.append(theta.grad.norm().item())
        else:
            norms.append(clip_grad_norm_([theta], threshold).item())
        opt.step()
        path.append(theta.detach().clone())
    final = path[-1]
    errors.append(cliff_error(final[0], final[1]).item())
    return CliffRun(torch.stack(path).numpy(), np.array(errors), np.array(norms), threshold)


@functools.cache
def cliff_surface(
    w_range: tuple[float, float] = (2.0, 8.0),
    b_range: tuple[float, float] = (-5.0, 0.0),
    num: int = 401,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """$E$ on a grid of $(w, b)$ (cached).

    Args:
        w_range: the interval of $w$.
        b_range: the interval of $b$.
        num: points per axis.

    Returns:
        ``(w, b, E)``: the axes, shapes ``(num,)``, and the errors, shape ``(num, num)`` indexed
        ``[b, w]``.
    """
    w = torch.linspace(*w_range, num, dtype=torch.float64)
    b = torch.linspace(*b_range, num, dtype=torch.float64)
    B, W = torch.meshgrid(b, w, indexing="ij")  # (num, num)
    return w.numpy(), b.numpy(), cliff_error(W, B).numpy()


@functools.cache
def cliff_slice(
    w: float = 5.0, b_range: tuple[float, float] = (-3.0, -2.2), resolution: float = 1e-4
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """$E$ and $\\partial E/\\partial b$ along $b$ at fixed $w$, finely resolved (cached).

    Args:
        w: the fixed recurrent weight.
        b_range: the interval of $b$.
        resolution: the spacing in $b$.

    Returns:
        ``(b, E, dE/db)``, each of shape ``(n,)``.
    """
    n = round((b_range[1] - b_range[0]) / resolution) + 1
    b = torch.linspace(*b_range, n, dtype=torch.float64, requires_grad=True)
    error = cliff_error(torch.full_like(b, w), b)
    (grad,) = torch.autograd.grad(error.sum(), b)  # each E depends only on its own b
    return b.detach().numpy(), error.detach().numpy(), grad.numpy()
