"""WhitenedLinear (Natural Neural Networks): whitening, function-preserving updates, Fisher = I."""

from __future__ import annotations

import torch

from refimpl.experiments.natural import whitened_vs_plain
from refimpl.nn import WhitenedLinear, whitening


def correlated_inputs(n: int = 2000, dim: int = 5, seed: int = 0) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    mixing = torch.randn(dim, dim, generator=gen, dtype=torch.float64)
    return torch.randn(n, dim, generator=gen, dtype=torch.float64) @ mixing + 3.0


def test_whitened_inputs_have_zero_mean_and_identity_covariance():
    x = correlated_inputs()
    c, U = whitening(x, eps=0.0)
    z = (x - c) @ U.T
    torch.testing.assert_close(z.mean(0), torch.zeros(5, dtype=torch.float64), rtol=0, atol=1e-10)
    torch.testing.assert_close(
        z.T @ z / len(z), torch.eye(5, dtype=torch.float64), rtol=0, atol=1e-10
    )
    torch.testing.assert_close(U, U.T)  # ZCA: the symmetric square root


def test_updating_the_whitening_keeps_the_function():
    torch.manual_seed(0)
    layer = WhitenedLinear(5, 3).double()
    probe = torch.randn(7, 5, dtype=torch.float64)
    before = layer(probe)
    for seed in (1, 2):  # two successive re-estimations from different data
        layer.update_whitening(correlated_inputs(seed=seed))
        torch.testing.assert_close(layer(probe), before, rtol=1e-10, atol=1e-10)
    W, b = layer.effective()
    torch.testing.assert_close(probe @ W.T + b, before)


def test_gauss_newton_matrix_of_the_whitened_parameters_is_the_identity():
    x = correlated_inputs(n=300)
    layer = WhitenedLinear(5, 1).double()
    layer.update_whitening(x, eps=0.0)

    def output(V: torch.Tensor, d: torch.Tensor) -> torch.Tensor:
        return (x - layer.c) @ layer.U.T @ V.T + d

    J_V, J_d = torch.autograd.functional.jacobian(
        output, (layer.V.detach(), layer.d.detach()), vectorize=True
    )
    J = torch.cat([J_V.reshape(len(x), -1), J_d.reshape(len(x), -1)], dim=1)  # (N, 6)
    torch.testing.assert_close(
        J.T @ J / len(x), torch.eye(6, dtype=torch.float64), rtol=0, atol=1e-10
    )


def test_whitening_turns_an_ill_conditioned_regression_into_a_one_step_problem():
    result = whitened_vs_plain()
    plain_condition, whitened_condition = result["condition"]
    assert plain_condition > 1e4
    assert abs(whitened_condition - 1.0) < 1e-8
    assert result["whitened"][1] < 1e-10  # one gradient step with γ = 1/λ_max solves it
    assert result["plain"][-1] > 1e-2
