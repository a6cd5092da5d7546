"""Activation and gradient statistics against quantities computed by hand from a forward pass."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from refimpl.diagnostics import (
    ActivationMonitor,
    activation_statistics,
    gradient_statistics,
    saturation_mask,
)


def model_and_data():
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3), nn.Sigmoid()
    ).double()
    with torch.no_grad():
        model[0].bias[:2] = -100.0  # two ReLU units dead on every input
        model[2].weight.mul_(20.0)  # tanh pushed into saturation
    x = torch.randn(32, 4, dtype=torch.float64)
    return model, x


def test_activation_statistics_match_a_manual_forward_pass():
    model, x = model_and_data()
    stats = activation_statistics(model, x)
    assert list(stats) == ["1", "3", "5"]
    # reference: run the layers by hand
    with torch.no_grad():
        h1 = torch.relu(model[0](x))
        h2 = torch.tanh(model[2](h1))
        h3 = torch.sigmoid(model[4](h2))
    assert stats["1"].dead_fraction == pytest.approx(float((h1 == 0).all(0).float().mean()))
    assert stats["1"].dead_fraction >= 2 / 6
    assert stats["1"].saturated_fraction == pytest.approx(float((h1 == 0).float().mean()))
    assert stats["3"].saturated_fraction == pytest.approx(float((h2.abs() > 0.99).float().mean()))
    assert stats["3"].saturated_fraction > 0.3
    sig_sat = ((h3 < 0.01) | (h3 > 0.99)).float().mean()
    assert stats["5"].saturated_fraction == pytest.approx(float(sig_sat))
    assert stats["3"].mean == pytest.approx(float(h2.mean()))
    assert stats["3"].std == pytest.approx(float(h2.std()))
    assert stats["1"].units == 6


def test_saturation_thresholds_agree_with_the_derivatives():
    z = torch.linspace(-8, 8, 2001, dtype=torch.float64)
    eps = 0.01
    # tanh' = 1 - tanh² < 2ε  ⇔  |tanh| > 1 - ε (to first order in ε)
    sat = saturation_mask(nn.Tanh(), torch.tanh(z), eps)
    deriv = 1 - torch.tanh(z) ** 2
    assert (deriv[sat] < 2 * eps).all() and (deriv[~sat] >= 2 * eps - 1e-4).all()
    sat = saturation_mask(nn.ReLU(), torch.relu(z))
    assert torch.equal(sat, z <= 0)
    with pytest.raises(TypeError):
        saturation_mask(nn.GELU(), z)


def test_monitor_updates_on_each_pass_and_removes_hooks():
    model, x = model_and_data()
    with ActivationMonitor(model) as monitor:
        model(x)
        first = monitor.stats["3"].mean
        model(-x)
        assert monitor.stats["3"].mean != first
    assert all(len(m._forward_hooks) == 0 for m in model.modules())


def test_gradient_statistics_are_the_norms_of_grad():
    model, x = model_and_data()
    model(x).sum().backward()
    stats = gradient_statistics(model)
    for name, p in model.named_parameters():
        assert stats[name].grad_norm == pytest.approx(float(torch.linalg.vector_norm(p.grad)))
        assert stats[name].weight_norm == pytest.approx(float(torch.linalg.vector_norm(p.detach())))
        assert stats[name].ratio == pytest.approx(stats[name].grad_norm / stats[name].weight_norm)
