"""Helpers shared by the optimizer classes: torch's argument checks and step counters."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch
from torch import Tensor

Params = Iterable[Tensor] | Iterable[dict[str, Any]] | Iterable[tuple[str, Tensor]]


def check_lr(lr: float | Tensor) -> None:
    """Raise ``ValueError`` for a negative or multi-element learning rate, as torch does."""
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")


def check_nonnegative(value: float, what: str) -> None:
    """Raise ``ValueError(f"Invalid {what}: {value}")`` for a negative value, as torch does."""
    if not 0.0 <= value:
        raise ValueError(f"Invalid {what}: {value}")


def new_step() -> Tensor:
    """A step counter as torch.optim keeps it: a CPU scalar tensor of the default float type."""
    dtype = torch.float64 if torch.get_default_dtype() == torch.float64 else torch.float32
    return torch.tensor(0.0, dtype=dtype)


def step_as_tensor(state: dict[Any, dict[str, Any]]) -> None:
    """Turn plain-number ``step`` entries of a loaded state into tensors (old checkpoints)."""
    for p_state in state.values():
        if "step" in p_state and not torch.is_tensor(p_state["step"]):
            step = new_step()
            step.fill_(float(p_state["step"]))
            p_state["step"] = step
