"""Gradient descent on quadratics against the closed form (I - γA)^t (θ0 - θ*) + θ*.

The references are computed here with NumPy (matrix powers, spectral radii), independently of
the eigen-decomposition that refimpl.experiments uses.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from refimpl.data import Quadratic, ill_conditioned_quadratic
from refimpl.experiments import gradient_descent as gd


def numpy_closed_form(q: Quadratic, lr: float, steps: int, theta0: np.ndarray) -> np.ndarray:
    A, b = q.A.numpy(), q.b.numpy()
    theta_star = np.linalg.solve(A, b)
    M = np.eye(len(b)) - lr * A
    return np.stack(
        [
            theta_star + np.linalg.matrix_power(M, t) @ (theta0 - theta_star)
            for t in range(steps + 1)
        ]
    )


PROBLEMS = {
    "2d": lambda: ill_conditioned_quadratic(20.0, minimiser=[1.0, -2.0]),
    "5d": lambda: ill_conditioned_quadratic(50.0, dim=5, rotation=0.3, minimiser=[1, 2, 3, 4, 5]),
}


@pytest.mark.parametrize("name", list(PROBLEMS))
@pytest.mark.parametrize("ratio", [0.3, 0.9, 0.99])
def test_gd_iterates_equal_closed_form(name: str, ratio: float) -> None:
    q = PROBLEMS[name]()
    theta0 = np.linspace(-3.0, 2.0, q.dim)
    lr = ratio * 2.0 / np.linalg.eigvalsh(q.A.numpy())[-1]
    expected = numpy_closed_form(q, lr, 60, theta0)
    scale = np.abs(expected).max()
    run = gd.gd_trajectory(q, lr, 60, theta0)
    assert run.iterates.shape == (61, q.dim)
    np.testing.assert_allclose(run.iterates, expected, rtol=0, atol=1e-10 * scale)
    np.testing.assert_allclose(
        gd.closed_form_trajectory(q, lr, 60, theta0), expected, rtol=0, atol=1e-10 * scale
    )
    A, b = q.A.numpy(), q.b.numpy()
    losses = 0.5 * np.einsum("ti,ij,tj->t", expected, A, expected) - expected @ b + q.c
    np.testing.assert_allclose(run.losses, losses, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("name", list(PROBLEMS))
def test_converges_below_and_diverges_above_two_over_lambda_max(name: str) -> None:
    q = PROBLEMS[name]()
    lam_max = np.linalg.eigvalsh(q.A.numpy())[-1]
    theta_star = np.linalg.solve(q.A.numpy(), q.b.numpy())
    theta0 = theta_star + np.linspace(1.0, -1.0, q.dim) + 0.3
    e0 = np.linalg.norm(theta0 - theta_star)
    for ratio, steps in ((0.98, 1500), (1.02, 400)):
        run = gd.gd_trajectory(q, ratio * 2.0 / lam_max, steps, theta0)
        err = np.linalg.norm(run.iterates - theta_star, axis=1)
        if ratio < 1:
            assert err[-1] < 1e-8 * e0, f"γλmax/2 = {ratio}: error {err[-1]:.2e}"
            assert run.suboptimality[-1] < run.suboptimality[0]
        else:
            assert err[-1] > 1e3 * e0, f"γλmax/2 = {ratio}: error {err[-1]:.2e}"
            assert run.suboptimality[-1] > 1e3 * run.suboptimality[0]


def test_exactly_at_the_limit_the_steep_direction_oscillates_forever() -> None:
    q = ill_conditioned_quadratic(10.0)
    lam, V = np.linalg.eigh(q.A.numpy())
    run = gd.gd_trajectory(q, 2.0 / lam[-1], 41, V[:, -1])  # start on the steep eigenvector
    coords = run.iterates @ V[:, -1]
    np.testing.assert_allclose(coords, (-1.0) ** np.arange(42), atol=1e-10)


@pytest.mark.parametrize("kappa", [4.0, 20.0])
def test_optimal_step_contracts_by_kappa_minus_one_over_kappa_plus_one(kappa: float) -> None:
    q = ill_conditioned_quadratic(kappa, rotation=0.7)
    lam = np.linalg.eigvalsh(q.A.numpy())
    gamma = gd.optimal_step_size(q)
    assert gamma == pytest.approx(2.0 / (lam[0] + lam[-1]), rel=1e-12)
    rate = (kappa - 1.0) / (kappa + 1.0)
    assert gd.optimal_rate(q) == pytest.approx(rate, rel=1e-10)
    # in 2-D both eigen-directions shrink by exactly this factor, so every error norm does
    run = gd.gd_trajectory(q, gamma, 30, [2.0, -1.0])
    err = np.linalg.norm(run.iterates, axis=1)  # the minimiser is the origin
    np.testing.assert_allclose(err[1:] / err[:-1], rate, rtol=1e-10)
    # and no other constant step does better
    grid = np.linspace(0.01, 2.5, 500) / lam[-1]
    radius = [np.abs(np.linalg.eigvals(np.eye(2) - g * q.A.numpy())).max() for g in grid]
    assert min(radius) >= rate - 1e-12


def test_contraction_factor_is_the_spectral_radius() -> None:
    q = ill_conditioned_quadratic(30.0, dim=4)
    A = q.A.numpy()
    lrs = np.linspace(0.0, 0.1, 25)
    expected = [np.abs(np.linalg.eigvals(np.eye(4) - g * A)).max() for g in lrs]
    np.testing.assert_allclose(
        gd.contraction_factor(np.linalg.eigvalsh(A), lrs), expected, rtol=1e-10
    )
    assert np.ndim(gd.contraction_factor([1.0, 2.0], 0.1)) == 0


def test_stability_sweep_measures_the_predicted_rate() -> None:
    ratios = (0.2, 0.6, 0.9, 0.99, 1.01, 1.1)
    sweep = gd.stability_sweep(ratios, steps=200)
    np.testing.assert_allclose(sweep.ratios, ratios)
    lam = np.linalg.eigvalsh(gd.demo_problem().A.numpy())
    np.testing.assert_allclose(sweep.lrs, np.array(ratios) * 2.0 / lam[-1], rtol=1e-12)
    expected = np.abs(1.0 - sweep.lrs[:, None] * lam).max(axis=1)
    np.testing.assert_allclose(sweep.predicted_rate, expected, rtol=1e-12)
    np.testing.assert_allclose(sweep.empirical_rate, expected, atol=5e-3)
    converged = sweep.ratios < 1
    assert (sweep.final_suboptimality[converged] < 1.0).all()
    assert (sweep.final_suboptimality[~converged] > 1e3).all()
    assert not sweep.empirical_rate.flags.writeable
    assert gd.stability_sweep(ratios, steps=200) is sweep  # cached


def test_step_size_trajectories_are_demo_runs() -> None:
    runs = gd.step_size_trajectories((0.5,), 10)
    q = gd.demo_problem()
    lr = 0.5 * 2.0 / np.linalg.eigvalsh(q.A.numpy())[-1]
    expected = numpy_closed_form(q, lr, 10, np.array(gd.DEMO_THETA0))
    np.testing.assert_allclose(runs[0.5].iterates, expected, atol=1e-10)
    assert runs[0.5].lr == pytest.approx(lr, rel=1e-12)
    assert not runs[0.5].iterates.flags.writeable


def test_runs_in_float32_on_the_problem_device() -> None:
    q = ill_conditioned_quadratic(10.0, dtype=torch.float32)
    run = gd.gd_trajectory(q, 0.1, 20, [1.0, 1.0])
    assert run.iterates.dtype == np.float32
    np.testing.assert_allclose(
        run.iterates, numpy_closed_form(q, 0.1, 20, np.ones(2)), rtol=0, atol=1e-5
    )
