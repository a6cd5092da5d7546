"""Render one registered figure to SVG, in a worker process.

This module is what the worker pool runs; it is the only part of ``kb`` that imports torch,
matplotlib and ``refimpl.figures``, and it does so once per worker (in `init_worker`).
Every figure is rendered under each colour scheme of `refimpl.figures.style`, with all
random generators seeded, and saved as SVG without a date or creator so that the bytes are the
same on every build.
"""

from __future__ import annotations

import io
import os
import random
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

#: Bumped when the rendering itself changes in a way that should invalidate every cached SVG.
RENDER_VERSION = "1"


@dataclass(frozen=True)
class RenderResult:
    """What a worker reports for one figure."""

    fig_id: str
    seconds: float
    error: str | None = None


def init_worker() -> None:
    """Import torch, matplotlib and the figure registry once; one thread per worker."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    import matplotlib

    matplotlib.use("Agg")
    import torch

    torch.set_num_threads(1)
    import refimpl.figures  # noqa: F401  (fills the registry)


def _seed_everything() -> None:
    import numpy as np
    import torch

    random.seed(0)
    np.random.seed(0)
    torch.manual_seed(0)


def render_svg(fig_id: str, scheme: str) -> bytes:
    """Call the figure function of ``fig_id`` under ``scheme`` and return its SVG bytes."""
    import matplotlib as mpl
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    from refimpl.figures import REGISTRY
    from refimpl.figures.style import SCHEMES

    spec = REGISTRY[fig_id]
    _seed_everything()
    with mpl.rc_context(SCHEMES[scheme]):
        fig = spec.fn()
        if not isinstance(fig, Figure):
            raise TypeError(f"figure function returned {type(fig).__name__}, not a Figure")
        buf = io.BytesIO()
        fig.savefig(
            buf,
            format="svg",
            bbox_inches="tight",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    plt.close(fig)
    return buf.getvalue()


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def render_to(fig_id: str, outputs: dict[str, str]) -> RenderResult:
    """Render ``fig_id`` once per scheme into ``outputs`` (scheme -> path); never raises."""
    start = time.perf_counter()
    try:
        rendered = {scheme: render_svg(fig_id, scheme) for scheme in outputs}
        for scheme, data in rendered.items():
            _write_atomic(Path(outputs[scheme]), data)
    except Exception as exc:
        detail = "".join(traceback.format_exception(exc)).rstrip()
        return RenderResult(fig_id, time.perf_counter() - start, f"{exc!r}\n{detail}")
    return RenderResult(fig_id, time.perf_counter() - start)
