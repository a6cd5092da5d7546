"""The foundations experiments against closed forms and independent computations."""

from __future__ import annotations

import numpy as np
import pytest

from refimpl.experiments import backpropagation as bp
from refimpl.experiments import initialization as init
from refimpl.experiments import universal_approximation as ua


def test_he_keeps_relu_variance_and_others_decay_geometrically() -> None:
    he = init.activation_variances("he", "relu")
    xavier = init.activation_variances("xavier", "relu")
    naive = init.activation_variances("naive", "relu")
    # He: Var(z_m) stays of order one (finite-width fluctuations only)
    assert 0.05 < he[-1] / he[0] < 20
    # Xavier with square ReLU layers halves the variance per layer: 2^{-49} over 50 layers
    rate = (xavier[-1] / xavier[0]) ** (1 / 49)
    assert rate == pytest.approx(0.5, rel=0.1)
    # naive U[±1/√n]: weight variance 1/(3n), so Var(z) shrinks by 1/6 per ReLU layer
    assert (naive[-1] / naive[0]) ** (1 / 49) == pytest.approx(1 / 6, rel=0.1)
    # the first layer sees unit-variance inputs: Var(z_1) = n s² exactly in expectation
    assert he[0] == pytest.approx(2.0, rel=0.05)
    assert naive[0] == pytest.approx(1 / 3, rel=0.05)


def test_tanh_naive_decays_by_one_third() -> None:
    naive = init.activation_variances("naive", "tanh")
    # near zero tanh is the identity, so Var(z_{m+1}) ≈ n · 1/(3n) · Var(z_m)
    assert (naive[-1] / naive[-11]) ** (1 / 10) == pytest.approx(1 / 3, rel=0.02)


@pytest.mark.parametrize("width", [3, 17, 40])
def test_chain_rule_costs_closed_form(width: int) -> None:
    depth = 6
    reverse, forward, diff = bp.chain_rule_costs(width, depth)
    assert reverse == depth * width**2
    assert forward == (depth - 1) * width**3 + width**2
    assert diff < 1e-10  # both orders give the same vector


def test_delta_rule_norms_match_autograd_and_shrink_for_small_weights() -> None:
    small = bp.layer_error_norms(0.5)
    np.testing.assert_allclose(small.delta_rule, small.autograd, rtol=1e-10)
    # with c = 0.5, δ shrinks by about c per layer towards the input
    rate = (small.delta_rule[0] / small.delta_rule[-2]) ** (1 / 18)
    assert rate == pytest.approx(0.5, rel=0.15)


def test_width_sweep_error_falls_like_n_minus_two() -> None:
    widths = (16, 32, 64, 128)
    errors = ua.width_sweep(widths)
    assert np.all(np.diff(errors) < 0)
    slope = np.polyfit(np.log(widths), np.log(errors), 1)[0]
    assert slope == pytest.approx(-2.0, abs=0.25)
    # the least-squares fit is no worse than linear interpolation: h² max|f''| / 8
    for n, err in zip(widths, errors, strict=True):
        assert err <= 9 * (2 * np.pi / n) ** 2 / 8


def test_fit_width_model_is_the_least_squares_combination() -> None:
    fit = ua.fit_width(10)
    hidden, out = fit.model.linear_layers()
    x = fit.x
    features = np.maximum(
        np.outer(x, hidden.weight.detach().numpy()[:, 0]) + hidden.bias.detach().numpy(), 0
    )
    manual = features @ out.weight.detach().numpy()[0] + out.bias.item()
    np.testing.assert_allclose(fit.prediction, manual, rtol=1e-12, atol=1e-12)
