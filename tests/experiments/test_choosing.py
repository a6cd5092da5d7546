"""The optimizer comparison: the quadratic runs follow the closed form; the tuned ranking holds."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from refimpl.data import ill_conditioned_quadratic
from refimpl.experiments import choosing as ch
from refimpl.experiments.gradient_descent import closed_form_trajectory

pytestmark = pytest.mark.usefixtures("one_thread")


def test_gd_on_the_quadratic_follows_the_closed_form():
    problem = ill_conditioned_quadratic(condition_number=100.0)
    got = ch._quadratic("GD", 0.01, 40)
    path = closed_form_trajectory(problem, 0.01, 40, [-3.0, 2.0])
    expected = problem.suboptimality(torch.as_tensor(path)).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-14)


def test_the_kept_run_is_the_best_of_the_grid():
    res = ch.optimizer_comparison()
    problem = res.problems[0]
    for name in ch.OPTIMIZERS:
        finals = [ch._quadratic(name, lr, 300)[-1] for lr in ch.LR_GRID]
        finals = [f if np.isfinite(f) else np.inf for f in finals]
        assert res.best_lr[problem][name] == ch.LR_GRID[int(np.argmin(finals))]


def test_the_ranking_the_guide_describes():
    res = ch.optimizer_comparison()
    quad, saddle, noisy = (res.curves[p] for p in res.problems)
    assert quad["momentum 0.9"][-1] < 1e-3 * min(quad["GD"][-1], quad["Adam"][-1])
    assert saddle["GD"][-1] > 0.5 and max(saddle["momentum 0.9"][-1], saddle["Adam"][-1]) < 0.01
    assert noisy["Adam"][-1] < min(noisy["GD"][-1], noisy["momentum 0.9"][-1])
