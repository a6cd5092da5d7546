"""Flop counts against closed forms: a linear layer's passes, the factorisation formulas, reruns."""

from __future__ import annotations

import pytest
import torch

from refimpl.diagnostics import count_flops, step_flops
from refimpl.optim import SGD, SaddleFreeNewton

aten = torch.ops.aten


def _spd(n: int, seed: int = 0) -> torch.Tensor:
    A = torch.randn(n, n, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))
    return A @ A.mT + n * torch.eye(n, dtype=torch.float64)


@pytest.mark.parametrize("input_grad", [False, True])
def test_linear_layer_forward_and_backward(input_grad: bool) -> None:
    """$y = xW^\\top + b$, $L = \\sum y$: each matrix product is $2 B\\,d_{in} d_{out}$ flops
    (forward, $\\nabla_W$, and $\\nabla_x$ when $x$ needs it), each sum $B\\,d_{out}$ (the loss,
    $\\nabla_b$)."""
    B, d_in, d_out = 5, 3, 4
    layer = torch.nn.Linear(d_in, d_out, dtype=torch.float64)
    x = torch.randn(B, d_in, dtype=torch.float64, requires_grad=input_grad)
    _, flops = count_flops(lambda: layer(x).sum().backward())
    products = 3 if input_grad else 2
    assert flops == products * 2 * B * d_in * d_out + 2 * B * d_out


def test_two_layer_network_matches_the_closed_form() -> None:
    """Forward $2B(d_0 d_1 + d_1 d_2)$, backward twice that less the input gradient, plus the
    elementwise work as autograd does it, counted by hand (ReLU's comparisons are free)."""
    B, d0, d1, d2 = 7, 2, 5, 3
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(d0, d1), torch.nn.ReLU(), torch.nn.Linear(d1, d2)
    ).double()
    x = torch.randn(B, d0, dtype=torch.float64)
    _, flops = count_flops(lambda: (net(x) ** 2).mean().backward())
    matmuls = 2 * B * (d0 * d1 + d1 * d2) + 2 * B * (d0 * d1 + 2 * d1 * d2)
    # forward: the square and the mean, B·d2 each; backward: the mean's divide, the square's
    # derivative 2·y¹·g (a power and two multiplies), the bias gradients' sums over the batch
    elementwise = 2 * B * d2 + (B * d2 + 3 * B * d2) + (B * d2 + B * d1)
    assert flops == matmuls + elementwise


def test_eigh_counts_the_symmetric_qr_formula() -> None:
    n = 6
    A = _spd(n)
    assert count_flops(torch.linalg.eigh, A)[1] == 9 * n**3
    assert count_flops(aten._linalg_eigh, A, "L", False)[1] == 4 * n**3 // 3
    batch = torch.stack([A, A, A])
    assert count_flops(torch.linalg.eigh, batch)[1] == 3 * 9 * n**3


@pytest.mark.parametrize("k", [1, 2, 5])
def test_solve_counts_lu_and_two_triangular_solves(k: int) -> None:
    n = 6
    A, b = _spd(n), torch.ones(n, k, dtype=torch.float64)
    assert count_flops(torch.linalg.solve, A, b)[1] == 2 * n**3 // 3 + 2 * n**2 * k
    if k == 1:  # a vector right-hand side counts as one column
        assert count_flops(torch.linalg.solve, A, b[:, 0])[1] == 2 * n**3 // 3 + 2 * n**2


def test_the_other_factorisations() -> None:
    n, k = 6, 2
    A, b = _spd(n), torch.ones(n, k, dtype=torch.float64)
    L = torch.linalg.cholesky(A)
    assert count_flops(torch.linalg.cholesky, A)[1] == n**3 // 3
    assert count_flops(torch.cholesky_solve, b, L)[1] == 2 * n**2 * k
    assert count_flops(torch.linalg.inv, A)[1] == 2 * n**3
    assert count_flops(torch.linalg.solve_triangular, L, b, upper=False)[1] == n**2 * k
    assert count_flops(torch.mv, A, b[:, 0])[1] == 2 * n**2
    assert count_flops(torch.dot, b[:, 0], b[:, 1])[1] == 2 * n


def _sgd_step() -> int:
    torch.manual_seed(0)
    net = torch.nn.Linear(3, 2, dtype=torch.float64)
    x = torch.randn(4, 3, dtype=torch.float64)
    opt = SGD(net.parameters(), lr=0.1)

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = net(x).pow(2).sum()
        loss.backward()
        return loss

    return step_flops(opt, closure)[1]


def test_step_flops_counts_the_closure_and_the_update() -> None:
    """SGD on a 3→2 linear layer, B = 4: the layer's passes, the square and its derivative,
    the sums, and the update $\\theta \\leftarrow \\theta - \\gamma g$ (one fused ``add`` per
    parameter)."""
    B, d_in, d_out, d = 4, 3, 2, 8
    layer = 2 * (2 * B * d_in * d_out) + 2 * B * d_out  # forward and ∇W; loss and ∇b sums
    square = B * d_out + 3 * B * d_out  # y², then 2·y¹·g
    assert _sgd_step() == layer + square + d


def test_counts_are_the_same_on_every_run() -> None:
    assert _sgd_step() == _sgd_step()

    def newton_step() -> int:
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
        net = net.double()
        x = torch.randn(5, 2, dtype=torch.float64)
        opt = SaddleFreeNewton(net.parameters(), lr=0.5, damping=0.1)
        return step_flops(opt, lambda: net(x).pow(2).mean())[1]

    first = newton_step()
    assert first == newton_step()
    assert first > 9 * 13**3  # the eigendecomposition of the 13 × 13 Hessian alone
