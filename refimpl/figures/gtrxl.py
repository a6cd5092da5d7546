"""Figure for the GTrXL page: distance from the identity map at initialisation.

``gtrxl-identity-init`` plots $\\lVert f(x) - x\\rVert/\\lVert x\\rVert$ of a fresh gated block
against the gate bias $b_g$, with the residual block it replaces for reference. Data from
``refimpl.experiments.gtrxl``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments.gtrxl import identity_deviation
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["gtrxl_identity_init"]


@figure("gtrxl-identity-init")
def gtrxl_identity_init() -> Figure:
    """Relative deviation from the identity against the gate bias b_g."""
    r = identity_deviation()
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    b = r["gate_bias"]
    ax.fill_between(b, r["gated_min"], r["gated_max"], color=style.PALETTE[0], alpha=0.25, lw=0)
    ax.semilogy(b, r["gated"], "o-", ms=3, color=style.PALETTE[0], label="gated block (GTrXL)")
    sig = 1.0 / (1.0 + np.exp(b))
    scale = r["gated"][-1] / sig[-1]
    ax.semilogy(
        b, scale * sig, ls="--", color=style.foreground(), lw=0.9, label=r"$\propto\sigma(-b_g)$"
    )
    ax.axhline(
        r["residual"].mean(),
        color=style.PALETTE[3],
        lw=1.6,
        label=r"residual $x + \mathrm{ReLU}(y)$",
    )
    ax.axvline(2.0, color=style.foreground(), lw=0.6, ls=":")
    ax.set(xlabel="gate bias $b_g$", ylabel=r"$\|f(x) - x\| \,/\, \|x\|$ at initialisation")
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig
