r"""Figure for the schedules page: four learning-rate schedules, and early stopping at work.

``schedules-early-stopping`` plots the learning rate of ``StepLR``, ``ExponentialLR``,
``CosineAnnealingLR`` and ``WarmupCosineLR`` over 100 steps, and the training and validation
losses of gradient descent on an over-parametrised polynomial fit with the step where
``EarlyStopping`` stops and the best step it keeps. Data: ``refimpl.experiments.schedules``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments import schedules
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["schedules_early_stopping"]


@figure("schedules-early-stopping")
def schedules_early_stopping() -> Figure:
    """Learning-rate schedules, and training/validation curves with the early-stopping point."""
    curves = schedules.schedule_curves()
    run = schedules.early_stopping_run()
    fig, (ax_lr, ax_es) = plt.subplots(1, 2, figsize=(10.0, 3.9))
    for i, (name, rates) in enumerate(curves.items()):
        ax_lr.plot(np.arange(len(rates)), rates, color=style.PALETTE[i], label=name, gid=f"lr-{i}")
    ax_lr.set(xlabel="scheduler step $t$ (e.g. epoch)", ylabel=r"learning rate $\gamma_t$")
    ax_lr.set_title(r"Schedules from $\gamma_0 = 0.1$", fontsize=10)
    ax_lr.legend(fontsize=8, loc="upper right")

    ax_es.loglog(
        run.steps, run.train, color=style.PALETTE[0], label="training loss", gid="es-train"
    )
    ax_es.loglog(run.steps, run.val, color=style.PALETTE[1], label="validation loss", gid="es-val")
    ax_es.axvline(
        run.best_step, color=style.PALETTE[2], ls="--", lw=1.2, label=f"best (step {run.best_step})"
    )
    ax_es.axvline(
        run.stop_step,
        color=style.foreground(),
        ls=":",
        lw=1.2,
        label=f"stop (step {run.stop_step})",
    )
    ax_es.set(xlabel="gradient step", ylabel="mean squared error / 2")
    ax_es.set_title("Degree-15 polynomial, 20 noisy samples", fontsize=10)
    ax_es.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig
