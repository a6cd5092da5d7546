"""What each optimizer is invariant to, checked by running it in two coordinate systems.

A method is *equivariant* under a reparametrisation $\\theta = T(\\varphi)$ when running it on
$L(T(\\varphi))$ and mapping the iterates through $T$ gives the path it takes on $L(\\theta)$.
The claims of the comparison table on the "Which optimizer?" page rest on these tests and on
``test_natural_gradient_is_invariant_to_linear_reparametrisation`` and
``test_path_sgd_is_invariant_to_node_rescaling`` in this folder.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
import torch
from torch import Tensor

from refimpl import optim


def _loss(theta: Tensor) -> Tensor:
    """A smooth non-quadratic, non-separable loss with its minimum at (1, 1)."""
    x, y = theta[0], theta[1]
    return (1 - x) ** 2 + 2 * (y - x**2) ** 2 + 0.1 * (x + y - 2) ** 4


def _path(
    make: Callable[[list[Tensor]], torch.optim.Optimizer],
    loss: Callable[[Tensor], Tensor],
    start: Tensor,
    steps: int = 25,
    closure_loss: bool = False,
) -> Tensor:
    p = torch.nn.Parameter(start.clone())
    opt = make([p])
    path = [p.detach().clone()]
    for _ in range(steps):
        if closure_loss:
            opt.step(lambda: loss(p))
        elif isinstance(opt, optim.SAM):

            def closure() -> Tensor:
                value = loss(p)
                value.backward()
                return value

            opt.step(closure)
        else:
            opt.zero_grad()
            loss(p).backward()
            opt.step()
        path.append(p.detach().clone())
    return torch.stack(path)  # (T + 1, 2)


START = torch.tensor([-0.8, 0.4], dtype=torch.float64)
ANGLE = 0.7
Q = torch.tensor(
    [[math.cos(ANGLE), -math.sin(ANGLE)], [math.sin(ANGLE), math.cos(ANGLE)]], dtype=torch.float64
)
ROTATION_EQUIVARIANT = {
    "SGD": lambda p: optim.SGD(p, lr=0.02),
    "heavy ball": lambda p: optim.SGD(p, lr=0.02, momentum=0.9),
    "Nesterov": lambda p: optim.SGD(p, lr=0.02, momentum=0.9, nesterov=True),
    "EMAMomentum": lambda p: optim.EMAMomentum(p, lr=0.2, alpha=0.9),
    "SAM": lambda p: optim.SAM(p, optim.SGD, rho=0.05, lr=0.02),
}
PER_COORDINATE = {
    "Adagrad": lambda p: optim.Adagrad(p, lr=0.1, eps=0.0),
    "RMSprop": lambda p: optim.RMSprop(p, lr=0.01, eps=0.0),
    "Adam": lambda p: optim.Adam(p, lr=0.05, eps=0.0),
    "AMSGrad": lambda p: optim.Adam(p, lr=0.05, eps=0.0, amsgrad=True),
    "SlideAdam": lambda p: optim.SlideAdam(p, lr=0.05, eps=0.0),
    "SlideRMSprop": lambda p: optim.SlideRMSprop(p, lr=0.01, eps=0.0),
}


@pytest.mark.parametrize("name", sorted(ROTATION_EQUIVARIANT))
def test_first_order_methods_are_rotation_equivariant(name: str) -> None:
    """$\\theta = Q\\varphi$ with $Q$ orthogonal: the paths agree after mapping."""
    make = ROTATION_EQUIVARIANT[name]
    direct = _path(make, _loss, START)
    rotated = _path(make, lambda phi: _loss(Q @ phi), Q.T @ START)
    torch.testing.assert_close(rotated @ Q.T, direct, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", sorted(PER_COORDINATE))
def test_adaptive_methods_are_not_rotation_equivariant(name: str) -> None:
    make = PER_COORDINATE[name]
    direct = _path(make, _loss, START)
    rotated = _path(make, lambda phi: _loss(Q @ phi), Q.T @ START)
    assert (rotated @ Q.T - direct).abs().max() > 1e-3


@pytest.mark.parametrize("name", sorted(PER_COORDINATE))
def test_adaptive_methods_ignore_per_coordinate_gradient_scale(name: str) -> None:
    """With $\\epsilon = 0$, rescaling each coordinate's gradient by $c_i > 0$ (here a separable
    loss $\\sum_i c_i f_i(\\theta_i)$) leaves the path unchanged, and so does scaling the loss."""
    make = PER_COORDINATE[name]

    def separable(theta: Tensor, c: tuple[float, float] = (1.0, 1.0)) -> Tensor:
        return c[0] * (theta[0] - 1) ** 4 + c[1] * torch.cosh(theta[1] - 0.5)

    base = _path(make, separable, START)
    scaled = _path(make, lambda t: separable(t, (300.0, 0.01)), START)
    torch.testing.assert_close(scaled, base, rtol=1e-9, atol=1e-12)
    # plain SGD is not: its step is proportional to the gradient
    sgd = lambda p: optim.SGD(p, lr=1e-5)  # noqa: E731
    assert (
        _path(sgd, separable, START) - _path(sgd, lambda t: separable(t, (300.0, 0.01)), START)
    ).abs().max() > 1e-2


def test_adaptive_methods_are_not_equivariant_under_parameter_rescaling() -> None:
    """$\\theta = D\\varphi$: the adaptive step is about $\\gamma$ per coordinate in $\\varphi$'s
    units, so mapped back it is $D$ times too long or short; Newton's is not."""
    D = torch.tensor([10.0, 0.1], dtype=torch.float64)
    adam = _path(PER_COORDINATE["Adam"], _loss, START)
    adam_scaled = _path(PER_COORDINATE["Adam"], lambda phi: _loss(D * phi), START / D)
    assert (adam_scaled * D - adam).abs().max() > 1e-2


