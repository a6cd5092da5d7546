"""Colours and matplotlib styles shared by every figure.

The site has a light and a dark colour scheme; the build renders each figure once under
`LIGHT` and once under `DARK`. Both keep a transparent background, so the page
colour shows through, and only the foreground (text, axes, grid) changes. `PALETTE` holds
data colours chosen to read on white and on Material's slate background alike (Okabe–Ito hues,
with the darkest blue lightened).
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl

#: Data colours, readable on both schemes; also installed as the default colour cycle.
PALETTE: tuple[str, ...] = (
    "#3d8fd6",  # blue
    "#e69f00",  # orange
    "#009e73",  # green
    "#d55e00",  # vermillion
    "#cc79a7",  # purple
    "#56b4e9",  # sky
    "#999999",  # grey
)

_COMMON: dict[str, Any] = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.transparent": True,
    "axes.prop_cycle": mpl.cycler(color=list(PALETTE)),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.linewidth": 0.6,
    "lines.linewidth": 1.8,
    "font.size": 11,
    "legend.frameon": False,
    "image.cmap": "viridis",
    # Deterministic SVG: text as paths (no font dependency) and fixed element ids.
    "svg.fonttype": "path",
    "svg.hashsalt": "inductive-bias",
    "path.simplify": True,
}


def _scheme(fg: str, grid: str) -> dict[str, Any]:
    return {
        **_COMMON,
        "text.color": fg,
        "axes.labelcolor": fg,
        "axes.edgecolor": fg,
        "axes.titlecolor": fg,
        "xtick.color": fg,
        "ytick.color": fg,
        "xtick.labelcolor": fg,
        "ytick.labelcolor": fg,
        "grid.color": grid,
        "legend.labelcolor": fg,
        "patch.edgecolor": fg,
    }


#: rcParams of the light scheme (dark text on the white page).
LIGHT: dict[str, Any] = _scheme(fg="#1f2328", grid="#d0d4da")
#: rcParams of the dark scheme (light text on Material's slate page).
DARK: dict[str, Any] = _scheme(fg="#e3e6eb", grid="#3d4350")

SCHEMES: dict[str, dict[str, Any]] = {"light": LIGHT, "dark": DARK}


def foreground() -> str:
    """The current scheme's text colour, for marks that should look like ink (contours, arrows)."""
    return str(mpl.rcParams["text.color"])
