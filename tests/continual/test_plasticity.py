"""Plasticity measures and remedies against closed forms and manual counts, and invariants of
the random-label experiment (plasticity is lost with plain training, and the remedies help)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from refimpl.continual import (
    dead_unit_fraction,
    dead_units,
    effective_rank,
    l2_penalty,
    reset_dead_units,
    shrink_and_perturb,
    srank,
    weight_norm,
)
from refimpl.experiments.plasticity import METHODS, _BatchedAdam, random_label_rounds

F64 = torch.float64


def matrix_with_singular_values(sigma: list[float], n: int = 12, h: int = 9) -> torch.Tensor:
    """U diag(sigma) V^T with random orthonormal U (n, k) and V (h, k)."""
    gen = torch.Generator().manual_seed(0)
    k = len(sigma)
    u, _ = torch.linalg.qr(torch.randn(n, k, generator=gen, dtype=F64))
    v, _ = torch.linalg.qr(torch.randn(h, k, generator=gen, dtype=F64))
    return u @ torch.diag(torch.tensor(sigma, dtype=F64)) @ v.T


def test_effective_ranks_of_a_matrix_with_known_singular_values():
    sigma = [8.0, 4.0, 2.0, 1.0, 0.5, 0.25, 0.0]
    phi = matrix_with_singular_values(sigma)
    p = np.array(sigma[:-1]) / sum(sigma)
    expected = math.exp(-(p * np.log(p)).sum())
    assert float(effective_rank(phi)) == pytest.approx(expected, rel=1e-10)
    # cumulative shares: 8/15.75 = .508, 12/15.75 = .762, 14/15.75 = .889, .952, .984, 1
    assert srank(phi, delta=0.01) == 6
    assert srank(phi, delta=0.02) == 5
    assert srank(phi, delta=0.05) == 4
    assert srank(phi, delta=0.5) == 1
    assert srank(torch.zeros(5, 3)) == 0
    assert float(effective_rank(torch.zeros(5, 3))) == 0.0


def test_effective_rank_of_k_equal_singular_values_is_k():
    for k in (1, 3, 7):
        phi = matrix_with_singular_values([2.5] * k)
        assert float(effective_rank(phi)) == pytest.approx(k, rel=1e-10)
        assert srank(phi) == k


def test_dead_unit_fraction_equals_a_manual_count():
    gen = torch.Generator().manual_seed(1)
    z = torch.randn(20, 30, generator=gen, dtype=F64)
    z[:, ::4] = -z[:, ::4].abs()  # every fourth unit never fires
    h = torch.relu(z - 0.5)
    manual = sum(all(h[n, j] == 0 for n in range(h.shape[0])) for j in range(h.shape[1]))
    assert manual >= 8
    mask = dead_units(h)
    assert int(mask.sum()) == manual
    assert float(dead_unit_fraction(h)) == pytest.approx(manual / 30)
    assert dead_unit_fraction(h).dtype == F64


def test_shrink_and_perturb_without_noise_is_scaling_and_noise_has_scale_sigma():
    params = [torch.randn(40, 50, dtype=F64), torch.randn(50, dtype=F64)]
    scaled = shrink_and_perturb(params, 0.7, 0.0)
    for p, s in zip(params, scaled, strict=True):
        torch.testing.assert_close(s, 0.7 * p, rtol=0, atol=0)
    gen = torch.Generator().manual_seed(2)
    noisy = shrink_and_perturb(params, 0.7, 0.1, gen)
    residual = torch.cat([(s - 0.7 * p).flatten() for p, s in zip(params, noisy, strict=True)])
    assert abs(float(residual.std()) - 0.1) < 0.005
    assert abs(float(residual.mean())) < 0.005


def test_l2_penalty_value_and_gradient():
    params = [torch.randn(3, 4, dtype=F64, requires_grad=True), torch.randn(4, dtype=F64)]
    params[1].requires_grad_()
    anchors = [torch.randn(3, 4, dtype=F64), torch.randn(4, dtype=F64)]
    value = l2_penalty(params, anchors, 0.3)
    expected = 0.15 * sum(
        float(((p.detach() - a) ** 2).sum()) for p, a in zip(params, anchors, strict=True)
    )
    assert float(value.detach()) == pytest.approx(expected, rel=1e-12)
    grads = torch.autograd.grad(value, params)
    for g, p, a in zip(grads, params, anchors, strict=True):
        torch.testing.assert_close(g, 0.3 * (p.detach() - a))
    (g0,) = torch.autograd.grad(l2_penalty(params[:1], None, 0.3), params[:1])
    torch.testing.assert_close(g0, 0.3 * params[0].detach())


def test_weight_norm_is_the_norm_of_the_flattened_parameters():
    net = torch.nn.Sequential(torch.nn.Linear(5, 7), torch.nn.ReLU(), torch.nn.Linear(7, 2))
    flat = torch.nn.utils.parameters_to_vector(net.parameters()).detach()
    assert float(weight_norm(list(net.parameters()))) == pytest.approx(float(flat.norm()))


def test_reset_dead_units_keeps_live_units_and_revives_dead_ones():
    torch.manual_seed(3)
    x = torch.randn(64, 6, dtype=F64)
    first, second = torch.nn.Linear(6, 10).double(), torch.nn.Linear(10, 3).double()
    with torch.no_grad():
        first.bias[[1, 4, 7]] = -100.0  # three units that never fire
    h = torch.relu(first(x))
    dead = dead_units(h)
    assert dead.tolist() == [i in (1, 4, 7) for i in range(10)]
    before = second(h)
    gen = torch.Generator().manual_seed(4)
    w_in, b_in, w_out = reset_dead_units(first.weight, first.bias, second.weight, dead, gen)
    live = ~dead
    # live units: every weight unchanged, bit for bit
    assert torch.equal(w_in[live], first.weight[live])
    assert torch.equal(b_in[live], first.bias[live])
    assert torch.equal(w_out[:, live], second.weight[:, live])
    # reset units: fresh weights in torch's init range, zero bias and outgoing weights
    assert not torch.equal(w_in[dead], first.weight[dead])
    assert float(w_in[dead].abs().max()) <= 1 / math.sqrt(6)
    assert torch.all(b_in[dead] == 0) and torch.all(w_out[:, dead] == 0)
    # they fire on the batch again, and the network's outputs do not change
    h_new = torch.relu(x @ w_in.T + b_in)
    assert not dead_units(h_new).any()
    torch.testing.assert_close(h_new @ w_out.T + second.bias, before.detach())


def test_batched_adam_matches_torch_adam_per_slice_and_restarts_like_a_new_one():
    gen = torch.Generator().manual_seed(5)
    w = torch.randn(3, 20, generator=gen, dtype=F64)
    batched = w.clone().requires_grad_()
    opt = _BatchedAdam(batched, lr=0.05)
    slices = [w[i].clone().requires_grad_() for i in range(3)]
    refs = [torch.optim.Adam([s], lr=0.05) for s in slices]
    target = torch.randn(3, 20, generator=gen, dtype=F64)
    for step in range(30):
        if step == 10:  # restart slice 1: a fresh torch optimiser from here on
            opt.restart(1)
            refs[1] = torch.optim.Adam([slices[1]], lr=0.05)
        batched.grad = (batched.detach() - target) ** 3
        opt.step()
        for i, (s, ref) in enumerate(zip(slices, refs, strict=True)):
            s.grad = (s.detach() - target[i]) ** 3
            ref.step()
    for i in range(3):
        torch.testing.assert_close(batched[i].detach(), slices[i].detach(), rtol=1e-12, atol=0)


@pytest.fixture(scope="module")
def run():
    return random_label_rounds()


def test_plain_training_loses_plasticity_and_a_fresh_network_does_not(run):
    row = {name: i for i, name in enumerate(METHODS)}
    plain, fresh = run.loss[row["plain"]], run.loss[row["fresh network"]]
    assert plain[0] < 0.01  # the first labelling is memorised
    assert plain[-5:].mean() > 0.5 * run.chance  # the last ones barely at all
    assert fresh.max() < 0.01  # a fresh network memorises every labelling
    # the symptoms: more dead units and a lower feature rank than at the start
    dead, rank = run.dead[row["plain"]], run.srank[row["plain"]]
    assert dead[-5:].mean() > 0.2 > dead[0]
    assert rank[-5:].mean() < 0.5 * rank[0]


def test_remedies_keep_more_plasticity_than_plain_training(run):
    row = {name: i for i, name in enumerate(METHODS)}
    late = run.loss[:, -5:].mean(1)
    for name in ("shrink & perturb", "reset dead units"):
        assert late[row[name]] < 0.1 * late[row["plain"]]
    for name in ("L2 to zero", "L2 to init", "layer norm"):
        assert late[row[name]] < 0.5 * late[row["plain"]]
    assert run.dead[row["layer norm"]].mean() < run.dead[row["plain"]].mean()
