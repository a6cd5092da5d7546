"""Defer mkdocs-jupyter's heavy imports until a notebook actually has to be converted.

mkdocs-jupyter imports nbconvert and jupytext when the plugin loads (about 0.3 s), although a
build whose notebooks are all cached never calls them. Before mkdocs-jupyter is imported (the
``kb`` plugin is listed first in ``mkdocs.yml``, so MkDocs imports it first), each of those
modules is registered in ``sys.modules`` as a stand-in that imports the real module on its first
attribute access, i.e. on a cache miss, and forwards to it from then on. Nothing else changes.
(`importlib.util.LazyLoader` cannot do this: a later ``import name`` statement reads the
module's ``__spec__``, which makes it load.)
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any

DEFERRED = ("jupytext", "mkdocs_jupyter.convert")


class DeferredModule(ModuleType):
    """Stands in for a module until one of its attributes is used."""

    def __getattr__(self, attr: str) -> Any:
        real = self.__dict__.get("_real")
        if real is None:
            name = self.__name__
            if sys.modules.get(name) is self:
                del sys.modules[name]
            real = importlib.import_module(name)
            self.__dict__["_real"] = real
            parent, _, child = name.rpartition(".")
            if parent and getattr(sys.modules.get(parent), child, None) is self:
                setattr(sys.modules[parent], child, real)
        return getattr(real, attr)


def defer(name: str) -> bool:
    """Put a stand-in for ``name`` in ``sys.modules``; False if it is imported or absent."""
    if name in sys.modules:
        return False
    spec = importlib.util.find_spec(name)
    if spec is None:
        return False
    stand_in = DeferredModule(name)
    stand_in.__spec__ = spec
    sys.modules[name] = stand_in
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, stand_in)
    return True


def defer_notebook_imports() -> None:
    """Defer every module of `DEFERRED` that is installed and not yet imported."""
    for name in DEFERRED:
        try:
            defer(name)
        except (ImportError, ValueError):
            continue
