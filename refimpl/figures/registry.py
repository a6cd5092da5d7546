"""The figure registry: figure id -> function returning a matplotlib Figure.

A figure function takes no arguments, is deterministic (the renderer seeds torch, NumPy and
``random`` with 0 before each call), and returns a `matplotlib.figure.Figure`. The build
calls it once per colour scheme inside a matplotlib style context, so colours taken from the
rcParams (the default text, axes and grid colours) follow the light or dark theme. Data colours
should come from `refimpl.figures.style`, whose palette reads on both.

Put expensive computation in `refimpl.experiments` behind ``functools.cache`` so the second
colour scheme reuses it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FIGURE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class FigureSpec:
    """A registered figure.

    Attributes:
        id: the figure id pages embed, lowercase words joined by hyphens.
        fn: the function that builds the figure.
        module: the module the function is defined in.
    """

    id: str
    fn: Callable[[], Figure]
    module: str


REGISTRY: dict[str, FigureSpec] = {}


def figure(fig_id: str) -> Callable[[Callable[[], Figure]], Callable[[], Figure]]:
    """Register ``fn`` under ``fig_id``.

    Args:
        fig_id: lowercase words joined by hyphens, unique across the site.

    Example:
        >>> @figure("my-plot")  # doctest: +SKIP
        ... def my_plot() -> Figure: ...
    """
    if not FIGURE_ID.match(fig_id):
        raise ValueError(f"figure id {fig_id!r} must be lowercase words joined by hyphens")

    def register(fn: Callable[[], Figure]) -> Callable[[], Figure]:
        if fig_id in REGISTRY and REGISTRY[fig_id].fn.__qualname__ != fn.__qualname__:
            raise ValueError(
                f"figure id {fig_id!r} registered twice: by {REGISTRY[fig_id].module} and "
                f"{fn.__module__}"
            )
        REGISTRY[fig_id] = FigureSpec(id=fig_id, fn=fn, module=fn.__module__)
        return fn

    return register
