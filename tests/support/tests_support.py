"""Helpers shared by several test files."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType


def public_names(package: ModuleType) -> list[str]:
    """Dotted names of everything a subpackage of ``package`` exports in ``__all__``.

    ``refimpl.optim.SGD`` is reported as ``refimpl.optim.SGD``: the API pages must show each
    such name under its public path.
    """
    names: list[str] = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_") or info.name == "figures":
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if isinstance(obj, ModuleType):
                continue
            names.append(f"{module.__name__}.{name}")
    return sorted(names)


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the built site, as URL paths relative to the root."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith("assets/"):
            continue
        pages.append(rel.removesuffix("index.html"))
    return pages


def figure_svg(fig_id: str, scheme: str = "light") -> bytes:
    """Render the registered figure ``fig_id`` in a colour scheme to SVG bytes, as the build does.

    Importing matplotlib here keeps it out of test files that do not draw.
    """
    import io

    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    from refimpl.figures import REGISTRY
    from refimpl.figures.style import SCHEMES

    with mpl.rc_context(SCHEMES[scheme]):
        fig = REGISTRY[fig_id].fn()
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
        plt.close(fig)
    return buf.getvalue()
