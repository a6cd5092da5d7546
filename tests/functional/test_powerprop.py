"""Powerpropagation: autograd through Ψ against the paper's gradient formula; the inverse."""

from __future__ import annotations

import pytest
import torch

from refimpl.functional import powerprop, powerprop_inverse


@pytest.mark.parametrize("alpha", [1.0, 1.5, 2.0, 3.0])
def test_gradient_matches_formula(alpha: float) -> None:
    gen = torch.Generator().manual_seed(0)
    phi = torch.randn(7, generator=gen, dtype=torch.float64, requires_grad=True)
    X = torch.randn(5, 7, generator=gen, dtype=torch.float64)
    w = powerprop(phi, alpha)
    loss = (torch.tanh(X @ w) ** 2).sum()
    (dphi,) = torch.autograd.grad(loss, phi, retain_graph=True)
    (dw,) = torch.autograd.grad(loss, w)
    # ∂L/∂φ = ∂L/∂w · α |φ|^(α−1)
    torch.testing.assert_close(dphi, dw * alpha * phi.detach().abs() ** (alpha - 1))
    torch.testing.assert_close(powerprop_inverse(w.detach(), alpha), phi.detach())
    torch.testing.assert_close(w.detach().sign(), phi.detach().sign())
