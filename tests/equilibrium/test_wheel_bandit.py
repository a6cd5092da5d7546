"""The wheel bandit against the reference sampler's rules, the uniform-disc density and the
closed-form regret of the safe action."""

from __future__ import annotations

import math

import pytest
import torch

from refimpl.equilibrium import (
    wheel_contexts,
    wheel_expected_rewards,
    wheel_rewards,
    wheel_safe_regret,
)

F64 = torch.float64


def reference_means(x1: float, x2: float, delta: float) -> list[float]:
    """The rule of Riquelme et al.'s sampler, written out point by point."""
    r = [1.0, 1.0, 1.0, 1.0, 1.2]
    if math.hypot(x1, x2) >= delta:
        if x1 > 0:
            r[0 if x2 > 0 else 1] = 50.0
        else:
            r[2 if x2 > 0 else 3] = 50.0
    return r


def test_expected_rewards_follow_the_reference_rule():
    gen = torch.Generator().manual_seed(0)
    x = wheel_contexts(400, gen, dtype=F64)
    for delta in (0.3, 0.8):
        mu = wheel_expected_rewards(x, delta)
        expected = torch.tensor(
            [reference_means(float(a), float(b), delta) for a, b in x], dtype=F64
        )
        assert torch.equal(mu, expected)


def test_contexts_are_uniform_on_the_disc():
    gen = torch.Generator().manual_seed(1)
    x = wheel_contexts(200_000, gen, dtype=F64)
    r = x.norm(dim=1)
    assert float(r.max()) <= 1.0
    for radius in (0.3, 0.6, 0.9):  # P(|X| < r) = r^2
        assert float((r < radius).double().mean()) == pytest.approx(radius**2, abs=0.005)
    assert float(x.mean(0).abs().max()) < 0.005


@pytest.mark.parametrize("delta", [0.5, 0.9, 0.99])
def test_safe_action_regret_matches_the_closed_form(delta):
    gen = torch.Generator().manual_seed(2)
    x = wheel_contexts(200_000, gen, dtype=F64)
    r = wheel_rewards(x, delta, generator=gen)
    regret = (r.max(1).values - r[:, 4]).mean()
    assert float(regret) == pytest.approx(wheel_safe_regret(delta), abs=0.15)
    assert wheel_safe_regret(delta) == pytest.approx((1 - delta**2) * 48.8)
