r"""Figure for the MLP page: one-hidden-layer ReLU fits of $\sin 3x$ improving with width.

``mlp-width-approximation``: left, the fits of widths 4, 12 and 48 against the target; right,
the sup-norm error against the width, with the $N^{-2}$ rate of linear interpolation.
Data: ``refimpl.experiments.universal_approximation``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments.universal_approximation import fit_width, target, width_sweep
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["mlp_width_approximation"]

SHOWN = (4, 12, 48)
SWEEP = (2, 4, 8, 16, 32, 64, 128, 256)


@figure("mlp-width-approximation")
def mlp_width_approximation() -> Figure:
    """Fits of three widths, and the sup error against the width."""
    fig, (ax_fit, ax_err) = plt.subplots(1, 2, figsize=(9.6, 3.9))
    x = fit_width(SHOWN[0]).x
    ax_fit.plot(x, target(x), color=style.foreground(), lw=3, alpha=0.3, label=r"$\sin 3x$")
    for n, color in zip(SHOWN, (style.PALETTE[3], style.PALETTE[1], style.PALETTE[0]), strict=True):
        fit = fit_width(n)
        ax_fit.plot(
            fit.x, fit.prediction, color=color, lw=1.4, label=f"{n} ReLU units", gid=f"fit-{n}"
        )
    ax_fit.set(xlabel="$x$", ylabel="$h(x)$", xlim=(x[0], x[-1]))
    ax_fit.set_title("one hidden ReLU layer, evenly spaced kinks", fontsize=10)
    ax_fit.legend(fontsize=8, loc="lower left", ncol=2)

    errors = width_sweep(SWEEP)
    ax_err.loglog(SWEEP, errors, "o-", color=style.PALETTE[0], gid="sup-error", label="fit")
    n = np.array(SWEEP, dtype=float)
    bound = 9 * (2 * np.pi / n) ** 2 / 8  # h² max|f''| / 8 with h = 2π/N, max|f''| = 9
    ax_err.loglog(
        n,
        bound,
        ls="--",
        color=style.foreground(),
        lw=0.8,
        label=r"$h^2 \max|f''|/8$, $h = 2\pi/N$",
    )
    ax_err.legend(fontsize=8)
    ax_err.set(xlabel="hidden units $N$", ylabel=r"$\max_x |h(x) - \sin 3x|$")
    ax_err.set_title("error against width", fontsize=10)
    fig.tight_layout()
    return fig
