"""The numerical checks behind the theory pages: regions, folding, high dimensions, Saxe's modes."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from refimpl.experiments import (
    cost_functions,
    deep_linear,
    high_dimensions,
    linear_models,
    supervised,
)
from refimpl.experiments import linear_regions as lr


@pytest.mark.parametrize("m", range(1, 11))
def test_zaslavsky_count_in_the_plane(m: int) -> None:
    assert lr.zaslavsky_count(m, 2) == math.comb(m, 2) + m + 1
    if m >= 2:
        for seed in range(3):
            assert lr.count_arrangement_regions(m, 2, seed=seed) == math.comb(m, 2) + m + 1


@pytest.mark.parametrize("m", [3, 5, 8])
def test_zaslavsky_count_in_three_dimensions(m: int) -> None:
    assert lr.count_arrangement_regions(m, 3) == sum(math.comb(m, j) for j in range(4))


@pytest.mark.parametrize("depth", [1, 2, 3, 5, 7])
def test_tent_folding_gives_two_to_the_depth_pieces(depth: int) -> None:
    x = np.linspace(0, 1, 2 ** (depth + 4) + 1)
    with torch.no_grad():
        v = lr.tent_network(depth)(torch.tensor(x)[:, None])[:, 0].numpy()
    assert lr.count_pieces(v, x) == 2**depth
    # the map folds [0, 1] onto itself: values stay in [0, 1] and hit both ends
    assert v.min() == pytest.approx(0.0, abs=1e-12) and v.max() == pytest.approx(1.0)


def test_shallow_partition_is_within_zaslavsky_bound() -> None:
    shallow = lr.region_map((24,))
    assert shallow.n_regions <= lr.zaslavsky_count(24, 2)
    assert lr.region_map((8, 8, 8)).n_regions > 24  # far more than one region per unit


def test_gaussian_angles_and_norms_concentrate() -> None:
    for n in (100, 1000):
        angles = high_dimensions.gaussian_angles_deg(n)
        assert angles.mean() == pytest.approx(90.0, abs=0.5)
        # sd of the angle ≈ (180/π)/√N
        assert angles.std() == pytest.approx(180 / np.pi / np.sqrt(n), rel=0.06)
    norms = high_dimensions.gaussian_norms(1000)
    assert norms.mean() / np.sqrt(1000) == pytest.approx(1.0, abs=0.01)
    assert norms.std() == pytest.approx(1 / np.sqrt(2), rel=0.06)


@pytest.mark.parametrize("n_dim", [2, 3, 5])
def test_shell_fraction_monte_carlo(n_dim: int) -> None:
    assert high_dimensions.shell_fraction_mc(n_dim, 0.1) == pytest.approx(
        float(high_dimensions.shell_fraction(n_dim, 0.1)), abs=0.01
    )


def test_saxe_modes_follow_the_closed_form() -> None:
    c = deep_linear.mode_curves()
    for i, s in enumerate(c.singular_values):
        deep = deep_linear.analytic_mode(c.steps, s, c.u0, c.tau)
        shallow = deep_linear.shallow_mode(c.steps, s, c.u0, c.tau)
        # gradient descent with step η tracks the gradient flow to about η·s² relative
        assert np.abs(c.deep[:, i] - deep).max() < 0.015 * s
        assert np.abs(c.shallow[:, i] - shallow).max() < 0.002 * s
    # stage-like: the strong mode is half-learned before the weak one has moved 10%
    t_half_strong = np.argmax(c.deep[:, 0] > c.singular_values[0] / 2)
    assert c.deep[t_half_strong, 2] < 0.1 * c.singular_values[2]


def test_closed_form_analytic_mode_solves_its_ode() -> None:
    s, u0, tau = 2.0, 1e-3, 3.0
    t = np.linspace(0, 10, 2001)
    u = deep_linear.analytic_mode(t, s, u0, tau)
    du = np.gradient(u, t)
    np.testing.assert_allclose(tau * du[5:-5], 2 * u[5:-5] * (s - u[5:-5]), atol=2e-3)
    assert u[0] == pytest.approx(u0)


def test_line_fit_and_robust_costs() -> None:
    fit = linear_models.line_fit()
    X = np.column_stack([fit.x, np.ones_like(fit.x)])
    np.testing.assert_allclose(
        fit.closed_form, np.linalg.lstsq(X, fit.y, rcond=None)[0], rtol=1e-10
    )
    np.testing.assert_allclose(fit.gd_path[-1], fit.closed_form, atol=1e-4)
    fits = cost_functions.robust_fits()
    x, y = cost_functions.outlier_data()
    np.testing.assert_allclose(
        fits["squared (MSE)"], np.polyfit(x.numpy(), y.numpy(), 1), atol=1e-6
    )
    # the absolute error ignores the outliers: its slope is near the true 1.6, the MSE's is not
    assert abs(fits["absolute (MAE)"][0] - 1.6) < 0.1 < abs(fits["squared (MSE)"][0] - 1.6)


def test_supervised_linear_fails_where_mlp_and_knn_succeed() -> None:
    linear, mlp, nn1, nn15 = supervised.decisions()
    assert linear.test_accuracy < 0.9
    assert min(mlp.test_accuracy, nn1.test_accuracy, nn15.test_accuracy) > 0.95
    assert nn1.train_accuracy == 1.0  # 1-NN memorises the training set


def test_normalisation_keeps_the_scale_through_depth() -> None:
    from refimpl.experiments import normalization

    plain = normalization.depth_profile("none")
    assert plain[5] < 0.02 * plain[0]  # shrinks without normalisation
    for norm in ("batch", "layer"):
        # E[ReLU(z)²] = ½ for standard normal z: standardised z stay close to it at every depth
        np.testing.assert_allclose(normalization.depth_profile(norm), 0.5, rtol=0.2)


def test_cumulative_running_statistics_are_plain_averages() -> None:
    from refimpl.experiments import normalization

    mean, var = normalization.running_statistics(None)
    gen = torch.Generator().manual_seed(0)
    batches = [
        3.0 + 2.0 * torch.randn(16, 1, generator=gen, dtype=torch.float64) for _ in range(300)
    ]
    # reference: the average of the batch means and of the unbiased batch variances
    np.testing.assert_allclose(mean[-1], np.mean([b.mean().item() for b in batches]), rtol=1e-10)
    np.testing.assert_allclose(var[-1], np.mean([b.var().item() for b in batches]), rtol=1e-10)
