"""Generalisation experiments against closed forms and the shapes the pages claim."""

from __future__ import annotations

import numpy as np
import torch

from refimpl.experiments import generalization as gen
from refimpl.figures.generalization import FEATURES, LAMBDAS


def test_polynomial_capacity_u_shape_and_interpolation() -> None:
    c = gen.polynomial_capacity()
    assert np.all(np.diff(c.train_mse) <= 1e-12)  # nested models: training error never rises
    assert c.train_mse[9] < 1e-10  # degree 9 on 10 points interpolates
    assert np.argmin(c.val_mse) in (1, 2, 3)
    assert c.val_mse[9] > 100 * c.val_mse[1]
    # reference: numpy's polynomial fit on the same data gives the same validation error
    x, y = gen.noisy_line(10, seed=0)
    xv, yv = gen.noisy_line(1000, seed=1)
    coef = np.polynomial.polynomial.polyfit(x.numpy(), y.numpy(), 2)
    val = np.mean((np.polynomial.polynomial.polyval(xv.numpy(), coef) - yv.numpy()) ** 2)
    np.testing.assert_allclose(c.val_mse[2], val, rtol=1e-8)


def test_ridge_and_early_stopping_have_interior_optima() -> None:
    train, val = gen.ridge_path(LAMBDAS)
    assert np.all(np.diff(train) >= -1e-12)  # more penalty, worse training fit
    best = int(np.argmin(val))
    assert 0 < best < len(LAMBDAS) - 1 and val[best] < 0.2
    steps, train, val = gen.early_stopping()
    assert np.all(np.diff(train) <= 1e-12)
    best = int(np.argmin(val))
    assert 0 < best < len(steps) - 1 and val[-1] > 1.5 * val[best]


def test_ridge_solution_matches_the_svd_filter() -> None:
    x, y = gen.noisy_line(10, seed=0)
    X = torch.cat(
        [torch.ones(10, 1, dtype=torch.float64), torch.stack([x**k for k in range(1, 10)], 1)], 1
    )
    lam = 1e-3
    from refimpl.functional.regression import least_squares

    U, s, Vt = torch.linalg.svd(X, full_matrices=False)
    filtered = Vt.T @ (s / (s**2 + 10 * lam) * (U.T @ y))  # Σ σ/(σ² + nλ) (uᵀy) v
    torch.testing.assert_close(least_squares(X, y, ridge=lam), filtered, rtol=1e-6, atol=1e-8)


def test_double_descent_peaks_at_the_interpolation_threshold() -> None:
    d = gen.double_descent(FEATURES)
    peak = d.features[int(np.argmax(d.test_mse))]
    assert 0.8 * d.n_train <= peak <= 1.25 * d.n_train
    over = d.features > 2 * d.n_train
    assert np.all(d.train_mse[over] < 1e-10)  # interpolation beyond the threshold
    assert d.test_mse[over][-1] < 0.1 * d.test_mse.max()  # the second descent


def test_extrapolations_agree_inside_and_differ_outside() -> None:
    e = gen.extrapolations()
    preds = {k: v for k, v in e.items() if k != "data"}
    grid = next(iter(preds.values()))[0]
    inside = np.abs(grid) <= 1
    for g, p in preds.values():
        # inside the training range each fit stays close to the data's function
        assert np.abs(p[inside] - np.sin(np.pi * g[inside])).max() < 0.5
    far = grid >= 2.5
    spread = np.ptp(np.stack([p[far] for _, p in preds.values()]), axis=0)
    assert spread.min() > 1.0
