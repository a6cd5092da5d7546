"""Robust pooling: the forward solve against scipy's scalar minimiser, the implicit gradient
against finite differences and against autograd through a long unrolled solve, and its limits
and invariances."""

from __future__ import annotations

import pytest
import torch
from scipy.optimize import minimize_scalar

from refimpl.equilibrium import pseudo_huber, robust_pool, robust_pool_weights

F64 = torch.float64


def sample(n: int = 9, batch: int = 3) -> torch.Tensor:
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(batch, n, generator=gen, dtype=F64)
    x[:, -2:] += 6.0  # two outliers per row
    return x


@pytest.mark.parametrize("alpha", [0.3, 1.0, 3.0])
def test_forward_is_the_minimiser_found_by_scipy(alpha):
    x = sample()
    y = robust_pool(x, alpha)
    for row, y_row in zip(x, y, strict=True):
        res = minimize_scalar(
            lambda u, row=row: float(pseudo_huber(u - row, alpha).sum()),
            bracket=(float(row.min()), float(row.max())),
            tol=1e-12,
        )
        assert float(y_row) == pytest.approx(res.x, abs=1e-8)


@pytest.mark.parametrize("alpha", [0.3, 1.0, 3.0])
def test_implicit_gradient_passes_gradcheck(alpha):
    x = sample().requires_grad_()
    assert torch.autograd.gradcheck(lambda t: robust_pool(t, alpha), (x,), eps=1e-6, atol=1e-7)


def test_implicit_gradient_equals_autograd_through_an_unrolled_solve():
    x = sample().requires_grad_()
    alpha = 1.0
    y = x.detach().median(-1, keepdim=True).values
    for _ in range(300):  # the same reweighting, recorded by autograd
        w = torch.rsqrt(1 + ((y - x) / alpha) ** 2)
        y = (w * x).sum(-1, keepdim=True) / w.sum(-1, keepdim=True)
    (unrolled,) = torch.autograd.grad(y.sum(), x)
    (implicit,) = torch.autograd.grad(robust_pool(x, alpha).sum(), x)
    torch.testing.assert_close(implicit, unrolled, rtol=1e-9, atol=1e-12)


def test_weights_sum_to_one_shrink_for_outliers_and_pooling_is_translation_equivariant():
    x = sample()
    y = robust_pool(x, 1.0)
    w = robust_pool_weights(x, y, 1.0)
    torch.testing.assert_close(w.sum(-1), torch.ones(3, dtype=F64))
    assert torch.all(w[:, -2:].max(-1).values < 0.05 * w[:, :-2].mean(-1))
    torch.testing.assert_close(robust_pool(x + 2.5, 1.0), y + 2.5)


def test_large_alpha_gives_the_mean_and_its_gradient():
    x = sample().requires_grad_()
    y = robust_pool(x, 1e4)
    torch.testing.assert_close(y, x.mean(-1), rtol=0, atol=1e-6)
    (g,) = torch.autograd.grad(y.sum(), x)
    torch.testing.assert_close(g, torch.full_like(x, 1 / 9), rtol=0, atol=1e-6)
