r"""Generalisation experiments: capacity, regularisation, double descent, inductive biases.

- ``polynomial_capacity``: polynomials of degree 0 to 9 fitted by least squares to $n = 10$
  noisy points of $y = 1.6x + 1.05$; training error falls to zero (degree 9 interpolates)
  while the error on fresh points from the same distribution rises.
- ``ridge_path`` and ``early_stopping``: the degree-9 fit regularised by an L2 penalty
  $\tfrac\lambda2\lVert w\rVert^2$, and by stopping gradient descent early.
- ``double_descent``: regression on $p$ random ReLU features $\phi(x) = \mathrm{ReLU}(Vx)$ with
  the minimum-norm least-squares solution; the test error peaks at the interpolation threshold
  $p = n$ and falls again beyond it (Belkin et al.).
- ``extrapolations``: three model families fitted to the same points, evaluated far from them.

Reading list: ``belkin2019``, ``zhang2017rethinking``, ``goodfellow2016`` (chapters 5 and 7).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch

from refimpl.functional.regression import least_squares, least_squares_gd, polynomial_features
from refimpl.nn.knn import KNeighborsClassifier
from refimpl.nn.polynomial_regression import PolynomialRegression

__all__ = [
    "CapacityCurves",
    "DoubleDescent",
    "double_descent",
    "early_stopping",
    "extrapolations",
    "noisy_line",
    "polynomial_capacity",
    "ridge_path",
]

NOISE = 0.3


def noisy_line(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    r"""$n$ points of $y = 1.6x + 1.05$ plus $\mathcal N(0, 0.3^2)$ noise, $x \sim U[-1, 1]$."""
    gen = torch.Generator().manual_seed(seed)
    x = 2 * torch.rand(n, generator=gen, dtype=torch.float64) - 1
    return x, 1.6 * x + 1.05 + NOISE * torch.randn(n, generator=gen, dtype=torch.float64)


def _read_only(*arrays: np.ndarray) -> None:
    for a in arrays:
        a.flags.writeable = False


@dataclass(frozen=True)
class CapacityCurves:
    """Training and validation error of polynomial fits against the degree.

    Attributes:
        degrees: the degrees, shape ``(k,)``.
        train_mse: mean squared error on the 10 training points, shape ``(k,)``.
        val_mse: mean squared error on 1000 fresh points, shape ``(k,)``.
    """

    degrees: np.ndarray
    train_mse: np.ndarray
    val_mse: np.ndarray


def _design(x: torch.Tensor, degree: int) -> torch.Tensor:
    return torch.cat([torch.ones_like(x)[:, None], polynomial_features(x, degree)], 1)


@functools.cache
def polynomial_capacity(max_degree: int = 9) -> CapacityCurves:
    """Fit degrees 0..``max_degree`` to the same 10 points (cached, read-only arrays)."""
    x, y = noisy_line(10, seed=0)
    xv, yv = noisy_line(1000, seed=1)
    train, val = [], []
    for d in range(max_degree + 1):
        if d == 0:
            pred, pred_v = torch.full_like(y, y.mean()), torch.full_like(yv, y.mean())
        else:
            model = PolynomialRegression(d, dtype=torch.float64).fit(x, y)
            with torch.no_grad():
                pred, pred_v = model(x), model(xv)
        train.append(((pred - y) ** 2).mean().item())
        val.append(((pred_v - yv) ** 2).mean().item())
    out = CapacityCurves(np.arange(max_degree + 1), np.asarray(train), np.asarray(val))
    _read_only(out.degrees, out.train_mse, out.val_mse)
    return out


@functools.cache
def ridge_path(lambdas: tuple[float, ...], degree: int = 9) -> tuple[np.ndarray, np.ndarray]:
    r"""Training and validation MSE of the ridge-regularised degree-9 fit for each $\lambda$.

    Returns:
        ``(train_mse, val_mse)``, each shape ``(len(lambdas),)`` (read-only). Cached.
    """
    x, y = noisy_line(10, seed=0)
    xv, yv = noisy_line(1000, seed=1)
    X, Xv = _design(x, degree), _design(xv, degree)
    train, val = [], []
    for lam in lambdas:
        w = least_squares(X, y, ridge=lam)
        train.append(((X @ w - y) ** 2).mean().item())
        val.append(((Xv @ w - yv) ** 2).mean().item())
    out = (np.asarray(train), np.asarray(val))
    _read_only(*out)
    return out


@functools.cache
def early_stopping(steps: int = 20000, degree: int = 9, lr: float = 0.5) -> tuple[np.ndarray, ...]:
    """Gradient descent on the degree-9 least-squares problem from zero.

    Returns:
        ``(steps, train_mse, val_mse)`` at logarithmically spaced steps (read-only). Cached.
    """
    x, y = noisy_line(10, seed=0)
    xv, yv = noisy_line(1000, seed=1)
    X, Xv = _design(x, degree), _design(xv, degree)
    path = least_squares_gd(X, y, lr=lr, steps=steps)  # (T + 1, d + 1)
    t = np.unique(np.geomspace(1, steps, 200).astype(int))
    w = path[torch.as_tensor(t)]  # (k, d + 1)
    train = ((w @ X.T - y) ** 2).mean(1).numpy()
    val = ((w @ Xv.T - yv) ** 2).mean(1).numpy()
    _read_only(t, train, val)
    return t, train, val


@dataclass(frozen=True)
class DoubleDescent:
    """Test error of min-norm random-features regression against the number of features.

    Attributes:
        n_train: the number of training points $n$.
        features: the feature counts $p$, shape ``(k,)``.
        test_mse: the median test MSE over the seeds, shape ``(k,)``.
        train_mse: the median training MSE, shape ``(k,)``.
    """

    n_train: int
    features: np.ndarray
    test_mse: np.ndarray
    train_mse: np.ndarray


@functools.cache
def double_descent(
    features: tuple[int, ...], n_train: int = 100, dim: int = 5, seeds: int = 3
) -> DoubleDescent:
    r"""Random ReLU features regression, $\hat y = \mathrm{ReLU}(Vx)^\top w$, $w$ of minimum norm.

    Inputs $x \sim \mathcal N(0, I_5)$, targets $y = \sin(u^\top x) + 0.1\,\varepsilon$ for a
    random unit vector $u$; feature weights $V_{ij} \sim \mathcal N(0, 1/d)$. The minimum-norm
    solution comes from ``numpy.linalg.lstsq`` (SVD).

    Args:
        features: the numbers of features $p$.
        n_train: $n$.
        dim: the input dimension $d$.
        seeds: independent draws of data and features; the median is reported.

    Returns:
        The curves (read-only arrays). Cached.
    """
    test_all, train_all = [], []
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        u = rng.normal(size=dim)
        u /= np.linalg.norm(u)
        x, xt = rng.normal(size=(n_train, dim)), rng.normal(size=(1000, dim))
        y = np.sin(x @ u) + 0.1 * rng.normal(size=n_train)
        yt = np.sin(xt @ u)
        V = rng.normal(size=(max(features), dim)) / np.sqrt(dim)
        phi_all, phi_t_all = np.maximum(x @ V.T, 0), np.maximum(xt @ V.T, 0)  # (n, P), (1000, P)
        test, train = [], []
        for p in features:
            phi, phi_t = phi_all[:, :p], phi_t_all[:, :p]
            # the minimum-norm least-squares solution (unique when p < n)
            w = np.linalg.lstsq(phi, y, rcond=None)[0]
            train.append(np.mean((phi @ w - y) ** 2))
            test.append(np.mean((phi_t @ w - yt) ** 2))
        test_all.append(test)
        train_all.append(train)
    out = DoubleDescent(
        n_train,
        np.asarray(features),
        np.median(np.asarray(test_all), axis=0),
        np.median(np.asarray(train_all), axis=0),
    )
    _read_only(out.features, out.test_mse, out.train_mse)
    return out


@functools.cache
def extrapolations() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    r"""Three model families fitted to the same 12 points on $[-1, 1]$, evaluated on $[-3, 3]$.

    The target is $y = \sin(\pi x)$ plus noise. The families: 1-nearest-neighbour regression
    (piecewise constant), a degree-5 polynomial, and 200 random ReLU features with the
    minimum-norm fit (piecewise linear, linear far away).

    Returns:
        ``{name: (x_grid, prediction)}`` plus ``"data": (x, y)`` (read-only). Cached.
    """
    gen = torch.Generator().manual_seed(4)
    x = torch.linspace(-1, 1, 12, dtype=torch.float64)
    y = torch.sin(torch.pi * x) + 0.1 * torch.randn(12, generator=gen, dtype=torch.float64)
    grid = torch.linspace(-3, 3, 601, dtype=torch.float64)
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {"data": (x.numpy(), y.numpy())}
    # 1-NN regression: the label of the nearest training point
    knn = KNeighborsClassifier(1, 12).fit(x[:, None], torch.arange(12))
    out["1-nearest neighbour"] = (grid.numpy(), y[knn(grid[:, None])].numpy())
    poly = PolynomialRegression(5, dtype=torch.float64).fit(x, y)
    with torch.no_grad():
        out["polynomial, degree 5"] = (grid.numpy(), poly(grid).numpy())
    w_in = torch.randn(200, generator=gen, dtype=torch.float64)
    b_in = torch.randn(200, generator=gen, dtype=torch.float64) * 0.8
    phi = torch.relu(x[:, None] * w_in + b_in)  # (12, 200)
    w = least_squares(torch.cat([phi, torch.ones(12, 1, dtype=torch.float64)], 1), y)
    phi_g = torch.relu(grid[:, None] * w_in + b_in)
    pred = torch.cat([phi_g, torch.ones(601, 1, dtype=torch.float64)], 1) @ w
    out["ReLU network (random features)"] = (grid.numpy(), pred.numpy())
    for a, b in out.values():
        _read_only(a, b)
    return out
