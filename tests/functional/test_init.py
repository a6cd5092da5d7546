"""Initialisers: the same draws as torch.nn.init, and the variance or orthogonality promised."""

from __future__ import annotations

import math

import pytest
import torch

from refimpl.functional import init

PAIRS = [
    (init.xavier_uniform_, torch.nn.init.xavier_uniform_, {"gain": 1.3}),
    (init.xavier_normal_, torch.nn.init.xavier_normal_, {"gain": 0.7}),
    (init.kaiming_normal_, torch.nn.init.kaiming_normal_, {"nonlinearity": "relu"}),
    (init.kaiming_uniform_, torch.nn.init.kaiming_uniform_, {"a": math.sqrt(5)}),
    (init.kaiming_normal_, torch.nn.init.kaiming_normal_, {"mode": "fan_out"}),
    (init.orthogonal_, torch.nn.init.orthogonal_, {"gain": 2.0}),
]


@pytest.mark.parametrize(("ours", "theirs", "kwargs"), PAIRS)
@pytest.mark.parametrize("shape", [(30, 20), (20, 30), (8, 4, 3, 3)])
def test_same_draws_as_torch(ours, theirs, kwargs, shape) -> None:
    a = ours(
        torch.empty(shape, dtype=torch.float64),
        generator=torch.Generator().manual_seed(5),
        **kwargs,
    )
    b = theirs(
        torch.empty(shape, dtype=torch.float64),
        generator=torch.Generator().manual_seed(5),
        **kwargs,
    )
    torch.testing.assert_close(a, b, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "selu"])
def test_gain_matches_torch(name: str) -> None:
    assert init.calculate_gain(name) == pytest.approx(torch.nn.init.calculate_gain(name))
    assert init.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))


def empirical_var(fill, shape, **kwargs) -> float:
    w = fill(
        torch.empty(shape, dtype=torch.float64),
        generator=torch.Generator().manual_seed(0),
        **kwargs,
    )
    return w.var().item()


def test_glorot_variance() -> None:
    # Var = 2 / (n_in + n_out); weight shape is (out, in)
    out, inp = 300, 500
    for fill in (init.xavier_uniform_, init.xavier_normal_):
        assert empirical_var(fill, (out, inp)) == pytest.approx(2 / (inp + out), rel=0.02)


def test_he_variance() -> None:
    out, inp = 300, 500
    for fill in (init.kaiming_normal_, init.kaiming_uniform_):
        v = empirical_var(fill, (out, inp), nonlinearity="relu")
        assert v == pytest.approx(2 / inp, rel=0.02)
        v = empirical_var(fill, (out, inp), nonlinearity="relu", mode="fan_out")
        assert v == pytest.approx(2 / out, rel=0.02)


def test_glorot_uniform_bound() -> None:
    w = init.xavier_uniform_(torch.empty(40, 60))
    assert w.abs().max() <= math.sqrt(6 / 100)


@pytest.mark.parametrize("shape", [(50, 50), (80, 30), (30, 80)])
def test_orthogonal(shape: tuple[int, int]) -> None:
    g = 1.7
    W = init.orthogonal_(torch.empty(shape, dtype=torch.float64), gain=g)
    small = min(shape)
    gram = W.T @ W if shape[0] >= shape[1] else W @ W.T
    torch.testing.assert_close(gram, g**2 * torch.eye(small, dtype=torch.float64))
    # all singular values equal the gain: the map preserves norms (up to g)
    s = torch.linalg.svdvals(W)
    torch.testing.assert_close(s, torch.full_like(s, g))


def test_errors() -> None:
    with pytest.raises(ValueError):
        init.xavier_uniform_(torch.empty(5))
    with pytest.raises(ValueError):
        init.kaiming_normal_(torch.empty(3, 3), mode="fan_middle")
    with pytest.raises(ValueError):
        init.calculate_gain("swish")
