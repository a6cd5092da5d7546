"""Per-example gradients against a loop of backward passes; the noise-scale estimators."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from refimpl.diagnostics import noise_scale_from_batches, per_example_gradients, simple_noise_scale


def problem():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 6), nn.Tanh(), nn.Linear(6, 2)).double()
    x = torch.randn(40, 3, dtype=torch.float64)
    y = torch.randn(40, 2, dtype=torch.float64)
    return model, x, y


def test_per_example_gradients_match_one_backward_per_example():
    model, x, y = problem()
    got = per_example_gradients(model, nn.functional.mse_loss, x, y)
    for i in (0, 7, 39):
        model.zero_grad()
        nn.functional.mse_loss(model(x[i : i + 1]), y[i : i + 1]).backward()
        expected = torch.cat([p.grad.reshape(-1) for p in model.parameters()])
        torch.testing.assert_close(got[i], expected)


def test_simple_noise_scale_is_trace_over_squared_norm():
    model, x, y = problem()
    g = per_example_gradients(model, nn.functional.mse_loss, x, y)
    model.zero_grad()
    nn.functional.mse_loss(model(x), y).backward()
    G = torch.cat([p.grad.reshape(-1) for p in model.parameters()])  # the full-batch gradient
    cov = torch.cov(g.T)  # (N, N), unbiased
    assert simple_noise_scale(g) == pytest.approx(float(torch.trace(cov) / (G @ G)), rel=1e-10)


def test_two_batch_estimators_are_unbiased():
    torch.manual_seed(1)
    n, dim = 4000, 5
    mean = torch.tensor([1.0, -0.5, 0.2, 0.0, 0.3], dtype=torch.float64)
    g = mean + 2.0 * torch.randn(n, dim, dtype=torch.float64)
    true_g2 = float(g.mean(0) @ g.mean(0))
    true_trace = float(g.var(0, unbiased=False).sum())
    small, big, reps = 8, 64, 4000
    # batches drawn with replacement, as the estimator assumes
    s = torch.stack(
        [g[torch.randint(n, (small,))].mean(0).pow(2).sum() for _ in range(reps)]
    ).mean()
    b = torch.stack([g[torch.randint(n, (big,))].mean(0).pow(2).sum() for _ in range(reps)]).mean()
    g2, trace = noise_scale_from_batches(float(s), float(b), small, big)
    assert g2 == pytest.approx(true_g2, rel=0.1)
    assert trace == pytest.approx(true_trace, rel=0.05)
    with pytest.raises(ValueError):
        noise_scale_from_batches(1.0, 1.0, 8, 8)
