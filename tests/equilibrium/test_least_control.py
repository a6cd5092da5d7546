"""Least-control principle: the local rule is the gradient of the least-control objective
(finite differences of H, re-solving the control problem), the optimal control satisfies the
constraints, and H vanishes exactly when the free equilibrium already hits the target."""

from __future__ import annotations

import torch

from refimpl.equilibrium import LeastControlNetwork

F64 = torch.float64


def setup():
    torch.manual_seed(0)
    net = LeastControlNetwork(2, 8, 1).double()
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(6, 2, generator=gen, dtype=F64)
    y = 0.5 * torch.randn(6, 1, generator=gen, dtype=F64)
    return net, x, y


def test_optimal_control_reaches_the_target_equilibrium():
    net, x, y = setup()
    phi, psi = net.optimal_control(x, y)
    torch.testing.assert_close(phi[:, -1:], y, rtol=0, atol=0)
    # controlled equilibrium: f(phi) + psi = 0
    torch.testing.assert_close(net.f(phi, x) + psi, torch.zeros_like(psi), rtol=0, atol=1e-12)
    # optimality over the hidden units: psi is orthogonal to every hidden direction of f
    J = -torch.eye(8, dtype=F64) + net.W * (1 - torch.tanh(phi) ** 2)[:, None, :]
    stationarity = (J[:, :, :-1] * psi[:, :, None]).sum(1)
    assert stationarity.abs().max() < 1e-10


def test_local_rule_equals_finite_differences_of_the_least_control_objective():
    net, x, y = setup()
    gW, gU, gb, _ = net.lcp_gradient(x, y)
    eps = 1e-6
    for param, grad, idx in ((net.W, gW, (2, 3)), (net.U, gU, (5, 1)), (net.b, gb, (4,))):
        with torch.no_grad():
            param[idx] += eps
            up = net.least_control_objective(x, y)
            param[idx] -= 2 * eps
            down = net.least_control_objective(x, y)
            param[idx] += eps
        torch.testing.assert_close(grad[idx], (up - down) / (2 * eps), rtol=1e-6, atol=1e-10)


def test_no_control_is_needed_when_the_free_equilibrium_hits_the_target():
    net, x, _ = setup()
    y = net.free_equilibrium(x)[:, -1:]
    _, psi = net.optimal_control(x, y)
    assert psi.abs().max() < 1e-12
    gW, _, _, H = net.lcp_gradient(x, y)
    assert float(H) < 1e-24 and gW.abs().max() < 1e-12
