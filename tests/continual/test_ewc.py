"""EWC: the diagonal Fisher of a softmax regression against its closed form, and the penalty
against its definition and its gradient lambda * F * (theta - anchor)."""

from __future__ import annotations

import torch

from refimpl.continual import EWCPenalty, fisher_diagonal

F64 = torch.float64


def softmax_regression():
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 3).double()
    x = torch.randn(50, 4, dtype=F64, generator=torch.Generator().manual_seed(1))
    return model, x


def test_fisher_of_softmax_regression_matches_the_closed_form():
    """d log p_y / d W_c = (1[y=c] - p_c) x, so E_y[.^2] = p_c (1 - p_c) x^2 (bias: x = 1)."""
    model, x = softmax_regression()
    fisher = fisher_diagonal(model, x)
    with torch.no_grad():
        p = torch.softmax(model(x), -1)  # (N, C)
    var = p * (1 - p)  # (N, C)
    expected_w = (var[:, :, None] * x[:, None, :] ** 2).mean(0)  # (C, d)
    expected_b = var.mean(0)
    torch.testing.assert_close(fisher["weight"], expected_w, rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(fisher["bias"], expected_b, rtol=1e-12, atol=1e-14)


def test_penalty_value_and_gradient():
    model, x = softmax_regression()
    fisher = fisher_diagonal(model, x)
    penalty = EWCPenalty(model, fisher, lam=7.0)
    assert float(penalty().detach()) == 0.0
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.1 * torch.randn_like(p))
    value = penalty()
    grads = torch.autograd.grad(value, list(model.parameters()))
    expected = 0.0
    for (name, p), g in zip(model.named_parameters(), grads, strict=True):
        delta = p.detach() - penalty.anchor[name]
        expected += 0.5 * 7.0 * float((fisher[name] * delta**2).sum())
        torch.testing.assert_close(g, 7.0 * fisher[name] * delta)
    assert abs(float(value.detach()) - expected) < 1e-12
