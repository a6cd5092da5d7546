"""Run the diagnostics tests on one thread: their models are tiny."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="module")
def _diagnostics_on_one_thread(one_thread):
    """Every test of the package uses the shared ``one_thread`` fixture."""
    yield
