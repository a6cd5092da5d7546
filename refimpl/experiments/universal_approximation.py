r"""One-hidden-layer ReLU networks approximating a smooth function better as they widen.

A network $h(x) = \sum_{i=1}^{N} v_i\,\mathrm{ReLU}(w_i x + b_i) + c$ on an interval is a
piecewise linear function with (at most) $N$ kinks, at $x = -b_i/w_i$. We place the kinks of
the hidden layer evenly, $k_i = x_{\min} + (i-1)\,(x_{\max}-x_{\min})/N$ with $w_i = 1$, and
fit the output layer by least squares, which is convex: the network can then represent every
continuous piecewise linear function with those kinks, and the sup-norm error to
$f(x) = \sin 3x$ on $[-\pi, \pi]$ falls like $N^{-2}$ (linear interpolation with spacing $h$
errs by at most $h^2 \max|f''|/8$). Width buys accuracy, as the universal approximation
theorem promises it can. The fitted weights are loaded into a `refimpl.nn.MLP`, which
evaluates the fits.
Reading list: ``cybenko1989``, ``hornik1989``, ``pinkus1999``.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import torch

from refimpl.nn.mlp import MLP

__all__ = ["WidthFit", "fit_width", "target", "width_sweep"]

#: The interval $[-\pi, \pi]$ of the fits.
DOMAIN = (-math.pi, math.pi)


def target(x: np.ndarray) -> np.ndarray:
    r"""The function approximated, $f(x) = \sin 3x$."""
    return np.sin(3 * x)


@dataclass(frozen=True)
class WidthFit:
    r"""A least-squares fit of a width-$N$ ReLU network.

    Attributes:
        width: $N$.
        model: the fitted `refimpl.nn.MLP` of sizes ``[1, N, 1]`` (float64).
        x: the evaluation grid, shape ``(G,)``.
        prediction: $h(x)$ on the grid, shape ``(G,)``.
        sup_error: $\max_x |h(x) - f(x)|$ on the grid.
    """

    width: int
    model: MLP
    x: np.ndarray
    prediction: np.ndarray
    sup_error: float


def fit_width(width: int, n_train: int = 400, n_eval: int = 2001) -> WidthFit:
    """Fit the output layer of a width-``width`` ReLU layer with evenly spaced kinks to $\\sin 3x$.

    Args:
        width: the number of hidden units $N$.
        n_train: equally spaced training points on the interval.
        n_eval: equally spaced evaluation points.

    Returns:
        The fitted network and its error.
    """
    lo, hi = DOMAIN
    w = np.ones(width)
    kinks = lo + (hi - lo) * np.arange(width) / width  # the first kink at the left end
    b = -w * kinks  # ReLU(w x + b) bends at x = kink
    x_train = np.linspace(lo, hi, n_train)
    # features φ_i(x) = ReLU(w_i x + b_i), plus a constant for the output bias
    features = np.maximum(np.outer(x_train, w) + b, 0.0)  # (n_train, N)
    design = np.column_stack([features, np.ones(n_train)])  # (n_train, N + 1)
    coef, *_ = np.linalg.lstsq(design, target(x_train), rcond=None)
    model = MLP([1, width, 1], activation="relu", dtype=torch.float64)
    hidden, out = model.linear_layers()
    with torch.no_grad():
        hidden.weight.copy_(torch.tensor(w)[:, None])
        hidden.bias.copy_(torch.tensor(b))
        out.weight.copy_(torch.tensor(coef[:-1])[None, :])
        out.bias.copy_(torch.tensor(coef[-1:]))
    x = np.linspace(lo, hi, n_eval)
    with torch.no_grad():
        pred = model(torch.tensor(x)[:, None])[:, 0].numpy()
    return WidthFit(width, model, x, pred, float(np.abs(pred - target(x)).max()))


@functools.cache
def width_sweep(widths: tuple[int, ...]) -> np.ndarray:
    """The sup-norm error of `fit_width` for each width.

    Args:
        widths: the widths $N$.

    Returns:
        The errors (read-only), shape ``(len(widths),)``. Cached.
    """
    errors = [fit_width(n).sup_error for n in widths]
    out = np.asarray(errors)
    out.flags.writeable = False
    return out
