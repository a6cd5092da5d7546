"""Activation modules and functions against torch's, in value and gradient (float64)."""

from __future__ import annotations

import pytest
import torch

import refimpl.nn as rnn
from refimpl.functional import activations as F

CASES = [
    (rnn.ReLU, torch.nn.ReLU, F.relu_derivative),
    (rnn.Sigmoid, torch.nn.Sigmoid, F.sigmoid_derivative),
    (rnn.Tanh, torch.nn.Tanh, F.tanh_derivative),
    (rnn.GELU, torch.nn.GELU, None),
]


def inputs() -> torch.Tensor:
    torch.manual_seed(0)
    x = torch.randn(64, dtype=torch.float64) * 4
    # the extremes (overflow of e^{-z}) and exactly zero
    return torch.cat([x, torch.tensor([-800.0, 800.0, 0.0], dtype=torch.float64)])


@pytest.mark.parametrize(("ours", "theirs", "derivative"), CASES, ids=lambda c: str(c))
def test_value_and_gradient_match_torch(ours, theirs, derivative) -> None:
    x_ours = inputs().requires_grad_()
    x_ref = inputs().requires_grad_()
    y_ours = ours.from_torch(theirs())(x_ours)
    y_ref = theirs()(x_ref)
    torch.testing.assert_close(y_ours, y_ref, rtol=1e-12, atol=1e-15)
    y_ours.sum().backward()
    y_ref.sum().backward()
    torch.testing.assert_close(x_ours.grad, x_ref.grad, rtol=1e-10, atol=1e-15)
    if derivative is not None:
        # the hand-written f′ equals autograd's
        torch.testing.assert_close(derivative(inputs()), x_ref.grad, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_softmax_matches_torch(dim: int) -> None:
    torch.manual_seed(1)
    z = (torch.randn(3, 4, 5, dtype=torch.float64) * 50).requires_grad_()
    z_ref = z.detach().clone().requires_grad_()
    out = rnn.Softmax.from_torch(torch.nn.Softmax(dim=dim))(z)
    ref = torch.softmax(z_ref, dim=dim)
    torch.testing.assert_close(out, ref, rtol=1e-12, atol=1e-15)
    w = torch.randn(3, 4, 5, dtype=torch.float64)
    (out * w).sum().backward()
    (ref * w).sum().backward()
    torch.testing.assert_close(z.grad, z_ref.grad, rtol=1e-10, atol=1e-14)
    torch.testing.assert_close(out.sum(dim), torch.ones_like(out.sum(dim)))
