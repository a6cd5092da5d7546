r"""Count the memory autograd keeps for the backward pass, deterministically.

Wall-clock and allocator statistics vary from run to run; the bytes of the tensors that autograd
saves for backward do not. `saved_tensor_bytes` records every tensor saved while a function runs
(through `torch.autograd.graph.saved_tensors_hooks`) and adds up the sizes of the distinct
storages, so a parameter saved by ten operations counts once. This is the memory that
backpropagation through an unrolled solver needs and implicit differentiation avoids.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

__all__ = ["saved_tensor_bytes"]


def saved_tensor_bytes(fn: Callable[[], Any]) -> tuple[Any, int]:
    """Run `fn()` and count the bytes of the distinct tensors autograd saved meanwhile.

    Args:
        fn: builds the forward computation (e.g. returns a loss); its result is returned so the
            graph stays alive while the saved tensors are counted.

    Returns:
        `(fn(), bytes)`.
    """
    storages: dict[tuple[int, torch.device], int] = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        storage = t.untyped_storage()
        storages[(storage.data_ptr(), t.device)] = storage.nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        out = fn()
    return out, sum(storages.values())
