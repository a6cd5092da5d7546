"""Rescaling invariance, the Hessian's transformation law, SAM's step, and the flatness runs."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from torch import nn

from refimpl.experiments import flatness as fl
from refimpl.optim import SGD

pytestmark = pytest.mark.usefixtures("one_thread")


def tiny(seed=0, width=4):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(1, width), nn.ReLU(), nn.Linear(width, 1)).double()


def full_hessian(net, x, y):
    names = [n for n, _ in net.named_parameters()]
    shapes = [p.shape for p in net.parameters()]
    sizes = [p.numel() for p in net.parameters()]

    def loss_of(v):
        ps = {n: c.reshape(s) for n, c, s in zip(names, torch.split(v, sizes), shapes, strict=True)}
        return fl.mse(torch.func.functional_call(net, ps, (x,)), y)

    flat = torch.cat([p.detach().reshape(-1) for p in net.parameters()])
    return torch.autograd.functional.hessian(loss_of, flat)


@pytest.mark.parametrize("alpha", [0.1, 3.0])
def test_rescaling_keeps_the_function_and_transforms_the_hessian(alpha):
    net = tiny()
    x = torch.linspace(-2, 2, 30, dtype=torch.float64).reshape(-1, 1)
    y = torch.sin(3 * x)
    scaled = fl.rescale(net, alpha)
    torch.testing.assert_close(scaled(x), net(x), rtol=1e-12, atol=1e-12)
    # H(T θ) = D⁻¹ H(θ) D⁻¹ with D = diag(α I, α I, I/α, 1) over (W1, b1, W2, b2)
    d = torch.tensor([alpha] * 8 + [1 / alpha] * 4 + [1.0], dtype=torch.float64)
    expected = full_hessian(net, x, y) / d[:, None] / d[None, :]
    torch.testing.assert_close(full_hessian(scaled, x, y), expected, rtol=1e-9, atol=1e-11)


def test_sam_step_uses_the_gradient_at_the_perturbed_point():
    net = tiny(1)
    x = torch.randn(20, 1, dtype=torch.float64)
    y = torch.randn(20, 1, dtype=torch.float64)
    ref = copy.deepcopy(net)
    opt = SGD(net.parameters(), lr=0.1)
    fl.sam_step(list(net.parameters()), lambda: fl.mse(net(x), y), opt, rho=0.05)
    # reference: perturb a copy along the normalised gradient, differentiate there, step from θ
    params = list(ref.parameters())
    g = torch.autograd.grad(fl.mse(ref(x), y), params)
    norm = torch.sqrt(sum((gi**2).sum() for gi in g))
    probe = copy.deepcopy(ref)
    with torch.no_grad():
        for p, gi in zip(probe.parameters(), g, strict=True):
            p.add_(0.05 * gi / norm)
    g_probe = torch.autograd.grad(fl.mse(probe(x), y), list(probe.parameters()))
    for p_new, p_old, gp in zip(net.parameters(), params, g_probe, strict=True):
        torch.testing.assert_close(p_new.detach(), p_old.detach() - 0.1 * gp)


def test_rescaling_experiment():
    res = fl.rescaling_experiment()
    np.testing.assert_allclose(res.loss, res.loss[0], rtol=1e-10)
    # the ends scale like α⁻² and α²: slope −2 and +2 per decade on the log-log plot
    slopes = np.diff(np.log10(res.sharpness)) / np.diff(np.log10(res.alphas))
    assert slopes[0] == pytest.approx(-2, abs=0.05) and slopes[-1] == pytest.approx(2, abs=0.05)
    assert res.sharpness.max() / res.sharpness.min() > 1e3
    for row in res.filter_slices[1:]:
        np.testing.assert_allclose(row, res.filter_slices[0], rtol=1e-8)
    assert np.abs(res.raw_slices[0] - res.raw_slices[1]).max() > 1.0


def test_gd_sits_at_the_edge_of_stability_and_sam_is_flattest():
    sgd, gd, sam = fl.sharpness_runs()
    assert gd.sharpness[-1] == pytest.approx(2 / 0.05, rel=0.1)
    assert sam.sharpness[-1] < sgd.sharpness[-1] < gd.sharpness[-1]
    assert max(r.train_loss for r in (sgd, gd, sam)) < 0.1
