"""Shared test setup: make ``tests/support`` importable and keep plots off-screen."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, str(Path(__file__).parent / "support"))


@pytest.fixture(scope="module")
def one_thread():
    """Run a module's tests on one thread (`refimpl.experiments._threads.single_thread`): tiny
    models gain nothing from threads, and on a busy machine threads cost a lot. Use with
    ``pytestmark = pytest.mark.usefixtures("one_thread")``."""
    from refimpl.experiments._threads import single_thread

    with single_thread():
        yield
