"""Generative models in the shared model contract (no torch counterparts)."""

from __future__ import annotations

import torch

from model_specs.spec import ModelSpec
from refimpl import nn


def points(dim: int = 2, batch: int = 5):
    def make(dtype: torch.dtype, device: torch.device) -> tuple:
        return (torch.randn(batch, dim, dtype=dtype, device=device),)

    return make


def points_and_steps(dtype: torch.dtype, device: torch.device) -> tuple:
    return (
        torch.randn(5, 2, dtype=dtype, device=device),
        torch.randint(1, 21, (5,), device=device),
    )


def both(output: tuple) -> torch.Tensor:
    """The output and its log-determinant (or code) in one vector."""
    return torch.cat([t.flatten() for t in output])


SPECS = [
    ModelSpec(
        id="autoencoder-tanh", build=lambda: nn.Autoencoder((3, 8, 2), "tanh"), inputs=points(3)
    ),
    ModelSpec(
        id="autoencoder-linear", build=lambda: nn.Autoencoder((4, 2), None), inputs=points(4)
    ),
    ModelSpec(id="realnvp", build=lambda: nn.RealNVP(2, 4, 8), inputs=points(), output=both),
    ModelSpec(id="realnvp-3d", build=lambda: nn.RealNVP(3, 3, 8), inputs=points(3), output=both),
    ModelSpec(id="ddpm", build=lambda: nn.DDPM(2, steps=20), inputs=points_and_steps),
]