@pytest.mark.parametrize("cls", [optim.Newton, optim.SaddleFreeNewton, optim.DampedNewton])
def test_newton_is_affine_equivariant(cls: type[torch.optim.Optimizer]) -> None:
    """$\\theta = B\\varphi + b$ with $B$ invertible: Newton's and saddle-free Newton's paths map
    onto each other; damped Newton's do not (the damping $\\eta I$ is not transformed)."""
    B = torch.tensor([[3.0, 1.0], [-0.5, 0.2]], dtype=torch.float64)
    b = torch.tensor([0.3, -0.1], dtype=torch.float64)
    make = lambda p: cls(p)  # noqa: E731
    direct = _path(make, _loss, START, steps=8, closure_loss=True)
    phi0 = torch.linalg.solve(B, START - b)
    mapped = _path(make, lambda phi: _loss(B @ phi + b), phi0, steps=8, closure_loss=True)
    gap = (mapped @ B.T + b - direct).abs().max()
    if cls is optim.DampedNewton:
        assert gap > 1e-3
    else:
        assert gap < 1e-9
        assert np.isfinite(direct.numpy()).all()


class _TwoLayer(torch.nn.Module):
    """A 3-5-2 tanh network with a fixed affine map $a \\mapsto Ma + m$ before its last layer."""

    def __init__(self, W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor, M: Tensor, m: Tensor):
        super().__init__()
        self.l1 = torch.nn.Linear(3, 5, dtype=torch.float64)
        self.l2 = torch.nn.Linear(5, 2, dtype=torch.float64)
        with torch.no_grad():
            self.l1.weight.copy_(W1), self.l1.bias.copy_(b1)
            self.l2.weight.copy_(W2), self.l2.bias.copy_(b2)
        self.M, self.m = M, m

    def forward(self, X: Tensor) -> Tensor:
        a = torch.tanh(self.l1(X))  # (N, 5)
        return self.l2(a @ self.M.T + self.m)  # (N, 2)


