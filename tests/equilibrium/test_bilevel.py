"""Bilevel meta-learning: iMAML's hypergradient against the closed form and against
backpropagation through a long unrolled inner optimisation, on a quadratic inner problem."""

from __future__ import annotations

import torch

from refimpl.equilibrium import (
    imaml_hypergradient,
    inner_solution,
    maml_hypergradient,
    unrolled_adaptation,
)

F64 = torch.float64


def problem(lam: float = 1.0):
    gen = torch.Generator().manual_seed(0)
    train = (torch.randn(5, 6, generator=gen, dtype=F64), torch.randn(5, generator=gen, dtype=F64))
    test = (torch.randn(7, 6, generator=gen, dtype=F64), torch.randn(7, generator=gen, dtype=F64))
    theta = torch.randn(6, generator=gen, dtype=F64)
    return theta, train, test, lam


def closed_form_hypergradient(theta, train, test, lam):
    """phi* = A^{-1}(X^T y / n + lam theta) => d phi*/d theta = lam A^{-1} (A symmetric)."""
    X, y = train
    A = X.T @ X / len(y) + lam * torch.eye(6, dtype=F64)
    phi = torch.linalg.solve(A, X.T @ y / len(y) + lam * theta)
    Xt, yt = test
    g_test = Xt.T @ (Xt @ phi - yt) / len(yt)
    return lam * torch.linalg.solve(A, g_test)


def test_inner_solution_is_the_proximal_minimiser():
    theta, train, _, lam = problem()
    phi = inner_solution(theta, train, lam).requires_grad_()
    X, y = train
    objective = 0.5 * ((X @ phi - y) ** 2).mean() + 0.5 * lam * ((phi - theta) ** 2).sum()
    (g,) = torch.autograd.grad(objective, phi)
    assert g.abs().max() < 1e-13


def test_imaml_hypergradient_matches_the_closed_form():
    theta, train, test, lam = problem()
    torch.testing.assert_close(
        imaml_hypergradient(theta, train, test, lam),
        closed_form_hypergradient(theta, train, test, lam),
        rtol=1e-10,
        atol=1e-12,
    )


def test_imaml_hypergradient_matches_unrolled_differentiation():
    theta, train, test, lam = problem()
    implicit = imaml_hypergradient(theta, train, test, lam)
    unrolled = maml_hypergradient(theta, train, test, steps=400, lr=0.2, lam=lam)
    torch.testing.assert_close(unrolled, implicit, rtol=1e-9, atol=1e-12)
    # a short unroll is a different (truncated) meta-gradient
    short = maml_hypergradient(theta, train, test, steps=3, lr=0.2, lam=lam)
    assert (short - implicit).norm() > 1e-3 * implicit.norm()


def test_unrolled_adaptation_takes_gradient_steps():
    theta, train, _, _ = problem()
    X, y = train
    theta = theta.requires_grad_()
    phi = unrolled_adaptation(theta, train, steps=1, lr=0.1)
    expected = theta - 0.1 * X.T @ (X @ theta - y) / len(y)
    torch.testing.assert_close(phi, expected)
