r"""A straight line fitted by least squares, in closed form and by gradient descent.

Data: $n = 20$ points $y = 1.6x + 1.05 + \varepsilon$, $\varepsilon \sim \mathcal N(0, 0.3^2)$,
$x$ uniform on $[0, 2]$ (the line of the lecture's example). The model $h(x) = ax + b$ is linear
in $\theta = (a, b)$, so the loss $L(\theta) = \tfrac{1}{2n}\lVert X\theta - y\rVert^2$ with
design matrix $X = [x, 1]$ is a convex quadratic: gradient descent from any start converges to
the closed-form solution of the normal equations, along a path set by the condition number of
$X^\top X$. Reading list: ``goodfellow2016`` (section 5.1.4).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch

from refimpl.functional.regression import least_squares, least_squares_gd

__all__ = ["LineFit", "line_data", "line_fit"]


def line_data(n: int = 20, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Noisy samples of $y = 1.6x + 1.05$ (float64 inputs ``(n,)`` and targets ``(n,)``)."""
    gen = torch.Generator().manual_seed(seed)
    x = 2 * torch.rand(n, generator=gen, dtype=torch.float64)
    y = 1.6 * x + 1.05 + 0.3 * torch.randn(n, generator=gen, dtype=torch.float64)
    return x, y


@dataclass(frozen=True)
class LineFit:
    r"""The two fits of $h(x) = ax + b$.

    Attributes:
        x: inputs, shape ``(n,)``.
        y: targets, shape ``(n,)``.
        closed_form: $(a, b)$ from the normal equations, shape ``(2,)``.
        gd_path: $(a, b)$ along gradient descent from $(0, 0)$, shape ``(T + 1, 2)``.
        lr: the step size used.
    """

    x: np.ndarray
    y: np.ndarray
    closed_form: np.ndarray
    gd_path: np.ndarray
    lr: float


@functools.cache
def line_fit(steps: int = 200, lr: float = 0.5) -> LineFit:
    """Fit the line both ways (cached; arrays read-only).

    Args:
        steps: gradient-descent steps.
        lr: the step size.

    Returns:
        Both fits.
    """
    x, y = line_data()
    X = torch.stack([x, torch.ones_like(x)], dim=1)  # (n, 2): columns x and 1
    fit = LineFit(
        x=x.numpy(),
        y=y.numpy(),
        closed_form=least_squares(X, y).numpy(),
        gd_path=least_squares_gd(X, y, lr=lr, steps=steps).numpy(),
        lr=lr,
    )
    for a in (fit.x, fit.y, fit.closed_form, fit.gd_path):
        a.flags.writeable = False
    return fit
