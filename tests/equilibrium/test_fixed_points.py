"""Fixed-point solvers and implicit gradients against independent references.

References: a linear map whose fixed point has a closed form; torch.autograd.gradcheck (finite
differences, float64); autograd through a long unrolled iteration; the dense adjoint solve.
"""

from __future__ import annotations

import itertools

import pytest
import torch

from refimpl.equilibrium import (
    anderson,
    fixed_point_iteration,
    implicit_fixed_point,
    recurrent_backprop,
    saved_tensor_bytes,
    unrolled_fixed_point,
)
from refimpl.nn import DEQ, EquilibriumRNN

F64 = torch.float64


def linear_problem(n: int = 6, rho: float = 0.8):
    """z = A z + c with a spectral radius rho < 1: z* = (I - A)^{-1} c."""
    gen = torch.Generator().manual_seed(0)
    A = torch.randn(n, n, generator=gen, dtype=F64)
    A = rho * A / torch.linalg.matrix_norm(A, ord=2)
    c = torch.randn(2, n, generator=gen, dtype=F64)
    exact = torch.linalg.solve(torch.eye(n, dtype=F64) - A, c.T).T
    return (lambda z: z @ A.T + c), exact


@pytest.mark.parametrize("solver", [fixed_point_iteration, anderson])
def test_solvers_find_the_closed_form_fixed_point_of_a_linear_map(solver):
    f, exact = linear_problem()
    result = solver(f, torch.zeros_like(exact), tol=1e-13, max_iter=1000)
    torch.testing.assert_close(result.z, exact, rtol=1e-11, atol=1e-11)
    assert result.residuals[-1] <= 1e-13


def test_plain_iteration_contracts_at_the_spectral_radius():
    f, exact = linear_problem(rho=0.8)
    result = fixed_point_iteration(f, torch.zeros_like(exact), tol=1e-14, max_iter=1000)
    res = torch.tensor(result.residuals[5:40])
    rates = res[1:] / res[:-1]
    # the residual ratio approaches the spectral radius, which the operator norm 0.8 bounds
    assert float(rates.max()) <= 0.8 + 1e-6


def test_anderson_needs_fewer_steps_than_plain_iteration_on_a_symmetric_problem():
    torch.manual_seed(0)
    model = EquilibriumRNN(4, 32).double()
    with torch.no_grad():
        W = model.weight_hh + model.weight_hh.T
        model.weight_hh.copy_(0.95 * W / torch.linalg.eigvalsh(W).abs().max())
    x = 0.3 * torch.randn(3, 4, dtype=F64)
    z0 = torch.zeros(3, 32, dtype=F64)
    plain = fixed_point_iteration(lambda z: model.cell(z, x), z0, tol=1e-12, max_iter=2000)
    fast = anderson(lambda z: model.cell(z, x), z0, m=5, tol=1e-12)
    torch.testing.assert_close(fast.z, plain.z, rtol=1e-10, atol=1e-10)
    assert fast.iterations < plain.iterations / 2


def small_rnn(backward: str = "solve") -> tuple[EquilibriumRNN, torch.Tensor]:
    torch.manual_seed(0)
    model = EquilibriumRNN(3, 5, backward=backward).double()
    x = torch.randn(2, 3, dtype=F64, requires_grad=True)
    return model, x


@pytest.mark.parametrize("backward", ["solve", "iterate"])
def test_implicit_gradients_pass_gradcheck(backward):
    model, x = small_rnn(backward)
    params = tuple(model.parameters())
    assert torch.autograd.gradcheck(lambda x, *p: model(x), (x, *params))


def test_implicit_gradients_equal_gradients_through_a_long_unrolled_iteration():
    model, x = small_rnn()
    weights = torch.randn(2, 5, dtype=F64, generator=torch.Generator().manual_seed(1))
    params = (x, *model.parameters())
    implicit = torch.autograd.grad((model(x) * weights).sum(), params)
    z0 = torch.zeros(2, 5, dtype=F64)
    unrolled_out = unrolled_fixed_point(model.cell, x, z0, steps=300)
    unrolled = torch.autograd.grad((unrolled_out * weights).sum(), params)
    for a, b in zip(implicit, unrolled, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-12)


