"""Image captioners: the CNN encoder, Show and Tell, Show, Attend and Tell."""

from __future__ import annotations

import torch

from model_specs.spec import ModelSpec
from refimpl import nn as rnn


def _images(dtype: torch.dtype, device: torch.device) -> tuple:
    return (torch.rand(2, 3, 12, 12, dtype=dtype, device=device),)


def _images_and_tokens(dtype: torch.dtype, device: torch.device) -> tuple:
    tokens = torch.randint(0, 7, (2, 4), device=device)
    return (*_images(dtype, device), tokens)


SPECS: list[ModelSpec] = [
    ModelSpec(id="conv-encoder", build=lambda: rnn.ConvEncoder(3, 5, pool=6), inputs=_images),
    ModelSpec(
        id="show-and-tell",
        build=lambda: rnn.ShowAndTell(7, 6, 8, grid_size=4, channels=5, pool=6),
        inputs=_images_and_tokens,
    ),
    ModelSpec(
        id="show-attend-tell",
        build=lambda: rnn.ShowAttendTell(7, 6, 8, attention_size=4, channels=5, pool=6),
        inputs=_images_and_tokens,
    ),
]
