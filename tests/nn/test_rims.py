"""RIMs: exactly k modules update per step, chosen by input attention; the rest keep their state."""

from __future__ import annotations

import math

import torch

from refimpl.nn import RIMs

F64 = torch.float64


def test_only_k_modules_update_per_step():
    torch.manual_seed(0)
    model = RIMs(5, 8, num_units=6, k=2).double()
    x = torch.randn(4, 15, 5, dtype=F64)
    outputs, h_T, active = model(x)
    assert active.shape == (4, 15, 6)
    assert (active.sum(-1) == 2).all()
    states = outputs.reshape(4, 15, 6, 8)
    prev = torch.cat([torch.zeros(4, 1, 6, 8, dtype=F64), states[:, :-1]], 1)
    changed = (states != prev).any(-1)  # (N, T, n)
    assert (changed <= active).all()  # inactive modules are bit-for-bit unchanged
    assert changed[active].float().mean() == 1.0  # active ones do change
    torch.testing.assert_close(h_T, states[:, -1])


def test_active_modules_are_those_attending_most_to_the_input():
    torch.manual_seed(1)
    model = RIMs(3, 4, num_units=5, k=3, key_size=6).double()
    x, h = torch.randn(7, 3, dtype=F64), torch.randn(7, 5, 4, dtype=F64)
    _, active = model.step(x, h)
    # independent reference: softmax over [null, x] scores, computed with torch.softmax
    q = torch.einsum("bnh,nhd->bnd", h, model.input_query)
    keys = torch.stack([torch.zeros_like(x), x], 1) @ model.input_key
    att = torch.softmax(q @ keys.transpose(1, 2) / math.sqrt(6), dim=-1)[..., 1]  # (N, n)
    ranks = att.argsort(dim=1, descending=True)[:, :3]
    expected = torch.zeros_like(active).scatter(1, ranks, True)
    assert torch.equal(active, expected)


def test_inactive_modules_get_no_gradient_from_the_step():
    torch.manual_seed(2)
    model = RIMs(4, 5, num_units=4, k=1).double()
    x = torch.randn(1, 4, dtype=F64)
    h = torch.randn(1, 4, 5, dtype=F64, requires_grad=True)
    h_new, active = model.step(x, h)
    inactive = (~active[0]).nonzero().flatten()
    (grad,) = torch.autograd.grad(h_new[0, inactive].sum(), h)
    # an inactive module's new state is its old state: gradient one on itself, zero elsewhere
    expected = torch.zeros_like(h)
    expected[0, inactive] = 1.0
    torch.testing.assert_close(grad, expected)
