r"""Figure for the losses page: MSE and MAE against the residual, cross-entropy and % correct
against the margin. Data: ``refimpl.experiments.losses``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from refimpl.experiments import losses
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["loss_functions"]


@figure("loss-functions")
def loss_functions() -> Figure:
    """Regression losses and their gradients; classification losses against the margin."""
    reg = losses.regression_curves()
    cls = losses.classification_curves()
    fig, (ax_r, ax_c) = plt.subplots(1, 2, figsize=(9.6, 3.8))
    r = reg["residual"]
    ax_r.plot(r, reg["mse"], color=style.PALETTE[0], label=r"MSE $r^2$", gid="loss-mse")
    ax_r.plot(r, reg["mae"], color=style.PALETTE[1], label=r"MAE $|r|$", gid="loss-mae")
    ax_r.plot(r, reg["mse_grad"], color=style.PALETTE[0], ls="--", lw=1.0, label=r"gradient $2r$")
    ax_r.plot(
        r,
        reg["mae_grad"],
        color=style.PALETTE[1],
        ls="--",
        lw=1.0,
        label=r"gradient $\mathrm{sign}\,r$",
    )
    ax_r.set(xlabel=r"residual $r = \hat y - y$", ylim=(-3.2, 6), title="Regression")
    ax_r.legend(fontsize=8, loc="lower right")
    m = cls["margin"]
    ax_c.plot(
        m,
        cls["cross_entropy_bits"],
        color=style.PALETTE[2],
        label="cross-entropy (bits)",
        gid="loss-ce",
    )
    ax_c.plot(
        m, cls["error"], color=style.PALETTE[3], label="error = 1 − % correct / 100", gid="loss-01"
    )
    ax_c.set(
        xlabel="margin $m$ (logit of the correct class minus the other)", title="Classification"
    )
    ax_c.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return fig
