"""Run small torch computations on one thread.

The experiments here are many tiny operations (a 2-D toy problem, a 3 × 3 network), where
torch's intra-op thread pool costs more in synchronisation than it saves, badly so on a busy
machine. `single_thread` sets one thread for the block and restores the previous setting.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch


@contextlib.contextmanager
def single_thread() -> Iterator[None]:
    """Run the block with ``torch.set_num_threads(1)``, restoring the old count afterwards."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)
