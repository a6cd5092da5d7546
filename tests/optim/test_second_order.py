"""Newton, damped Newton and saddle-free Newton against closed forms and torch's own Hessian."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from refimpl.functional import (
    damped_newton_direction,
    flat_gradient_and_hessian,
    newton_direction,
    saddle_free_newton_direction,
)
from refimpl.optim import DampedNewton, Newton, SaddleFreeNewton

DT = torch.float64


def random_quadratic(d: int = 5, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(seed)
    M = torch.randn(d, d, generator=gen, dtype=DT)
    return M @ M.T + 0.5 * torch.eye(d, dtype=DT), torch.randn(d, generator=gen, dtype=DT)


def tiny_mlp(seed: int = 0) -> tuple[torch.nn.Module, torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(seed)
    X = torch.randn(16, 3, generator=gen, dtype=DT)
    y = torch.randn(16, 1, generator=gen, dtype=DT)
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    return model.double(), X, y


def test_hessian_matches_torch_autograd_functional() -> None:
    model, X, y = tiny_mlp()
    params = list(model.parameters())
    shapes = [p.shape for p in params]
    flat = torch.cat([p.detach().reshape(-1) for p in params])

    def loss_of(theta: torch.Tensor) -> torch.Tensor:
        chunks, i = [], 0
        for s in shapes:
            n = s.numel()
            chunks.append(theta[i : i + n].view(s))
            i += n
        w1, b1, w2, b2 = chunks
        return ((torch.tanh(X @ w1.T + b1) @ w2.T + b2 - y) ** 2).mean()

    g, H = flat_gradient_and_hessian(((model(X) - y) ** 2).mean(), params)
    torch.testing.assert_close(
        H, torch.autograd.functional.hessian(loss_of, flat), rtol=1e-10, atol=1e-12
    )
    torch.testing.assert_close(g, torch.func.grad(loss_of)(flat), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("d", [1, 2, 7])
def test_newton_solves_a_quadratic_in_one_step(d: int) -> None:
    A, b = random_quadratic(d, seed=d)
    w = torch.nn.Parameter(torch.randn(d, dtype=DT))
    opt = Newton([w])
    loss = opt.step(lambda: 0.5 * w @ A @ w - b @ w)
    assert loss.shape == ()
    torch.testing.assert_close(w.detach(), torch.linalg.solve(A, b), rtol=1e-12, atol=1e-12)
    # the gradient at the start is left in .grad
    assert w.grad is not None


def test_newton_across_groups_and_tensors_with_lr() -> None:
    A, b = random_quadratic(6, seed=3)
    u = torch.nn.Parameter(torch.zeros(2, 2, dtype=DT))
    v = torch.nn.Parameter(torch.zeros(2, dtype=DT))
    opt = Newton([{"params": [u]}, {"params": [v], "lr": 0.5}], lr=1.0)

    def closure() -> torch.Tensor:
        w = torch.cat([u.reshape(-1), v])
        return 0.5 * w @ A @ w - b @ w

    opt.step(closure)
    step = torch.linalg.solve(A, b)  # from 0: Δ = −A⁻¹(−b)
    torch.testing.assert_close(u.detach().reshape(-1), step[:4], rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(v.detach(), 0.5 * step[4:], rtol=1e-12, atol=1e-12)


def test_damped_newton_limits() -> None:
    A, b = random_quadratic(4, seed=1)
    theta = torch.randn(4, dtype=DT)
    g = A @ theta - b
    newton = newton_direction(g, A)
    # η → 0: Newton's step
    torch.testing.assert_close(damped_newton_direction(g, A, 1e-12), newton, rtol=1e-9, atol=0)
    # η → ∞: gradient descent with learning rate 1/η, error O(‖H‖/η)
    errors = []
    for eta in (1e2, 1e4, 1e6):
        step = damped_newton_direction(g, A, eta)
        errors.append(((step - (-g / eta)).norm() / (g / eta).norm()).item())
    lam_max = torch.linalg.eigvalsh(A)[-1].item()
    for eta, err in zip((1e2, 1e4, 1e6), errors, strict=True):
        assert err <= 1.01 * lam_max / eta
    assert errors[2] < 1e-3 * errors[0]


def test_damped_newton_optimizer_step_equals_formula() -> None:
    A, b = random_quadratic(3, seed=2)
    w0 = torch.tensor([1.0, -2.0, 0.5], dtype=DT)
    w = torch.nn.Parameter(w0.clone())
    DampedNewton([w], lr=0.7, damping=2.5).step(lambda: 0.5 * w @ A @ w - b @ w)
    expected = w0 - 0.7 * torch.linalg.solve(2.5 * torch.eye(3, dtype=DT) + A, A @ w0 - b)
    torch.testing.assert_close(w.detach(), expected, rtol=1e-12, atol=1e-12)


def saddle(w: torch.Tensor) -> torch.Tensor:
    """f(x, y) = x² − y²: a pure saddle at the origin."""
    return w[0] ** 2 - w[1] ** 2


def test_newton_jumps_to_the_saddle_saddle_free_escapes() -> None:
    start = torch.tensor([1.0, 0.3], dtype=DT)
    w = torch.nn.Parameter(start.clone())
    Newton([w]).step(lambda: saddle(w))
    # Newton: the critical point of the (exact) quadratic model is the saddle
    torch.testing.assert_close(w.detach(), torch.zeros(2, dtype=DT), rtol=0, atol=1e-15)

    w = torch.nn.Parameter(start.clone())
    opt = SaddleFreeNewton([w])
    for _ in range(3):
        opt.step(lambda: saddle(w))
    # |H| = 2I: Δ = −(x, −y), so x → 0 at once and y doubles each step
    torch.testing.assert_close(w.detach(), torch.tensor([0.0, 0.3 * 8], dtype=DT))


def test_saddle_free_escapes_to_the_minima_of_a_double_well() -> None:
    """f = x²/2 + y⁴/4 − y²/2: saddle at 0, minima at (0, ±1); Newton stays at the saddle."""

    def f(w: torch.Tensor) -> torch.Tensor:
        return 0.5 * w[0] ** 2 + 0.25 * w[1] ** 4 - 0.5 * w[1] ** 2

    ends = {}
    for cls in (Newton, SaddleFreeNewton):
        w = torch.nn.Parameter(torch.tensor([1.0, 0.05], dtype=DT))
        opt = cls([w])
        for _ in range(20):
            opt.step(lambda w=w: f(w))
        ends[cls.__name__] = w.detach()
    torch.testing.assert_close(ends["Newton"], torch.zeros(2, dtype=DT), rtol=0, atol=1e-12)
    torch.testing.assert_close(ends["SaddleFreeNewton"], torch.tensor([0.0, 1.0], dtype=DT))


def test_saddle_free_equals_newton_where_hessian_is_positive_definite() -> None:
    A, _ = random_quadratic(5, seed=4)
    g = torch.randn(5, dtype=DT)
    torch.testing.assert_close(
        saddle_free_newton_direction(g, A), newton_direction(g, A), rtol=1e-10, atol=1e-12
    )
    # with negative eigenvalues it is −Σ (v·g)/|λ| v, computed here from numpy's eigh
    H = A - 3.0 * torch.eye(5, dtype=DT)
    lam, V = np.linalg.eigh(H.numpy())
    assert lam.min() < 0
    expected = -sum((V[:, i] @ g.numpy()) / abs(lam[i]) * V[:, i] for i in range(5))
    torch.testing.assert_close(
        saddle_free_newton_direction(g, H), torch.from_numpy(expected), rtol=1e-9, atol=1e-12
    )


def test_requires_closure_and_valid_arguments() -> None:
    w = torch.nn.Parameter(torch.zeros(2))
    with pytest.raises(RuntimeError, match="closure"):
        Newton([w]).step()
    with pytest.raises(ValueError):
        DampedNewton([w], damping=-1.0)
    with pytest.raises(ValueError):
        Newton([w], lr=-1.0)
    opt = DampedNewton(
        [
            {"params": [w], "damping": 1.0},
            {"params": [torch.nn.Parameter(torch.zeros(1))], "damping": 2.0},
        ]
    )
    with pytest.raises(ValueError, match="same damping"):
        opt.step(lambda: (w**2).sum())


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_newton_on_cuda() -> None:
    A, b = (t.cuda() for t in random_quadratic(4))
    w = torch.nn.Parameter(torch.zeros(4, dtype=DT, device="cuda"))
    SaddleFreeNewton([w]).step(lambda: 0.5 * w @ A @ w - b @ w)
    torch.testing.assert_close(w.detach(), torch.linalg.solve(A, b))
