"""Closed forms of the Pascanu regulariser $\\Omega$ in the linear regime (catalog validation).

With all states at zero the tanh derivative is one, every back-propagated error is multiplied
by $W_{hh}$ alone, and for $W_{hh} = cQ$ with $Q$ orthogonal each ratio of norms is exactly
$c$: $\\Omega = (T-1)(c-1)^2$, zero for an orthogonal matrix.
"""

from __future__ import annotations

import pytest
import torch

from refimpl.functional import random_orthogonal, vanishing_gradient_regularizer

T, B, H = 7, 4, 5


@pytest.mark.parametrize("c", [1.0, 0.5, 1.7])
def test_omega_of_a_scaled_orthogonal_linear_rnn(c: float) -> None:
    gen = torch.Generator().manual_seed(0)
    Q = random_orthogonal(H, generator=gen, dtype=torch.float64)
    torch.testing.assert_close(Q @ Q.T, torch.eye(H, dtype=torch.float64))
    hs = torch.zeros(T, B, H, dtype=torch.float64)
    errors = torch.randn(T - 1, B, H, generator=gen, dtype=torch.float64)
    omega = vanishing_gradient_regularizer(hs, c * Q, errors)
    expected = torch.tensor((T - 1) * (c - 1) ** 2, dtype=torch.float64)
    torch.testing.assert_close(omega, expected, rtol=1e-12, atol=1e-12)
