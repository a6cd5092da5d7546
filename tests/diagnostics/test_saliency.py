"""Saliency, its comparison metrics and the top-k attack against closed forms and scipy."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy import stats
from torch import nn

from refimpl.diagnostics import (
    gradient_saliency,
    spearman_correlation,
    topk_intersection,
    topk_saliency_attack,
)


def test_saliency_of_a_linear_model_is_the_absolute_weight_row():
    # f(x) = W x + b ⇒ ∂f_y/∂x = W_y, whatever x is
    torch.manual_seed(0)
    model = nn.Linear(7, 4).double()
    x = torch.randn(6, 7, dtype=torch.float64)
    y = torch.tensor([0, 1, 2, 3, 3, 1])
    expected = model.weight.detach()[y].abs()
    torch.testing.assert_close(gradient_saliency(model, x, y), expected, rtol=0, atol=0)
    predicted = model(x).argmax(-1)
    torch.testing.assert_close(
        gradient_saliency(model, x), model.weight.detach()[predicted].abs(), rtol=0, atol=0
    )


def test_saliency_of_a_one_hidden_layer_tanh_net_matches_the_chain_rule():
    torch.manual_seed(1)
    net = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 3)).double()
    x = torch.randn(4, 5, dtype=torch.float64)
    y = torch.tensor([2, 0, 1, 2])
    w1, b1, w2 = net[0].weight.detach(), net[0].bias.detach(), net[2].weight.detach()
    # ∂f_y/∂x = W1ᵀ (w2_y ⊙ (1 − tanh²(W1 x + b1)))
    h = 1 - torch.tanh(x @ w1.T + b1) ** 2  # (4, 8)
    expected = ((w2[y] * h) @ w1).abs()
    torch.testing.assert_close(gradient_saliency(net, x, y), expected)


def test_topk_intersection_matches_a_set_computation():
    g = torch.Generator().manual_seed(2)
    a = torch.randn(12, 3, 5, generator=g)
    b = a + 0.8 * torch.randn(12, 3, 5, generator=g)
    k = 4
    got = topk_intersection(a, b, k)
    for i in range(12):
        top_a = set(np.argsort(-a[i].flatten().numpy())[:k])
        top_b = set(np.argsort(-b[i].flatten().numpy())[:k])
        assert got[i].item() == pytest.approx(len(top_a & top_b) / k)
    torch.testing.assert_close(topk_intersection(a, a, k), torch.ones(12))


@pytest.mark.parametrize("ties", [False, True])
def test_spearman_matches_scipy(ties):
    g = torch.Generator().manual_seed(3)
    a = torch.randn(5, 30, generator=g, dtype=torch.float64)
    b = a + torch.randn(5, 30, generator=g, dtype=torch.float64)
    if ties:  # round to create tied values in both
        a, b = a.round(), b.round()
    got = spearman_correlation(a, b)
    for i in range(5):
        expected = stats.spearmanr(a[i].numpy(), b[i].numpy()).statistic
        assert got[i].item() == pytest.approx(expected, abs=1e-12)


def test_top_k_attack_keeps_the_label_stays_in_the_ball_and_moves_the_map():
    from refimpl.experiments.adversarial import _test_set, softplus_copy, trained_mlp

    model, _ = trained_mlp()
    x, _ = _test_set()
    x = x[:64]
    eps, k = 0.08, 10
    x_att = topk_saliency_attack(model, softplus_copy(model), x, eps, k, steps=30, clip=(0, 1))
    assert (x_att - x).abs().max() <= eps + 1e-6
    assert x_att.min() >= 0 and x_att.max() <= 1
    assert torch.equal(model(x_att).argmax(-1), model(x).argmax(-1))
    overlap = topk_intersection(gradient_saliency(model, x_att), gradient_saliency(model, x), k)
    assert overlap.mean() < 0.8
