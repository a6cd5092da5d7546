"""refimpl.data: the quadratic's derivatives against autograd, its spectrum against NumPy."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from refimpl.data import Quadratic, ill_conditioned_quadratic, linear_regression_data


def random_spd(dim: int, seed: int = 0) -> Quadratic:
    gen = torch.Generator().manual_seed(seed)
    M = torch.randn(dim, dim, generator=gen, dtype=torch.float64)
    A = M @ M.T + dim * torch.eye(dim, dtype=torch.float64)
    b = torch.randn(dim, generator=gen, dtype=torch.float64)
    return Quadratic(A=A, b=b, c=0.7)


@pytest.mark.parametrize("make", [lambda: random_spd(4), lambda: ill_conditioned_quadratic(30.0)])
def test_grad_and_hessian_match_autograd(make) -> None:
    q = make()
    theta = torch.randn(q.dim, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    theta.requires_grad_(True)
    (auto_grad,) = torch.autograd.grad(q.loss(theta), theta)
    torch.testing.assert_close(q.grad(theta.detach()), auto_grad, rtol=1e-12, atol=1e-12)
    auto_hess = torch.autograd.functional.hessian(q.loss, theta.detach())
    torch.testing.assert_close(q.hessian(theta.detach()), auto_hess, rtol=1e-12, atol=1e-12)


def test_loss_is_the_defining_formula_and_batches() -> None:
    q = random_spd(3)
    A, b = q.A.numpy(), q.b.numpy()
    pts = np.random.default_rng(0).normal(size=(5, 7, 3))
    expected = 0.5 * np.einsum("...i,ij,...j->...", pts, A, pts) - pts @ b + 0.7
    np.testing.assert_allclose(q.loss(torch.from_numpy(pts)).numpy(), expected, rtol=1e-12)
    assert q.grad(torch.from_numpy(pts)).shape == (5, 7, 3)


@pytest.mark.parametrize(("kappa", "dim"), [(1.0, 2), (10.0, 2), (25.0, 2), (100.0, 5)])
def test_condition_number_as_requested(kappa: float, dim: int) -> None:
    q = ill_conditioned_quadratic(kappa, dim=dim, lambda_min=0.5)
    A = q.A.numpy()
    np.testing.assert_array_equal(A, A.T)
    assert np.linalg.cond(A) == pytest.approx(kappa, rel=1e-10)
    eig = np.linalg.eigvalsh(A)
    assert eig[0] == pytest.approx(0.5, rel=1e-10)
    assert eig[-1] == pytest.approx(0.5 * kappa, rel=1e-10)
    assert q.condition_number == pytest.approx(kappa, rel=1e-10)
    assert q.lambda_min == pytest.approx(eig[0], rel=1e-12)
    assert q.lambda_max == pytest.approx(eig[-1], rel=1e-12)


def test_rotation_tilts_the_flat_direction() -> None:
    angle = 0.4
    q = ill_conditioned_quadratic(10.0, rotation=angle)
    _, vecs = np.linalg.eigh(q.A.numpy())
    flat = vecs[:, 0]
    assert abs(flat @ np.array([math.cos(angle), math.sin(angle)])) == pytest.approx(1.0, abs=1e-12)


def test_minimiser_solves_the_linear_system() -> None:
    q = random_spd(5)
    theta_star = q.minimiser
    np.testing.assert_allclose((q.A @ theta_star).numpy(), q.b.numpy(), rtol=1e-12, atol=1e-12)
    assert q.min_value == pytest.approx(q.loss(theta_star).item(), rel=1e-12)
    target = [1.0, -2.0, 0.5]
    p = ill_conditioned_quadratic(50.0, dim=3, minimiser=target)
    np.testing.assert_allclose(np.linalg.solve(p.A.numpy(), p.b.numpy()), target, rtol=1e-10)
    np.testing.assert_allclose(p.grad(torch.tensor(target, dtype=torch.float64)), 0.0, atol=1e-12)
    assert p.min_value == pytest.approx(0.0, abs=1e-12)


def test_suboptimality_is_loss_minus_minimum() -> None:
    q = random_spd(4)
    pts = torch.randn(10, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    np.testing.assert_allclose(
        q.suboptimality(pts).numpy(), (q.loss(pts) - q.min_value).numpy(), rtol=1e-10
    )
    assert (q.suboptimality(pts) > 0).all()


def test_from_least_squares_matches_lstsq_and_mse() -> None:
    X, y, w = linear_regression_data(64, 3, noise=0.05, seed=2)
    q = Quadratic.from_least_squares(X, y)
    np.testing.assert_allclose(
        q.minimiser.numpy(), np.linalg.lstsq(X.numpy(), y.numpy(), rcond=None)[0], rtol=1e-10
    )
    theta = torch.tensor([0.3, -1.0, 2.0], dtype=torch.float64)
    mse = 0.5 * ((X @ theta - y) ** 2).mean()
    assert q.loss(theta).item() == pytest.approx(mse.item(), rel=1e-12)
    # with little noise the fitted weights are close to the generating ones
    np.testing.assert_allclose(q.minimiser.numpy(), w.numpy(), atol=0.05)


def test_linear_regression_data_is_seeded() -> None:
    a = linear_regression_data(10, 2, seed=5)
    b = linear_regression_data(10, 2, seed=5)
    c = linear_regression_data(10, 2, seed=6)
    assert [t.shape for t in a] == [(10, 2), (10,), (2,)]
    assert all(torch.equal(s, t) for s, t in zip(a, b, strict=True))
    assert not torch.equal(a[0], c[0])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"condition_number": 0.5},
        {"condition_number": 5.0, "dim": 1},
        {"condition_number": 5.0, "lambda_min": 0.0},
    ],
)
def test_invalid_arguments(kwargs) -> None:
    with pytest.raises(ValueError):
        ill_conditioned_quadratic(**kwargs)


def test_quadratic_validates_shapes_and_symmetry() -> None:
    with pytest.raises(ValueError, match="symmetric"):
        Quadratic(A=torch.tensor([[1.0, 2.0], [0.0, 1.0]]), b=torch.zeros(2))
    with pytest.raises(ValueError, match="must be"):
        Quadratic(A=torch.eye(2), b=torch.zeros(3))


def test_dtype_and_device_follow_arguments() -> None:
    q = ill_conditioned_quadratic(10.0, dtype=torch.float32, device="cpu")
    assert q.A.dtype == q.b.dtype == torch.float32
    assert q.minimiser.dtype == torch.float32
