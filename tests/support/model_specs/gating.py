"""The UR-LSTM (Gu et al. 2020): no torch.nn counterpart, so the contract checks the rest."""

from __future__ import annotations

import torch

from model_specs.spec import ModelSpec
from refimpl.nn import URLSTM

I, H, T, B = 3, 5, 6, 4


def sequence(dtype: torch.dtype, device: torch.device) -> tuple:
    return (torch.randn(B, T, I, dtype=dtype, device=device),)


def with_state(dtype: torch.dtype, device: torch.device) -> tuple:
    h0 = torch.randn(B, H, dtype=dtype, device=device)
    c0 = torch.randn(B, H, dtype=dtype, device=device)
    return sequence(dtype, device)[0], (h0, c0)


SPECS = [
    ModelSpec(
        id="ur-lstm-batch-first", build=lambda: URLSTM(I, H, batch_first=True), inputs=sequence
    ),
    ModelSpec(
        id="ur-lstm-initial-state",
        build=lambda: URLSTM(I, H, batch_first=True),
        inputs=with_state,
    ),
]
