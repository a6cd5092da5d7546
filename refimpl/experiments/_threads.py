"""Run small experiments on one CPU thread.

The experiments behind the figures use tensors of a few hundred entries, for which intra-op
parallelism brings nothing; on a machine whose cores are oversubscribed it can make a batched
matmul or solve a hundred times slower. `single_thread` is a context manager and `one_thread`
a decorator that run code with `torch.set_num_threads(1)` and restore the previous setting.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

import torch

P = ParamSpec("P")
R = TypeVar("R")


@contextlib.contextmanager
def single_thread() -> Iterator[None]:
    """Run the block with ``torch.set_num_threads(1)``, restoring the previous count after."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def one_thread(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorate `fn` to run with one intra-op thread."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with single_thread():
            return fn(*args, **kwargs)

    return wrapper
