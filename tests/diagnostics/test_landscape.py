"""Loss slices against direct evaluation and a closed form; filter normalisation's invariant."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from refimpl.diagnostics import loss_along_line, loss_surface, random_direction


def test_line_on_a_quadratic_is_the_closed_form():
    A = torch.tensor([[3.0, 1.0], [1.0, 2.0]], dtype=torch.float64)
    theta = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
    d = torch.tensor([1.0, 2.0], dtype=torch.float64)
    alphas = torch.linspace(-2, 2, 9, dtype=torch.float64)
    f = loss_along_line(lambda: 0.5 * theta @ A @ theta, [theta], [d], alphas)
    # ½(θ+αd)ᵀA(θ+αd) = ½θᵀAθ + α dᵀAθ + ½α² dᵀAd
    t = theta.detach()
    expected = 0.5 * t @ A @ t + alphas * (d @ A @ t) + 0.5 * alphas**2 * (d @ A @ d)
    torch.testing.assert_close(f, expected)
    assert torch.equal(theta.detach(), t)  # restored


def test_surface_matches_functional_evaluation_and_restores():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1)).double()
    x, y = torch.randn(20, 2, dtype=torch.float64), torch.randn(20, 1, dtype=torch.float64)
    params = list(model.parameters())
    before = [p.detach().clone() for p in params]
    g = torch.Generator().manual_seed(1)
    d1, d2 = random_direction(params, generator=g), random_direction(params, generator=g)
    coords = torch.tensor([[[0.0, 0.0], [0.5, -0.3]], [[-1.0, 1.0], [2.0, 0.1]]]).double()
    got = loss_surface(lambda: nn.functional.mse_loss(model(x), y), params, [d1, d2], coords)
    assert got.shape == (2, 2)
    names = [n for n, _ in model.named_parameters()]
    for idx in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        a, b = coords[idx].tolist()
        moved = {n: p0 + a * u + b * v for n, p0, u, v in zip(names, before, d1, d2, strict=True)}
        out = torch.func.functional_call(model, moved, (x,))
        assert float(got[idx]) == pytest.approx(float(nn.functional.mse_loss(out, y)), rel=1e-12)
    for p, p0 in zip(params, before, strict=True):
        assert torch.equal(p.detach(), p0)


def test_filter_normalisation_matches_each_filter_norm():
    torch.manual_seed(0)
    conv = nn.Conv2d(3, 4, 3)
    lin = nn.Linear(5, 7)
    params = [conv.weight, conv.bias, lin.weight, lin.bias]
    d = random_direction(params, generator=torch.Generator().manual_seed(0))
    for p, dp in zip(params, d, strict=True):
        assert dp.shape == p.shape
        if p.dim() == 1:
            assert torch.count_nonzero(dp) == 0
        else:
            torch.testing.assert_close(
                dp.reshape(p.shape[0], -1).norm(dim=1),
                p.detach().reshape(p.shape[0], -1).norm(dim=1),
            )
    raw = random_direction(params, filter_normalize=False)
    assert all(torch.count_nonzero(r) == r.numel() for r in raw)


def test_filter_normalised_slice_is_invariant_to_relu_rescaling():
    # Li et al.'s point: the rescaled network f(x) = W2/c · ReLU(c W1 x) has the same slice
    torch.manual_seed(0)
    net = nn.Sequential(
        nn.Linear(2, 6, bias=False), nn.ReLU(), nn.Linear(6, 1, bias=False)
    ).double()
    x, y = torch.randn(30, 2, dtype=torch.float64), torch.randn(30, 1, dtype=torch.float64)
    alphas = torch.linspace(-1, 1, 11, dtype=torch.float64)
    slices = []
    for c in (1.0, 10.0):
        with torch.no_grad():
            if c != 1.0:
                net[0].weight.mul_(c)
                net[2].weight.div_(c)
        d = random_direction(list(net.parameters()), generator=torch.Generator().manual_seed(3))
        f = loss_along_line(
            lambda: nn.functional.mse_loss(net(x), y), list(net.parameters()), d, alphas
        )
        slices.append(f)
    torch.testing.assert_close(slices[0], slices[1], rtol=1e-10, atol=1e-12)
