"""MLP: any depth and activation; equal to a torch Sequential with the same weights."""

from __future__ import annotations

import pytest
import torch

from refimpl.nn import MLP, Linear


@pytest.mark.parametrize("sizes", [[4, 1], [4, 7, 1], [4, 7, 7, 7, 7, 3]])
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "gelu"])
def test_matches_torch_sequential(sizes: list[int], activation: str) -> None:
    torch.manual_seed(0)
    net = MLP(sizes, activation=activation, dtype=torch.float64)
    act = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid}
    act["gelu"] = torch.nn.GELU
    layers: list[torch.nn.Module] = []
    for lin in net.linear_layers():
        ref = torch.nn.Linear(lin.in_features, lin.out_features, dtype=torch.float64)
        ref.load_state_dict(lin.state_dict())
        layers += [ref, act[activation]()]
    reference = torch.nn.Sequential(*layers[:-1])
    x = torch.randn(10, sizes[0], dtype=torch.float64)
    torch.testing.assert_close(net(x), reference(x), rtol=1e-12, atol=1e-14)
    assert len(net.linear_layers()) == len(sizes) - 1


def test_linear_default_init_bound() -> None:
    # torch.nn.Linear's default: U[−1/√n_in, 1/√n_in] for weight and bias
    torch.manual_seed(0)
    layer = Linear(400, 300)
    bound = 1 / 400**0.5
    assert layer.weight.abs().max() <= bound and layer.bias.abs().max() <= bound
    # variance of U[−a, a] is a²/3
    assert layer.weight.var().item() == pytest.approx(bound**2 / 3, rel=0.02)


def test_linear_same_draws_as_torch() -> None:
    torch.manual_seed(3)
    ours = Linear(5, 4)
    torch.manual_seed(3)
    theirs = torch.nn.Linear(5, 4)
    torch.testing.assert_close(ours.weight, theirs.weight, rtol=0, atol=0)
    torch.testing.assert_close(ours.bias, theirs.bias, rtol=0, atol=0)


def test_from_torch_rejects_other_structures() -> None:
    with pytest.raises(ValueError):
        MLP.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU()))
    with pytest.raises(ValueError):
        MLP([3], activation="relu")
    with pytest.raises(ValueError):
        MLP([3, 2], activation="swish")
