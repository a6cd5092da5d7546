"""Figure of the regularisation guide: validation curves and test losses of four variants."""

from __future__ import annotations

from matplotlib.figure import Figure

from refimpl.experiments import regularisation as rg
from refimpl.figures import style
from refimpl.figures.registry import figure


@figure("choosing-regularisation")
def choosing_regularisation() -> Figure:
    """Validation curves (with the early-stopping point) and the test loss of each variant."""
    res = rg.regularisation_runs()
    colors = dict(
        zip(
            res.labels,
            (style.PALETTE[3], style.PALETTE[1], style.PALETTE[0], style.PALETTE[2]),
            strict=True,
        )
    )
    fig = Figure(figsize=(9.6, 3.6))
    ax_v, ax_t = fig.subplots(1, 2)
    for label, curve in res.val_loss.items():
        ax_v.plot(res.eval_steps, curve, color=colors[label], label=label)
    ax_v.plot(
        res.best_step,
        res.best_val,
        "o",
        ms=8,
        color=colors["early stopping"],
        label="early stopping keeps this",
    )
    ax_v.axhline(rg.NOISE**2, color=style.foreground(), ls=":", lw=1)
    ax_v.text(800, rg.NOISE**2, r"noise $\sigma^2$", ha="right", va="bottom", fontsize=8)
    ax_v.set(xlabel="step", ylabel="validation loss (200 points)", ylim=(0.2, 0.8))
    ax_v.legend(fontsize=8, loc="upper right")
    ax_v.set_title("(a) validation loss during training", fontsize=10)
    pos = range(len(res.labels))
    ax_t.barh(
        list(pos), [res.test_loss[k] for k in res.labels], color=[colors[k] for k in res.labels]
    )
    for i, k in enumerate(res.labels):
        ax_t.text(res.test_loss[k] + 0.005, i, f"{res.test_loss[k]:.3f}", va="center", fontsize=9)
    ax_t.set_yticks(list(pos), list(res.labels))
    ax_t.invert_yaxis()
    ax_t.axvline(rg.NOISE**2, color=style.foreground(), ls=":", lw=1)
    ax_t.set(xlabel="test loss (1,000 fresh points)", xlim=(0, 0.62))
    ax_t.set_title("(b) test loss of the weights each variant returns", fontsize=10)
    fig.tight_layout()
    return fig
