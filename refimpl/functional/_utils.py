"""Small helpers shared by the pure update rules."""

from __future__ import annotations

from torch import Tensor


def scalar(x: float | Tensor) -> float:
    """A Python number from a float or a one-element tensor (as torch.optim treats ``lr``)."""
    return x.item() if isinstance(x, Tensor) else x
