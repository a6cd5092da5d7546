"""What the contract suite needs to know about one model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch


def first_tensor(output: Any) -> torch.Tensor:
    """The output tensor the contract compares: the output itself, or the first of a tuple."""
    while isinstance(output, tuple | list):
        output = output[0]
    return output


@dataclass(frozen=True)
class ModelSpec:
    """One model in the contract suite.

    Attributes:
        id: a unique name for test ids, e.g. ``"lstm-2layer-batch-first"``.
        build: returns the refimpl module (float32 parameters, any seed).
        inputs: ``inputs(dtype, device)`` returns the positional arguments of ``forward``.
        torch_counterpart: for layers torch.nn also has, returns the torch module configured the
            same way; the suite then checks ``type(build()).from_torch(module)`` matches it in
            value and gradient (float64, ≤1e-10 relative) and has the same ``state_dict`` keys.
        output: picks the tensor to compare from what ``forward`` returns.
        train_mode: run the checks in training mode (off for models with dropout-like noise).
        unused_parameters: names of parameters that legitimately get no gradient.
    """

    id: str
    build: Callable[[], torch.nn.Module]
    inputs: Callable[[torch.dtype, torch.device], tuple]
    torch_counterpart: Callable[[], torch.nn.Module] | None = None
    output: Callable[[Any], torch.Tensor] = first_tensor
    train_mode: bool = False
    unused_parameters: frozenset[str] = field(default_factory=frozenset)
