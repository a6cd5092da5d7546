"""Feed-forward models with parameters: linear layers and MLPs.

The parameter-free activation modules are checked against torch in ``tests/nn/test_activations.py``
(the contract needs parameters to take gradients of).
"""

from __future__ import annotations

import torch

import refimpl.nn as rnn
from model_specs.spec import ModelSpec


def _x(*shape: int):
    def inputs(dtype: torch.dtype, device: torch.device) -> tuple:
        return (torch.randn(*shape, dtype=dtype, device=device),)

    return inputs


def _torch_mlp(act: type[torch.nn.Module]):
    def build() -> torch.nn.Module:
        return torch.nn.Sequential(
            torch.nn.Linear(3, 8), act(), torch.nn.Linear(8, 8), act(), torch.nn.Linear(8, 2)
        )

    return build


SPECS = [
    ModelSpec(
        id="linear",
        build=lambda: rnn.Linear(4, 3),
        inputs=_x(5, 4),
        torch_counterpart=lambda: torch.nn.Linear(4, 3),
    ),
    ModelSpec(
        id="linear-no-bias-3d-input",
        build=lambda: rnn.Linear(4, 3, bias=False),
        inputs=_x(2, 5, 4),
        torch_counterpart=lambda: torch.nn.Linear(4, 3, bias=False),
    ),
    ModelSpec(
        id="mlp-relu",
        build=lambda: rnn.MLP([3, 8, 8, 2], activation="relu"),
        inputs=_x(6, 3),
        torch_counterpart=_torch_mlp(torch.nn.ReLU),
    ),
    ModelSpec(
        id="mlp-tanh",
        build=lambda: rnn.MLP([3, 8, 8, 2], activation="tanh"),
        inputs=_x(6, 3),
        torch_counterpart=_torch_mlp(torch.nn.Tanh),
    ),
    ModelSpec(
        id="mlp-gelu",
        build=lambda: rnn.MLP([3, 8, 8, 2], activation="gelu"),
        inputs=_x(6, 3),
        torch_counterpart=_torch_mlp(torch.nn.GELU),
    ),
]

SPECS += [
    ModelSpec(
        id="deep-linear-3-layers",
        build=lambda: rnn.DeepLinearNetwork([4, 6, 5, 3]),
        inputs=_x(7, 4),
    ),
    ModelSpec(
        id="polynomial-regression-degree-3",
        build=lambda: rnn.PolynomialRegression(3),
        inputs=_x(9),
    ),
]

SPECS += [
    ModelSpec(
        id="batchnorm1d-eval",
        build=lambda: rnn.BatchNorm1d(5),
        inputs=_x(8, 5),
        torch_counterpart=lambda: torch.nn.BatchNorm1d(5),
    ),
    ModelSpec(
        id="batchnorm1d-train-3d",
        build=lambda: rnn.BatchNorm1d(4, momentum=0.3),
        inputs=_x(6, 4, 7),
        torch_counterpart=lambda: torch.nn.BatchNorm1d(4, momentum=0.3),
        train_mode=True,
    ),
    ModelSpec(
        id="batchnorm2d-train",
        build=lambda: rnn.BatchNorm2d(3),
        inputs=_x(4, 3, 5, 5),
        torch_counterpart=lambda: torch.nn.BatchNorm2d(3),
        train_mode=True,
    ),
    ModelSpec(
        id="layernorm-2d-shape",
        build=lambda: rnn.LayerNorm((4, 5)),
        inputs=_x(3, 4, 5),
        torch_counterpart=lambda: torch.nn.LayerNorm((4, 5)),
    ),
    ModelSpec(
        id="layernorm-no-bias",
        build=lambda: rnn.LayerNorm(6, bias=False),
        inputs=_x(3, 6),
        torch_counterpart=lambda: torch.nn.LayerNorm(6, bias=False),
    ),
    ModelSpec(
        id="ws-linear",
        build=lambda: rnn.WSLinear(6, 4),
        inputs=_x(5, 6),
    ),
]
