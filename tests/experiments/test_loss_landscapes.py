"""Non-convexity near a minimum, the PL* ratio, and two minima with equal training loss."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from refimpl import diagnostics
from refimpl.experiments import loss_landscapes as ll
from refimpl.experiments import which_minimum as wm

pytestmark = pytest.mark.usefixtures("one_thread")


def test_permuted_network_computes_the_same_function_elsewhere():
    net = ll.landscape_mlp(3)
    perm = torch.randperm(ll.WIDTH, generator=torch.Generator().manual_seed(0))
    copy = ll.permute_hidden(net, perm)
    x = torch.randn(50, 2, dtype=torch.float64)
    torch.testing.assert_close(copy(x), net(x), rtol=1e-14, atol=1e-14)
    # hidden unit j of the copy is unit perm[j] of the original
    torch.testing.assert_close(copy[0].weight[5], net[0].weight[perm[5]], rtol=0, atol=0)
    assert (copy[0].weight - net[0].weight).abs().max() > 0.1


def _independent_loss(v):
    """MSE of the 2-32-1 tanh net written out by hand from a flat vector (W1, b1, W2, b2)."""
    x, y = ll.landscape_data()
    w1, b1 = v[:64].reshape(32, 2), v[64:96]
    w2, b2 = v[96:128].reshape(1, 32), v[128:]
    out = torch.tanh(x @ w1.T + b1) @ w2.T + b2
    return ((out - y) ** 2).mean()


def test_loss_rises_between_two_minimisers():
    r = ll.nonconvexity_experiment()
    assert r.final_loss < 1e-10
    ends = [np.argmin(np.abs(r.t - s)) for s in (0.0, 1.0)]
    mid = np.argmin(np.abs(r.t - 0.5))
    for line in (r.line_permuted, r.line_other_seed):
        # a convex function on a segment stays below the larger end value
        assert max(line[ends[0]], line[ends[1]]) < 1e-12
        assert 0.4 < line[mid] < 0.6
    # the permuted copy is a minimiser with exactly the same loss
    assert r.line_permuted[ends[1]] == pytest.approx(r.line_permuted[ends[0]], rel=1e-6)


def test_negative_hessian_eigenvalue_matches_eigh_of_the_autograd_hessian():
    r = ll.nonconvexity_experiment()
    x, y = ll.landscape_data()
    net, _, _ = ll._fits()
    theta = torch.cat([p.detach().reshape(-1) for p in net.parameters()])
    torch.testing.assert_close(_independent_loss(theta), ll.flat_loss(net, x, y)(theta))
    g = torch.Generator().manual_seed(2)
    d = torch.randn(theta.numel(), generator=g, dtype=torch.float64)
    point = theta + r.near_radius * d / d.norm()
    hess = torch.autograd.functional.hessian(_independent_loss, point)
    eigs = torch.linalg.eigh(hess).eigenvalues.numpy()
    np.testing.assert_allclose(r.spectrum_near, eigs, rtol=1e-8, atol=1e-10)
    assert r.spectrum_near[0] < -0.05
    # Lanczos run to full length on Hessian-vector products gives the same smallest eigenvalue
    v = point.clone().requires_grad_(True)
    lanczos = diagnostics.hessian_spectrum(_independent_loss(v), [v])
    assert float(lanczos[0]) == pytest.approx(eigs[0], rel=1e-6)


def test_negative_curvature_shrinks_linearly_towards_the_minimum():
    r = ll.nonconvexity_experiment()
    assert (r.min_eig < 0).all()
    slope = np.polyfit(np.log10(r.radii), np.log10(-r.min_eig), 1)[0]
    assert slope == pytest.approx(1.0, abs=0.05)
    # at the minimum itself the negative part is at the level of the remaining residual
    assert r.spectrum_min[0] > -1e-6
    assert (r.path_min_eig < 0).all()
    assert (r.slice_curvature < 0).any()


def test_pl_star_ratio_and_its_kernel_bound():
    p = ll.pl_star_path()
    for k in (0, 10, len(p.steps) - 1):
        v = torch.tensor(p.params[k]).requires_grad_(True)
        loss = _independent_loss(v)
        (grad,) = torch.autograd.grad(loss, v)
        loss = loss.detach()
        mu = 0.5 * float(grad @ grad) / float(loss)
        assert p.mu[k] == pytest.approx(mu, rel=1e-10)
        assert p.loss[k] == pytest.approx(float(loss), rel=1e-12)
    # ½‖∇L‖² = (2/n²) rᵀJJᵀr ≥ (2/n) λ_min(JJᵀ) L
    assert (p.mu >= p.kernel_bound * (1 - 1e-8)).all()
    assert (p.kernel_bound > 0).all()
    assert p.mu.min() > 5e-4


def test_two_minima_equal_training_loss_different_test_loss():
    m = wm.two_minima()
    assert (m.train_loss < m.target).all()
    # the page: training losses within 2 %, test losses about a hundred times apart
    assert abs(m.train_loss[0] - m.train_loss[1]) < 0.02 * m.train_loss.max()
    assert 50 < m.test_loss[1] / m.test_loss[0] < 200
    x = torch.tensor(m.x_test)
    np.testing.assert_allclose(m.y_test, torch.sin(torch.pi * x).numpy(), atol=1e-15)


def test_two_minima_model_outputs_reproduce_the_reported_test_loss():
    m = wm.two_minima()
    for k in range(2):
        assert np.mean((m.predictions[k] - m.y_test) ** 2) == pytest.approx(m.test_loss[k])


def test_landscape_mlp_shape():
    net = ll.landscape_mlp(0)
    assert isinstance(net[1], nn.Tanh)
    assert sum(p.numel() for p in net.parameters()) == 129
