"""Least squares against NumPy, gradient descent against the closed form, losses against torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from refimpl.functional import losses
from refimpl.functional.regression import least_squares, least_squares_gd, polynomial_features


def test_least_squares_matches_numpy_lstsq() -> None:
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 4)), rng.normal(size=30)
    w = least_squares(torch.tensor(X), torch.tensor(y)).numpy()
    np.testing.assert_allclose(w, np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-10)


def test_minimum_norm_solution_when_underdetermined() -> None:
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(5, 12)), rng.normal(size=5)
    w = least_squares(torch.tensor(X), torch.tensor(y)).numpy()
    np.testing.assert_allclose(X @ w, y, atol=1e-10)  # interpolates
    np.testing.assert_allclose(w, X.T @ np.linalg.solve(X @ X.T, y), rtol=1e-8)  # min norm
    # gradient descent from zero stays in the row space and converges to the same point
    path = least_squares_gd(torch.tensor(X), torch.tensor(y), lr=0.2, steps=4000)
    np.testing.assert_allclose(path[-1].numpy(), w, atol=1e-6)


def test_ridge_closed_form() -> None:
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    lam = 0.3
    w = least_squares(torch.tensor(X), torch.tensor(y), ridge=lam).numpy()
    # the gradient of (1/2n)‖Xw − y‖² + (λ/2)‖w‖² vanishes
    grad = X.T @ (X @ w - y) / 20 + lam * w
    np.testing.assert_allclose(grad, 0, atol=1e-12)


def test_gd_converges_to_the_closed_form() -> None:
    rng = np.random.default_rng(3)
    X, y = torch.tensor(rng.normal(size=(50, 3))), torch.tensor(rng.normal(size=50))
    path = least_squares_gd(X, y, lr=0.5, steps=500)
    torch.testing.assert_close(path[-1], least_squares(X, y), rtol=1e-9, atol=1e-10)
    assert path.shape == (501, 3)


def test_polynomial_features() -> None:
    x = torch.tensor([2.0, -1.0, 0.5], dtype=torch.float64)
    np.testing.assert_allclose(
        polynomial_features(x, 3).numpy(), np.vander(x.numpy(), 4, increasing=True)[:, 1:]
    )


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (losses.mse_loss, torch.nn.functional.mse_loss),
        (losses.l1_loss, torch.nn.functional.l1_loss),
        (
            lambda a, b: losses.huber_loss(a, b, delta=0.7),
            lambda a, b: torch.nn.functional.huber_loss(a, b, delta=0.7),
        ),
    ],
)
def test_regression_losses_match_torch(ours, theirs) -> None:
    torch.manual_seed(0)
    a = (torch.randn(6, 4, dtype=torch.float64) * 2).requires_grad_()
    b = torch.randn(6, 4, dtype=torch.float64)
    a_ref = a.detach().clone().requires_grad_()
    out, ref = ours(a, b), theirs(a_ref, b)
    torch.testing.assert_close(out, ref, rtol=1e-12, atol=1e-14)
    out.backward()
    ref.backward()
    torch.testing.assert_close(a.grad, a_ref.grad, rtol=1e-10, atol=1e-14)


def test_cross_entropy_matches_torch() -> None:
    torch.manual_seed(1)
    z = (torch.randn(8, 5, dtype=torch.float64) * 30).requires_grad_()
    c = torch.randint(0, 5, (8,))
    z_ref = z.detach().clone().requires_grad_()
    out, ref = losses.cross_entropy(z, c), torch.nn.functional.cross_entropy(z_ref, c)
    torch.testing.assert_close(out, ref, rtol=1e-12, atol=1e-12)
    out.backward()
    ref.backward()
    torch.testing.assert_close(z.grad, z_ref.grad, rtol=1e-10, atol=1e-14)
