"""The registry of every ``refimpl.nn`` model, driving one shared contract suite.

Each module in this package (one per topic: ``feedforward.py``, ``recurrent.py``, …) defines
``SPECS: list[ModelSpec]``. ``tests/nn/test_model_contract.py`` runs every spec through the
same checks; each model's own test file adds its algorithm-specific reference checks.
"""

from __future__ import annotations

import importlib
import pkgutil

from model_specs.spec import ModelSpec

__all__ = ["ModelSpec", "all_specs"]


def all_specs() -> list[ModelSpec]:
    """Every registered spec, sorted by id; ids must be unique."""
    specs: list[ModelSpec] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name != "spec":
            specs += importlib.import_module(f"{__name__}.{info.name}").SPECS
    ids = [s.id for s in specs]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate model spec ids: {duplicates}")
    return sorted(specs, key=lambda s: s.id)
