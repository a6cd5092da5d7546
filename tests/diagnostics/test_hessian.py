"""Hessian-vector products, sharpness, Lanczos and the index against the full autograd Hessian."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from refimpl.diagnostics import (
    HessianOperator,
    hessian_index,
    hessian_spectrum,
    hvp,
    lanczos,
    top_hessian_eigenvalue,
)


def small_problem(seed: int = 0, act: type[nn.Module] = nn.Tanh):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(3, 5), act(), nn.Linear(5, 2)).double()
    x = torch.randn(16, 3, dtype=torch.float64)
    y = torch.randn(16, 2, dtype=torch.float64)
    return model, x, y


def full_hessian(model: nn.Module, x, y) -> torch.Tensor:
    """The exact Hessian of the MSE over the flattened parameters, by autograd.functional."""
    names = [n for n, _ in model.named_parameters()]
    shapes = [p.shape for _, p in model.named_parameters()]
    sizes = [p.numel() for _, p in model.named_parameters()]
    flat0 = torch.cat([p.detach().reshape(-1) for p in model.parameters()])

    def loss_of(flat):
        chunks = torch.split(flat, sizes)
        params = {n: c.reshape(s) for n, c, s in zip(names, chunks, shapes, strict=True)}
        out = torch.func.functional_call(model, params, (x,))
        return nn.functional.mse_loss(out, y)

    return torch.autograd.functional.hessian(loss_of, flat0)


def loss(model, x, y):
    return nn.functional.mse_loss(model(x), y)


def test_hvp_matches_full_hessian():
    model, x, y = small_problem()
    H = full_hessian(model, x, y)
    params = list(model.parameters())
    v = [torch.randn_like(p) for p in params]
    hv = torch.cat([t.reshape(-1) for t in hvp(loss(model, x, y), params, v)])
    expected = H @ torch.cat([t.reshape(-1) for t in v])
    torch.testing.assert_close(hv, expected, rtol=1e-10, atol=1e-12)


def test_hessian_operator_dense_is_the_hessian():
    model, x, y = small_problem(1)
    op = HessianOperator(loss(model, x, y), list(model.parameters()))
    torch.testing.assert_close(op.dense(), full_hessian(model, x, y), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_top_eigenvalue_matches_eigh(seed):
    model, x, y = small_problem(seed)
    lam = torch.linalg.eigvalsh(full_hessian(model, x, y))
    g = torch.Generator().manual_seed(0)
    top, vec = top_hessian_eigenvalue(
        loss(model, x, y), list(model.parameters()), iters=2000, tol=1e-13, generator=g
    )
    assert top == pytest.approx(float(lam[-1]), rel=1e-6)
    assert float(vec.norm()) == pytest.approx(1.0)


def test_top_eigenvalue_when_the_most_negative_dominates():
    # a saddle whose negative curvature is larger in modulus than the positive one
    theta = torch.tensor([0.3, -0.2, 0.1], dtype=torch.float64, requires_grad=True)
    A = torch.diag(torch.tensor([1.0, 0.5, -4.0], dtype=torch.float64))
    f = 0.5 * theta @ A @ theta
    top, vec = top_hessian_eigenvalue(f, [theta], iters=5000, tol=1e-14)
    assert top == pytest.approx(1.0, rel=1e-6)
    assert abs(float(vec[0])) == pytest.approx(1.0, rel=1e-5)


def test_full_lanczos_gives_the_exact_spectrum():
    model, x, y = small_problem(3)
    H = full_hessian(model, x, y)
    expected = torch.linalg.eigvalsh(H)
    got = hessian_spectrum(loss(model, x, y), list(model.parameters()))
    torch.testing.assert_close(got, expected, rtol=0, atol=1e-9)


def test_lanczos_handles_repeated_eigenvalues_and_is_orthonormal():
    # eigenvalues with multiplicity: one Krylov space cannot hold them all
    D = torch.diag(torch.tensor([2.0, 2.0, 2.0, -1.0, -1.0, 0.0, 5.0], dtype=torch.float64))
    Q, _ = torch.linalg.qr(torch.randn(7, 7, dtype=torch.float64))
    A = Q @ D @ Q.T
    res = lanczos(lambda v: A @ v, 7, 7, generator=torch.Generator().manual_seed(1))
    torch.testing.assert_close(res.ritz_values(), torch.linalg.eigvalsh(A), rtol=0, atol=1e-10)
    torch.testing.assert_close(res.basis.T @ res.basis, torch.eye(7, dtype=torch.float64))
    # T = Qᵀ A Q
    torch.testing.assert_close(res.tridiagonal(), res.basis.T @ A @ res.basis, atol=1e-10, rtol=0)


def test_few_lanczos_steps_find_the_extremes():
    torch.manual_seed(0)
    lam = torch.cat([torch.linspace(-1.0, 1.0, 200), torch.tensor([10.0, -5.0])]).double()
    Q, _ = torch.linalg.qr(torch.randn(202, 202, dtype=torch.float64))
    A = Q @ torch.diag(lam) @ Q.T
    ritz = lanczos(lambda v: A @ v, 202, 30).ritz_values()
    assert float(ritz[-1]) == pytest.approx(10.0, rel=1e-8)
    assert float(ritz[0]) == pytest.approx(-5.0, rel=1e-8)


def test_index_counts_negative_eigenvalues():
    model, x, y = small_problem(4)
    lam = torch.linalg.eigvalsh(full_hessian(model, x, y))
    spectrum = hessian_spectrum(loss(model, x, y), list(model.parameters()))
    expected = float((lam < -1e-8).sum()) / lam.numel()
    assert hessian_index(spectrum, tol=1e-8) == pytest.approx(expected)
    assert 0.0 < expected < 1.0  # a random point of a non-convex loss is neither min nor max
    assert hessian_index(torch.tensor([-1.0, 0.0, 2.0, 3.0])) == 0.25
