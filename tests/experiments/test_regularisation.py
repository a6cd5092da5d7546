"""The regularisation comparison: early stopping's weights and the test losses are consistent."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from refimpl.experiments import regularisation as rg

pytestmark = pytest.mark.usefixtures("one_thread")


def test_early_stopping_kept_the_minimum_of_the_unregularised_curve():
    res = rg.regularisation_runs()
    curve = res.val_loss["none"]
    assert res.best_val == curve.min()
    assert res.best_step == res.eval_steps[int(np.argmin(curve))]


def test_every_regulariser_beats_no_regularisation_on_the_test_set():
    res = rg.regularisation_runs()
    none = res.test_loss["none"]
    floor = rg.NOISE**2
    for label in ("early stopping", "L2 penalty 0.01", "dropout 0.2"):
        assert floor < res.test_loss[label] < floor + 0.5 * (none - floor)
    # the unregularised run fits the training set well below the noise level
    assert res.train_loss["none"][-1] < 0.5 * floor


def test_random_relu_features_are_a_constant_and_hinges():
    x = torch.linspace(-2, 2, 101, dtype=torch.float64).reshape(-1, 1)
    phi = rg.random_relu_features(x, width=16, seed=3)
    assert phi.shape == (101, 17)
    assert torch.equal(phi[:, 0], torch.ones(101, dtype=torch.float64))
    assert (phi[:, 1:] >= 0).all()
    # each feature is ReLU(±(x - c)): slope 0 or ±1 on every grid interval but the one
    # holding its kink, and never both +1 and -1
    slopes = torch.diff(phi[:, 1:], dim=0) / (x[1] - x[0])
    flat_or_unit = torch.isclose(slopes, torch.zeros_like(slopes), atol=1e-9) | torch.isclose(
        slopes.abs(), torch.ones_like(slopes)
    )
    assert ((~flat_or_unit).sum(0) <= 1).all()
    assert not ((slopes > 0.5).any(0) & (slopes < -0.5).any(0)).any()
    assert torch.equal(rg.random_relu_features(x, width=16, seed=3), phi)


def test_validation_estimates_match_a_direct_ridge_fit():
    from refimpl.experiments.troubleshooting import regression_data
    from refimpl.train import kfold_indices

    res = rg.validation_estimates(draws=2, n=20, k=4)
    xt, yt = regression_data(2000, noise=rg.NOISE, seed=10_000)
    d, i = 1, 6
    x, y = regression_data(20, noise=rg.NOISE, seed=100 + d)
    phi, phi_t = rg.random_relu_features(x), rg.random_relu_features(xt)
    vals, tests = [], []
    for tr, va in kfold_indices(20, 4, seed=d):
        a = phi[tr].T @ phi[tr] + len(tr) * res.lambdas[i] * torch.eye(
            phi.shape[1], dtype=phi.dtype
        )
        theta = torch.linalg.solve(a, phi[tr].T @ y[tr])
        vals.append(float(((phi[va] @ theta - y[va]) ** 2).mean()))
        tests.append(float(((phi_t @ theta - yt) ** 2).mean()))
    np.testing.assert_allclose(res.holdout[d, i], vals[0], rtol=1e-8)
    np.testing.assert_allclose(res.holdout_test[d, i], tests[0], rtol=1e-8)
    np.testing.assert_allclose(res.kfold[d, i], np.mean(vals), rtol=1e-8)
    np.testing.assert_allclose(res.kfold_test[d, i], np.mean(tests), rtol=1e-8)


def test_kfold_is_less_noisy_and_less_optimistic_than_hold_out():
    res = rg.validation_estimates()
    best = int(np.argmin(res.kfold_test.mean(0)))
    err_hold = res.holdout[:, best] - res.holdout_test[:, best]
    err_kfold = res.kfold[:, best] - res.kfold_test[:, best]
    assert err_kfold.std() < 0.7 * err_hold.std()
    rows = np.arange(len(res.holdout))
    ch, ck = res.holdout.argmin(1), res.kfold.argmin(1)
    gap_hold = res.holdout_test[rows, ch].mean() - res.holdout[rows, ch].mean()
    gap_kfold = res.kfold_test[rows, ck].mean() - res.kfold[rows, ck].mean()
    assert 0 < gap_kfold < 0.5 * gap_hold  # the chosen penalty's validation loss is optimistic
    # choosing by k-fold gives the better model, close to the best fixed penalty
    assert res.kfold_test[rows, ck].mean() < res.holdout_test[rows, ch].mean()
