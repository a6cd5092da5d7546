"""Shared test setup: make ``tests/support`` importable and keep plots off-screen."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, str(Path(__file__).parent / "support"))
