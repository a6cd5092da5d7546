"""Figure for the RIMs page: the competition between modules over time.

``rims-module-activity`` shows the input, each module's attention to it with the top-k winners
marked, and how far each module's state moved (zero for the losers). Data from
``refimpl.experiments.rims``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments.rims import rims_activity
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["rims_module_activity"]


@figure("rims-module-activity")
def rims_module_activity() -> Figure:
    """Input, input attention with active modules, and state changes per module."""
    r = rims_activity()
    n = r["active"].shape[0]
    fig, (ax_in, ax_att, ax_ch) = plt.subplots(
        3, 1, figsize=(8.0, 6.2), sharex=True, gridspec_kw={"height_ratios": (1, 1.4, 1.4)}
    )
    for c in range(r["input"].shape[1]):
        ax_in.plot(r["input"][:, c], color=style.PALETTE[c], lw=1.2, label=f"$x_{c}$")
    ax_in.set(ylabel="input")
    ax_in.legend(fontsize=7, ncol=4, loc="upper right")
    ax_in.set_title("(a) two regimes: a sine on $x_0, x_1$, then noise on $x_2, x_3$", fontsize=10)
    im = ax_att.imshow(r["attention"], aspect="auto", cmap="viridis")
    rows, cols = np.nonzero(r["active"])
    ax_att.plot(cols, rows, "s", ms=5, mfc="none", mec=style.PALETTE[3], mew=1.2, gid="rims-active")
    ax_att.set(ylabel="module $m$", yticks=range(n))
    ax_att.set_title(
        r"(b) attention to the input $\alpha_{m,1}$; squares: the 2 winners", fontsize=10
    )
    fig.colorbar(im, ax=ax_att, pad=0.01, fraction=0.03)
    ch = ax_ch.imshow(r["change"], aspect="auto", cmap="magma", vmin=0)
    ax_ch.set(ylabel="module $m$", xlabel="step $t$", yticks=range(n))
    ax_ch.set_title(r"(c) state change $\|h_{m,t} - h_{m,t-1}\|$: zero unless active", fontsize=10)
    fig.colorbar(ch, ax=ax_ch, pad=0.01, fraction=0.03)
    for ax in (ax_att, ax_ch):
        ax.grid(False)
    fig.tight_layout()
    return fig
