"""Multiplicative-interaction layers in the shared model contract."""

from __future__ import annotations

import torch

from model_specs.spec import ModelSpec
from refimpl import nn


def x_and_z(dtype: torch.dtype, device: torch.device) -> tuple:
    return (
        torch.randn(4, 3, dtype=dtype, device=device),
        torch.randn(4, 5, dtype=dtype, device=device),
    )


SPECS = [
    ModelSpec(
        id="multiplicative-interaction",
        build=lambda: nn.MultiplicativeInteraction(3, 5, 4),
        inputs=x_and_z,
    ),
    ModelSpec(
        id="multiplicative-interaction-no-bias",
        build=lambda: nn.MultiplicativeInteraction(3, 5, 2, bias=False),
        inputs=x_and_z,
    ),
    ModelSpec(
        id="sigma-pi",
        build=lambda: nn.SigmaPi(3, 4),
        inputs=lambda d, dev: (torch.randn(2, 6, 3, dtype=d, device=dev),),
    ),
]
