"""The saddle experiment: Newton ends at the saddle, the others at a minimum (closed forms)."""

from __future__ import annotations

import numpy as np

from refimpl.experiments import second_order as so


def test_runs_end_where_the_theory_says() -> None:
    runs = {r.name.split(" (")[0]: r for r in so.saddle_runs(40)}
    np.testing.assert_allclose(runs["Newton"].iterates[-1], [0.0, 0.0], atol=1e-12)
    for name in ("damped Newton", "saddle-free Newton"):
        np.testing.assert_allclose(runs[name].iterates[-1], [0.0, 1.0], atol=1e-9)
        assert abs(runs[name].losses[-1] - so.SADDLE_MIN) < 1e-12
    # gradient descent: y grows by the factor 1 + γ|λ_y| = 1.1 per step while near the ridge
    gd = runs["gradient descent"].iterates
    np.testing.assert_allclose(gd[1:4, 1] / gd[0:3, 1], 1.1, rtol=1e-3)
    assert runs["gradient descent"].losses[-1] > so.SADDLE_MIN


def test_losses_are_the_function_values() -> None:
    for run in so.saddle_runs(40):
        x, y = run.iterates[:, 0], run.iterates[:, 1]
        np.testing.assert_allclose(run.losses, x**2 + y**4 / 4 - y**2 / 2, rtol=1e-12, atol=1e-15)
