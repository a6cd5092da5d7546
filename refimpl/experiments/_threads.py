"""Run small experiments on one CPU thread.

The experiments behind the figures use tensors of a few hundred entries, for which
intra-op parallelism brings nothing; on a machine whose cores are oversubscribed it can make a
batched matmul or solve a hundred times slower. `one_thread` runs a function with
`torch.set_num_threads(1)` and restores the previous setting afterwards.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import torch

P = ParamSpec("P")
R = TypeVar("R")


def one_thread(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorate `fn` to run with one intra-op thread."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return fn(*args, **kwargs)
        finally:
            torch.set_num_threads(before)

    return wrapper
