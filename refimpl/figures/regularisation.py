"""Figures of the regularisation guide: four regularisers; hold-out against k-fold validation."""

from __future__ import annotations

import numpy as np
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


@figure("choosing-validation")
def choosing_validation() -> Figure:
    """Errors of hold-out and k-fold estimates, and their optimism after choosing a penalty."""
    res = rg.validation_estimates()
    hold_c, kfold_c = style.PALETTE[3], style.PALETTE[0]
    best = int(np.argmin(res.kfold_test.mean(0)))  # the penalty with the lowest mean test loss
    err_hold = res.holdout[:, best] - res.holdout_test[:, best]
    err_kfold = res.kfold[:, best] - res.kfold_test[:, best]
    fig = Figure(figsize=(9.6, 3.6))
    ax_e, ax_s = fig.subplots(1, 2)
    bins = np.linspace(-0.6, 0.6, 25)
    for err, color, label in (
        (err_hold, hold_c, f"hold-out (1 of {res.k} folds)"),
        (err_kfold, kfold_c, f"{res.k}-fold mean"),
    ):
        ax_e.hist(
            np.clip(err, -0.6, 0.6),
            bins=bins,
            histtype="step",
            lw=1.8,
            color=color,
            label=f"{label}: sd {err.std():.2f}",
        )
    ax_e.axvline(0, color=style.foreground(), ls=":", lw=1)
    ax_e.set(xlabel="validation estimate − test loss", ylabel=f"data sets (of {len(err_hold)})")
    ax_e.legend(fontsize=8, loc="upper left")
    ax_e.set_title(
        rf"(a) error of the estimate, fixed $\lambda = {res.lambdas[best]:.1g}$", fontsize=10
    )

    rows = np.arange(len(res.holdout))
    chosen_h, chosen_k = res.holdout.argmin(1), res.kfold.argmin(1)
    reported = [res.holdout[rows, chosen_h].mean(), res.kfold[rows, chosen_k].mean()]
    actual = [res.holdout_test[rows, chosen_h].mean(), res.kfold_test[rows, chosen_k].mean()]
    for x, color in enumerate((hold_c, kfold_c)):
        ax_s.bar(x - 0.18, reported[x], width=0.34, color=color, alpha=0.35, hatch="//")
        ax_s.bar(x + 0.18, actual[x], width=0.34, color=color)
        ax_s.text(x - 0.18, reported[x] + 0.005, f"{reported[x]:.3f}", ha="center", va="bottom")
        ax_s.text(x + 0.18, actual[x] + 0.005, f"{actual[x]:.3f}", ha="center", va="bottom")
        ax_s.text(x - 0.18, 0.02, "validation", ha="center", va="bottom", rotation=90, fontsize=8)
        ax_s.text(x + 0.18, 0.02, "test", ha="center", va="bottom", rotation=90, fontsize=8)
    oracle = res.kfold_test.mean(0).min()
    ax_s.axhline(oracle, color=style.foreground(), ls="--", lw=1)
    ax_s.text(1.5, oracle, "best fixed $\\lambda$", ha="right", va="bottom", fontsize=8)
    ax_s.axhline(rg.NOISE**2, color=style.foreground(), ls=":", lw=1)
    ax_s.text(1.5, rg.NOISE**2, r"noise $\sigma^2$", ha="right", va="bottom", fontsize=8)
    ax_s.set_xticks([0, 1], ["chosen by hold-out", f"chosen by {res.k}-fold"])
    ax_s.set(ylabel="mean loss over data sets", ylim=(0, 0.52), xlim=(-0.5, 1.5))
    ax_s.set_title(rf"(b) choosing $\lambda$ among {len(res.lambdas)} values", fontsize=10)
    fig.tight_layout()
    return fig
