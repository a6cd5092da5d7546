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