def test_kfac_is_invariant_to_affine_maps_of_layer_inputs() -> None:
    """Martens & Grosse: with $\\lambda = 0$, transforming a layer's inputs by an invertible affine
    map (and its weights by the inverse, so the function is unchanged) leaves K-FAC's steps the
    same in function space. Here the network's inputs and the hidden activations are both
    transformed; the two networks' outputs stay equal over three steps. SGD's do not."""
    gen = torch.Generator().manual_seed(4)
    rand = lambda *s: torch.randn(*s, generator=gen, dtype=torch.float64)  # noqa: E731
    X, t = rand(40, 3), rand(40, 2)
    W1, b1, W2, b2 = 0.7 * rand(5, 3), 0.1 * rand(5), 0.7 * rand(2, 5), 0.1 * rand(2)
    Om, c = rand(3, 3) + 2 * torch.eye(3, dtype=torch.float64), rand(3)  # x' = Ωx + c
    M, m = rand(5, 5) + 2 * torch.eye(5, dtype=torch.float64), rand(5)  # a' = Ma + m
    eye, zero = torch.eye(5, dtype=torch.float64), torch.zeros(5, dtype=torch.float64)
    Oinv, Minv = torch.linalg.inv(Om), torch.linalg.inv(M)
    plain = _TwoLayer(W1, b1, W2, b2, eye, zero)
    mapped = _TwoLayer(W1 @ Oinv, b1 - W1 @ Oinv @ c, W2 @ Minv, b2 - W2 @ Minv @ m, M, m)
    Xm = X @ Om.T + c
    torch.testing.assert_close(mapped(Xm), plain(X))

    def closure(model: torch.nn.Module, inputs: Tensor) -> Callable[[], tuple[Tensor, Tensor]]:
        def run() -> tuple[Tensor, Tensor]:
            z = model(inputs)
            return 0.5 * ((z - t) ** 2).sum(-1), z

        return run

    kw = {"lr": 0.5, "damping": 0.0, "likelihood": "gaussian"}
    opts = [optim.KFAC(plain, **kw), optim.KFAC(mapped, **kw)]
    for _ in range(3):
        opts[0].step(closure(plain, X))
        opts[1].step(closure(mapped, Xm))
    with torch.no_grad():
        torch.testing.assert_close(mapped(Xm), plain(X), rtol=1e-8, atol=1e-10)
        assert (plain(X) - _TwoLayer(W1, b1, W2, b2, eye, zero)(X)).abs().max() > 0.05

    plain = _TwoLayer(W1, b1, W2, b2, eye, zero)
    mapped = _TwoLayer(W1 @ Oinv, b1 - W1 @ Oinv @ c, W2 @ Minv, b2 - W2 @ Minv @ m, M, m)
    for model, inputs in ((plain, X), (mapped, Xm)):
        sgd = optim.SGD(model.parameters(), lr=0.05)
        sgd.zero_grad()
        closure(model, inputs)()[0].mean().backward()
        sgd.step()
    with torch.no_grad():
        assert (mapped(Xm) - plain(X)).abs().max() > 1e-3


@pytest.mark.parametrize("cls", [optim.WoodFisher, optim.NaturalGradient])
def test_empirical_fisher_steps_are_invariant_to_linear_reparametrisation(
    cls: type[torch.optim.Optimizer],
) -> None:
    """$\\theta = B\\varphi$: per-example gradients transform with $B^\\top$, so the empirical
    Fisher becomes $B^\\top\\hat F B$ and the step maps back to the same $\\Delta\\theta$ (with a
    negligible damping; with a large one it would not)."""
    gen = torch.Generator().manual_seed(6)
    X = torch.randn(30, 3, generator=gen, dtype=torch.float64)
    y = (X @ torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64) > 0).to(torch.float64)
    B = torch.randn(3, 3, generator=gen, dtype=torch.float64) + 2 * torch.eye(
        3, dtype=torch.float64
    )
    theta0 = torch.tensor([0.2, 0.1, -0.3], dtype=torch.float64)

    def final_thetas(damping: float) -> list[Tensor]:
        kw: dict = {"lr": 0.5, "damping": damping}
        if cls is optim.NaturalGradient:
            kw["fisher"] = "empirical"
        thetas = []
        for T in (torch.eye(3, dtype=torch.float64), B):
            phi = torch.nn.Parameter(torch.linalg.solve(T, theta0))
            opt = cls([phi], **kw)

            def closure(T: Tensor = T, phi: Tensor = phi) -> Tensor:
                s = X @ (T @ phi)  # (N,) logits of a logistic regression
                return torch.nn.functional.binary_cross_entropy_with_logits(s, y, reduction="none")

            for _ in range(3):
                opt.step(closure)
            thetas.append((T @ phi).detach())
        return thetas

    thetas = final_thetas(1e-10)
    # agreement up to the damping's effect (about λ/μ_min of the Fisher)
    torch.testing.assert_close(thetas[1], thetas[0], rtol=1e-5, atol=1e-7)
    damped = final_thetas(1.0)
    assert (damped[1] - damped[0]).abs().max() > 1e-3  # λI does not transform with B
    assert (thetas[0] - theta0).norm() > 0.1


def test_adadelta_ignores_the_loss_scale_up_to_eps() -> None:
    """Scaling the loss by $c$ scales $g$ by $c$ and $\\sqrt{v}$ by about $c$; $u$ is unchanged.
    With the default $\\epsilon$ the paths agree to about $\\epsilon / v$."""
    make = lambda p: optim.Adadelta(p, lr=1.0)  # noqa: E731
    base = _path(make, _loss, START, steps=40)
    scaled = _path(make, lambda t: 100.0 * _loss(t), START, steps=40)
    torch.testing.assert_close(scaled, base, rtol=1e-4, atol=1e-6)
    assert (base[-1] - base[0]).abs().max() > 1e-3
