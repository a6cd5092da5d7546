"""Equilibrium propagation against the true gradient of the loss at the free equilibrium.

The reference gradient is implicit differentiation of the free equilibrium (itself checked
against finite differences here and in test_fixed_points.py)."""

from __future__ import annotations

import itertools

import torch

from refimpl.equilibrium import EPNetwork

F64 = torch.float64


def setup():
    torch.manual_seed(0)
    net = EPNetwork(4, 8, 2).double()
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(5, 4, generator=gen, dtype=F64)
    t = torch.rand(5, 2, generator=gen, dtype=F64)
    return net, x, t


def flat(ts) -> torch.Tensor:
    return torch.cat([t.flatten() for t in ts])


def test_equilibria_are_stationary_points_of_the_total_energy():
    net, x, t = setup()
    for beta in (0.0, 0.5):
        s = net.equilibrium(x, t, beta).requires_grad_()
        (g,) = torch.autograd.grad((net.energy(s, x) + beta * net.cost(s, t)).sum(), s)
        assert g.abs().max() < 1e-12


def test_closed_form_energy_gradient_matches_autograd():
    net, x, t = setup()
    s = torch.randn(5, 10, dtype=F64, generator=torch.Generator().manual_seed(2)).requires_grad_()
    beta = 0.3
    (auto,) = torch.autograd.grad((net.energy(s, x) + beta * net.cost(s, t)).sum(), s)
    torch.testing.assert_close(net.energy_grad(s, x, t, beta), auto, rtol=1e-12, atol=1e-12)


def test_true_gradient_matches_finite_differences():
    net, x, t = setup()
    true = torch.autograd.grad(net.loss_at_equilibrium(x, t), [net.W2])[0]
    eps = 1e-6
    with torch.no_grad():
        net.W2[1, 3] += eps
        up = net.loss_at_equilibrium(x, t)
        net.W2[1, 3] -= 2 * eps
        down = net.loss_at_equilibrium(x, t)
        net.W2[1, 3] += eps
    torch.testing.assert_close(true[1, 3], (up - down) / (2 * eps), rtol=1e-7, atol=1e-10)


def test_ep_estimate_converges_to_the_true_gradient_as_beta_goes_to_zero():
    net, x, t = setup()
    true = flat(torch.autograd.grad(net.loss_at_equilibrium(x, t), list(net.parameters())))
    betas = (1e-2, 1e-3, 1e-4)
    one_sided = [float((flat(net.ep_gradient(x, t, b)) - true).norm() / true.norm()) for b in betas]
    centred = [
        float((flat(net.ep_gradient(x, t, b, symmetric=True)) - true).norm() / true.norm())
        for b in betas
    ]
    assert one_sided[-1] < 1e-3 and centred[-1] < 1e-7
    # bias O(beta) for the one-sided estimate, O(beta^2) for the centred one
    for a, b in itertools.pairwise(one_sided):
        assert 8 < a / b < 12
    for a, b in itertools.pairwise(centred):
        assert 80 < a / b < 120


def test_local_rule_equals_the_energy_derivative_contrast():
    """The Hebbian form equals (1/beta)(dE/dtheta(s^beta) - dE/dtheta(s^0)) by autograd."""
    net, x, t = setup()
    beta = 0.05
    s_b, s_0 = net.equilibrium(x, t, beta), net.equilibrium(x, t, 0.0)
    params = list(net.parameters())
    d_b = torch.autograd.grad(net.energy(s_b, x).sum(), params)
    d_0 = torch.autograd.grad(net.energy(s_0, x).sum(), params)
    expected = [(a - b) / beta for a, b in zip(d_b, d_0, strict=True)]
    for a, b in zip(net.ep_gradient(x, t, beta), expected, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-12)
