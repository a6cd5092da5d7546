"""HopfieldNetwork: energy is a Lyapunov function for symmetric weights; stored patterns are
fixed points below capacity. References: the invariants themselves, checked from many random
states, and autograd for the continuous energy's gradient."""

from __future__ import annotations

import pytest
import torch

from refimpl.nn import HopfieldNetwork

F64 = torch.float64


def random_symmetric(n: int, seed: int = 0) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    A = torch.randn(n, n, generator=gen, dtype=F64)
    return ((A + A.T) / 2).fill_diagonal_(0.0)


def test_energy_never_increases_under_asynchronous_updates():
    net = HopfieldNetwork(30).double()
    with torch.no_grad():
        net.weight.copy_(random_symmetric(30))
        net.bias.normal_(generator=torch.Generator().manual_seed(1))
    gen = torch.Generator().manual_seed(2)
    s = torch.randint(0, 2, (64, 30), generator=gen).to(F64) * 2 - 1
    energy = net.energy(s)
    for _ in range(50):
        before = s.clone()
        for i in torch.randperm(30, generator=gen).tolist():
            net.update_unit(s, i)
            new = net.energy(s)
            assert (new <= energy + 1e-12).all()
            energy = new
        if torch.equal(s, before):
            break
    # the energy is bounded below and strictly drops at every flip: the dynamics stop
    assert torch.equal(s, before)


def test_stored_patterns_are_fixed_points_below_capacity():
    n, p = 200, 10  # load 0.05, well below about 0.14
    gen = torch.Generator().manual_seed(0)
    patterns = torch.randint(0, 2, (p, n), generator=gen).to(F64) * 2 - 1
    net = HopfieldNetwork(n).double()
    net.store(patterns)
    assert torch.equal(net.weight, net.weight.T)
    # the fixed-point condition sign(W xi) = xi, checked directly and by one sweep
    assert torch.equal(torch.sign(patterns @ net.weight.T), patterns)
    assert torch.equal(net(patterns.clone(), steps=1), patterns)
    # and a pattern with 10% of its bits flipped is recalled
    noisy = patterns.clone()
    noisy[:, :20] *= -1
    assert torch.equal(net(noisy, steps=5), patterns)


def test_far_above_capacity_patterns_stop_being_fixed_points():
    n, p = 100, 60
    gen = torch.Generator().manual_seed(0)
    patterns = torch.randint(0, 2, (p, n), generator=gen).to(F64) * 2 - 1
    net = HopfieldNetwork(n).double()
    net.store(patterns)
    assert not torch.equal(torch.sign(patterns @ net.weight.T), patterns)


def test_continuous_energy_decreases_along_the_dynamics_for_symmetric_weights():
    net = HopfieldNetwork(20, mode="continuous").double()
    with torch.no_grad():
        net.weight.copy_(3 * random_symmetric(20))
    u = torch.randn(8, 20, dtype=F64, generator=torch.Generator().manual_seed(3))
    energies = [net.energy(u)]
    for _ in range(400):
        u = u + 0.01 * net.velocity(u)
        energies.append(net.energy(u))
    e = torch.stack(energies)  # (T, B)
    assert (e[1:] <= e[:-1] + 1e-12).all()


def test_continuous_energy_derivative_is_minus_rho_prime_times_velocity_squared():
    """dE/dt = grad_u E . du/dt = -sum_i rho'(u_i) (du_i/dt)^2 for symmetric W (autograd)."""
    net = HopfieldNetwork(10, mode="continuous").double()
    with torch.no_grad():
        net.weight.copy_(random_symmetric(10))
        net.bias.normal_(generator=torch.Generator().manual_seed(4))
    u = torch.randn(4, 10, dtype=F64, generator=torch.Generator().manual_seed(5)).requires_grad_()
    (grad,) = torch.autograd.grad(net.energy(u).sum(), u)
    v = net.velocity(u).detach()
    rho_prime = torch.sigmoid(u) * (1 - torch.sigmoid(u))
    torch.testing.assert_close((grad * v).sum(-1), -(rho_prime * v**2).sum(-1).detach())


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError):
        HopfieldNetwork(3, mode="spiking")
