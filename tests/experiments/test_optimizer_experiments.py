"""The optimizer experiments against closed forms, autograd and linear algebra done here."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from refimpl.data import Quadratic, ill_conditioned_quadratic
from refimpl.experiments import gradient_descent as gd
from refimpl.experiments import minibatch as mb
from refimpl.experiments import momentum as mom
from refimpl.experiments import optimizer_paths as op


def test_rosenbrock_and_saddle_critical_points() -> None:
    for loss, point, hessian in [
        (op.rosenbrock, [1.0, 1.0], [[802.0, -400.0], [-400.0, 200.0]]),
        (op.saddle, [0.0, 0.0], [[1.0, 0.0], [0.0, -1.0]]),
        (op.saddle, [0.0, 1.0], [[1.0, 0.0], [0.0, 2.0]]),
    ]:
        x = torch.tensor(point, dtype=torch.float64, requires_grad=True)
        (g,) = torch.autograd.grad(loss(x), x)
        assert g.abs().max() == 0
        H = torch.autograd.functional.hessian(loss, x.detach())
        torch.testing.assert_close(H, torch.tensor(hessian, dtype=torch.float64))


def test_gd_path_on_the_quadratic_is_the_closed_form() -> None:
    problem = op.PROBLEMS["quadratic"]
    path = op.paths_on("quadratic")["GD"]
    exact = gd.closed_form_trajectory(
        ill_conditioned_quadratic(20.0), 0.09, problem.steps, problem.theta0
    )
    np.testing.assert_allclose(path, exact, atol=1e-12)


def test_adaptive_methods_escape_the_saddle_faster_than_gd() -> None:
    paths = op.paths_on("saddle")
    steps_to_escape = {
        name: int(np.argmax(np.abs(p[:, 1]) > 0.5)) if (np.abs(p[:, 1]) > 0.5).any() else 10**9
        for name, p in paths.items()
    }
    assert steps_to_escape["GD"] == 10**9  # still near y = 0 after 60 steps
    for name in ("AdaGrad", "RMSprop", "Adam"):
        assert steps_to_escape[name] < 30, name


def test_ema_momentum_runs_equal_heavy_ball() -> None:
    for tuned in (True, False):
        runs = mom.momentum_runs(20.0, 60, tuned=tuned)
        np.testing.assert_allclose(runs["EMA (slides)"][0], runs["heavy ball"][0], atol=1e-12)


@pytest.mark.parametrize("kappa", [20.0, 100.0])
def test_heavy_ball_rate_matches_spectral_radius(kappa: float) -> None:
    """The measured contraction equals the spectral radius of the 2x2 heavy-ball recursions."""
    lr, mu = mom.heavy_ball_parameters(1.0, kappa)
    # per eigenvalue λ: (e_{t+1}, e_t) = [[1 + μ − γλ, −μ], [1, 0]] (e_t, e_{t−1})
    rho = max(
        np.abs(np.linalg.eigvals(np.array([[1 + mu - lr * lam, -mu], [1.0, 0.0]]))).max()
        for lam in (1.0, kappa)
    )
    assert rho == pytest.approx(math.sqrt(mu), rel=1e-6)
    _, subopt = mom.momentum_runs(kappa, 150)["heavy ball"]
    measured = (subopt[150] / subopt[100]) ** (1 / 50)  # loss contracts by ρ² per step
    assert measured == pytest.approx(rho**2, rel=0.05)
    _, gd_subopt = mom.momentum_runs(kappa, 150)["GD"]
    assert subopt[-1] < 1e-10 * gd_subopt[-1]


def test_per_example_gradients_average_to_the_autograd_gradient() -> None:
    X, y = mb.regression_problem()
    theta = torch.linspace(-1, 1, X.shape[1], dtype=X.dtype, requires_grad=True)
    (g,) = torch.autograd.grad((0.5 * (X @ theta - y) ** 2).mean(), theta)
    torch.testing.assert_close(mb.per_example_gradients(X, y, theta.detach()).mean(0), g)


def test_minibatch_gradient_is_unbiased_with_variance_over_b() -> None:
    noise = mb.minibatch_gradient_noise((1, 4, 16, 64))
    np.testing.assert_allclose(noise.mse_with_replacement, noise.predicted_with, rtol=0.15)
    np.testing.assert_allclose(noise.mse_without_replacement, noise.predicted_without, rtol=0.15)
    # the average of 1000 draws is within a few standard errors of the full gradient
    assert np.all(noise.bias < 4 * np.sqrt(noise.predicted_with / 1000))
    slope = np.polyfit(np.log(noise.batch_sizes), np.log(noise.mse_with_replacement), 1)[0]
    assert slope == pytest.approx(-1.0, abs=0.05)


def test_full_batch_sgd_curve_is_gradient_descent() -> None:
    curves = mb.sgd_batch_size_curves((256,))
    X, y = mb.regression_problem()
    q = Quadratic.from_least_squares(X, y)
    exact = gd.closed_form_trajectory(q, 0.02, 5, torch.zeros(X.shape[1], dtype=X.dtype))
    excess = q.suboptimality(torch.as_tensor(exact)).numpy()
    np.testing.assert_allclose(curves[256][1], excess, rtol=1e-9)
    np.testing.assert_array_equal(curves[256][0], np.arange(6))
