"""Build-time figures: one function per figure id, each returning a matplotlib Figure.

Importing this package imports every figure module, which fills `REGISTRY`. Pages embed
a figure by id as ``![caption](figure:ID)``; the ``kb`` MkDocs plugin renders it (see README).
This package needs matplotlib (the ``figures`` extra); the rest of ``refimpl`` does not.
"""

import importlib
import pkgutil

from refimpl.figures.registry import REGISTRY, FigureSpec, figure

__all__ = ["REGISTRY", "FigureSpec", "figure", "load_all"]

_NOT_FIGURE_MODULES = {"registry", "style"}


def load_all() -> dict[str, FigureSpec]:
    """Import every figure module of this package and return the filled registry."""
    for info in pkgutil.iter_modules(__path__):
        if info.name not in _NOT_FIGURE_MODULES and not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    return REGISTRY


load_all()
