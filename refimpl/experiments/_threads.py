"""A context manager running torch on one thread (small matrices; shared, loaded CPUs)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch


@contextlib.contextmanager
def single_thread() -> Iterator[None]:
    """Run the block with ``torch.set_num_threads(1)``, restoring the previous count after.

    For the small matrices of the sequence experiments, thread start-up costs more than it
    saves, and on a busy machine spinning threads can make a loop a hundred times slower.
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