def test_recurrent_backprop_equals_implicit_differentiation():
    model, x = small_rnn()
    x = x.detach()
    weights = torch.randn(2, 5, dtype=F64, generator=torch.Generator().manual_seed(1))
    params = list(model.parameters())
    implicit = torch.autograd.grad((model(x) * weights).sum(), params)
    with torch.no_grad():
        z_star = model(x)
    rbp, adjoint = recurrent_backprop(model.cell, z_star, x, params, weights, tol=1e-14)
    for a, b in zip(implicit, rbp, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-12)
    assert adjoint.residuals[-1] <= 1e-14


def test_layered_weights_reproduce_a_feedforward_network():
    """Strictly block-lower-triangular W: the fixed point is the MLP forward pass (torch.nn)."""
    torch.manual_seed(0)
    sizes = (4, 6, 5, 3)
    mlp = [torch.nn.Linear(a, b).double() for a, b in itertools.pairwise(sizes)]
    H = sum(sizes[1:])
    model = EquilibriumRNN(sizes[0], H, solver="iteration").double()
    with torch.no_grad():
        model.weight_hh.zero_()
        model.weight_ih.zero_()
        model.weight_ih[: sizes[1]] = mlp[0].weight
        model.bias.copy_(torch.cat([layer.bias for layer in mlp]))
        start = 0
        for layer, (a, b) in zip(mlp[1:], itertools.pairwise(sizes[1:]), strict=True):
            model.weight_hh[start + a : start + a + b, start : start + a] = layer.weight
            start += a
    x = torch.randn(7, 4, dtype=F64)
    h, expected = x, []
    for layer in mlp:
        h = torch.tanh(layer(h))
        expected.append(h)
    torch.testing.assert_close(model(x), torch.cat(expected, 1), rtol=1e-12, atol=1e-12)
    # the plain iteration reaches it exactly after (number of layers) steps
    z = unrolled_fixed_point(model.cell, x, torch.zeros(7, H, dtype=F64), steps=len(mlp))
    torch.testing.assert_close(z, torch.cat(expected, 1), rtol=0, atol=0)


class TanhLayer(torch.nn.Module):
    def __init__(self, hidden: int, inputs: int) -> None:
        super().__init__()
        self.lin_z = torch.nn.Linear(hidden, hidden)
        self.lin_x = torch.nn.Linear(inputs, hidden, bias=False)
        with torch.no_grad():
            self.lin_z.weight.mul_(0.5)

    def forward(self, z: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.lin_z(z) + self.lin_x(x))


def test_deq_gradients_match_finite_differences():
    torch.manual_seed(0)
    deq = DEQ(TanhLayer(4, 3), hidden_size=4).double()
    x = torch.randn(2, 3, dtype=F64, requires_grad=True)
    params = tuple(deq.parameters())
    assert torch.autograd.gradcheck(lambda x, *p: deq(x), (x, *params))


def test_implicit_memory_does_not_grow_with_iterations():
    model, x = small_rnn()
    x = x.detach()
    z0 = torch.zeros(2, 5, dtype=F64)

    def unrolled(k):
        return saved_tensor_bytes(lambda: unrolled_fixed_point(model.cell, x, z0, k).sum())[1]

    def implicit():
        f = model.cell
        out = lambda: implicit_fixed_point(f, x, z0, tuple(model.parameters())).sum()  # noqa: E731
        return saved_tensor_bytes(out)[1]

    assert unrolled(20) > unrolled(10) > unrolled(5)
    # every unrolled step stores its activations: the growth is linear
    assert unrolled(20) - unrolled(10) == 2 * (unrolled(10) - unrolled(5))
    assert implicit() < unrolled(5)


def test_unknown_options_are_refused():
    model, x = small_rnn()
    model.solver = "broyden"
    with pytest.raises(ValueError, match="solver"):
        model(x)
    with pytest.raises(ValueError, match="backward"):
        implicit_fixed_point(model.cell, x, torch.zeros(2, 5, dtype=F64), (), backward="x")
