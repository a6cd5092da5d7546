"""Discretisation against scipy, the SSM's two views, and the LRU's scan and parametrisation.

- `discretize` equals `scipy.signal.cont2discrete` (forward Euler, ZOH, bilinear) for Ā, B̄;
  `discretize_diagonal` equals `discretize` on a diagonal matrix;
- the recurrent view equals the convolutional view (FFT) and `numpy.convolve`;
- the associative scan equals the sequential loop;
- |λ| < 1 for every real ν; γ = √(1 − |λ|²) keeps the stationary state variance at one.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy import signal

from refimpl.functional import (
    associative_scan,
    causal_convolution,
    chunked_scan,
    discretize,
    discretize_diagonal,
    lru_gamma,
    lru_lambda,
    sequential_scan,
    ssm_kernel,
    ssm_recurrence,
)

F64 = torch.float64
TOL = {"rtol": 1e-10, "atol": 1e-12}
METHODS = ["euler", "zoh", "bilinear"]


def random_system(n: int = 4, m: int = 2, p: int = 3, seed: int = 0):
    gen = np.random.default_rng(seed)
    A = gen.normal(size=(n, n)) - 2 * np.eye(n)  # comfortably invertible
    return A, gen.normal(size=(n, m)), gen.normal(size=(p, n)), gen.normal(size=(p, m))


@pytest.mark.parametrize("method", METHODS)
def test_discretize_matches_scipy(method):
    A, B, C, D = random_system()
    dt = 0.07
    Ad, Bd, _, _, _ = signal.cont2discrete((A, B, C, D), dt, method=method)
    A_bar, B_bar = discretize(torch.tensor(A), torch.tensor(B), dt, method)
    np.testing.assert_allclose(A_bar.numpy(), Ad, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(B_bar.numpy(), Bd, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_diagonal_rules_equal_the_matrix_rules(method):
    gen = torch.Generator().manual_seed(1)
    a = torch.complex(
        -torch.rand(5, generator=gen, dtype=F64), torch.randn(5, generator=gen, dtype=F64)
    )
    b = torch.randn(5, generator=gen, dtype=F64).to(a.dtype)
    A_bar, B_bar = discretize(torch.diag(a), b[:, None], 0.3, method)
    a_bar, b_bar = discretize_diagonal(a, b, torch.tensor(0.3, dtype=F64), method)
    torch.testing.assert_close(torch.diagonal(A_bar), a_bar, **TOL)
    torch.testing.assert_close(B_bar[:, 0], b_bar, **TOL)


@pytest.mark.parametrize("method", METHODS)
def test_recurrent_view_equals_convolutional_view(method):
    A, B, C, D = (torch.tensor(M) for M in random_system(seed=2))
    A_bar, B_bar = discretize(A, B, 0.1, method)
    u = torch.randn(50, 2, generator=torch.Generator().manual_seed(3), dtype=F64)
    y_rec = ssm_recurrence(A_bar, B_bar, C, D, u)
    K = ssm_kernel(A_bar, B_bar, C, 50)  # (L, P, M)
    torch.testing.assert_close(causal_convolution(K, u) + u @ D.T, y_rec, **TOL)
    # and the convolution itself against numpy, one input-output pair at a time
    y_np = sum(np.convolve(K[:, 0, m].numpy(), u[:, m].numpy())[:50] for m in range(2))
    np.testing.assert_allclose(y_np + (u @ D.T)[:, 0].numpy(), y_rec[:, 0].numpy(), rtol=1e-9)


def test_output_uses_the_current_state():
    """y_k = C x_k + D u_k: the first output already sees u_1 through B̄ (not only through D)."""
    A, B, C, D = (torch.tensor(M) for M in random_system(seed=4))
    A_bar, B_bar = discretize(A, B, 0.1, "zoh")
    u = torch.zeros(3, 2, dtype=F64)
    u[0, 0] = 1.0
    y = ssm_recurrence(A_bar, B_bar, C, torch.zeros_like(D), u)
    torch.testing.assert_close(y[0], C @ B_bar[:, 0], **TOL)


@pytest.mark.parametrize("length", [1, 2, 7, 64, 100, 101])
def test_associative_scan_equals_the_loop(length):
    gen = torch.Generator().manual_seed(length)
    shape = (length, 3, 5)
    a = torch.polar(
        torch.rand(shape, generator=gen, dtype=F64), torch.randn(shape, generator=gen, dtype=F64)
    )
    b = torch.complex(
        torch.randn(shape, generator=gen, dtype=F64), torch.randn(shape, generator=gen, dtype=F64)
    )
    torch.testing.assert_close(associative_scan(a, b), sequential_scan(a, b), **TOL)
    torch.testing.assert_close(chunked_scan(a, b), sequential_scan(a, b), **TOL)
    torch.testing.assert_close(chunked_scan(a, b, chunk=3), sequential_scan(a, b), **TOL)
    # and the loop against the closed form x_k = Σ_j (Π_{i=j+1..k} a_i) b_j
    k = length - 1
    expected = sum(torch.prod(a[j + 1 : k + 1], dim=0) * b[j] for j in range(length))
    torch.testing.assert_close(sequential_scan(a, b)[-1], expected, **TOL)


def test_lambda_is_stable_for_any_nu_and_has_the_given_phase():
    nu = torch.linspace(-8, 4, 101, dtype=F64)
    theta = torch.linspace(-3, 1.1, 101, dtype=F64)  # phases e^θ below π: no wrap-around
    lam = lru_lambda(nu, theta)
    assert (lam.abs() < 1).all()
    torch.testing.assert_close(lam.abs(), torch.exp(-torch.exp(nu)), **TOL)
    torch.testing.assert_close(torch.angle(lam), torch.exp(theta), **TOL)


def test_gamma_keeps_the_state_variance_at_one():
    """E|x_k|² = γ² Σ_j |λ|^{2j} → 1 for unit-variance complex white input (Monte Carlo)."""
    gen = torch.Generator().manual_seed(0)
    lam = torch.polar(
        torch.tensor([0.5, 0.9, 0.99], dtype=F64), torch.tensor([0.3, 1.0, 2.0], dtype=F64)
    )
    steps, batch = 400, 2000
    shape = (steps, batch, 3)
    w = (
        torch.complex(
            torch.randn(shape, generator=gen, dtype=F64),
            torch.randn(shape, generator=gen, dtype=F64),
        )
        / 2**0.5
    )
    x = sequential_scan(lam.expand(shape), lru_gamma(lam) * w)
    variance = (x[-1].abs() ** 2).mean(0)
    exact = 1 - lam.abs() ** (2 * steps)  # the finite-horizon value, 1 up to 1e-5
    torch.testing.assert_close(variance, exact, rtol=0.08, atol=0)
    # without γ the variance tends to 1 / (1 − |λ|²): 1.33, 5.3 and 50
    x_raw = sequential_scan(lam.expand(shape), w)
    assert (x_raw[-1].abs() ** 2).mean(0)[2] > 30
