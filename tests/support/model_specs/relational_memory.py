"""The relational memory core (Santoro et al. 2018), with each gate style."""

from __future__ import annotations

import torch

from model_specs.spec import ModelSpec
from refimpl import nn as rnn


def _sequence(dtype: torch.dtype, device: torch.device) -> tuple:
    return (torch.randn(3, 4, 5, dtype=dtype, device=device),)


SPECS: list[ModelSpec] = [
    ModelSpec(
        id=f"relational-memory-{style or 'ungated'}",
        build=lambda style=style: rnn.RelationalMemory(5, 3, 4, 2, gate_style=style),
        inputs=_sequence,
    )
    for style in ("unit", "memory", None)
]
