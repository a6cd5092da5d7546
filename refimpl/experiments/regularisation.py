r"""Regularisers and early stopping on an over-parameterised regression, judged on a test set.

The network of the troubleshooting guide's overfitting example (a ReLU MLP with two hidden
layers of width 64, 4,353 parameters) is fitted to 30 noisy points of $\sin(3x)$, noise
standard deviation $0.5$, with Adam. Four variants:

- **none**: 800 steps, no regularisation;
- **early stopping**: the same run, keeping the weights with the lowest loss on a validation
  set of 200 points (`refimpl.train.EarlyStopping`);
- **L2 penalty**: $L(\theta) + \tfrac{\lambda}{2}\lVert\theta\rVert^2$ with $\lambda = 10^{-2}$,
  through Adam's `weight_decay` (which adds $\lambda\theta$ to the gradient);
- **dropout**: every hidden unit is zeroed with probability $p = 0.2$ during training and the
  rest scaled by $1/(1-p)$ (`torch.nn.Dropout`).

Each is scored on 1,000 fresh test points; the noise alone gives a test loss of $0.25$.
Reading list: ``goodfellow2016`` (chapter 7), ``prechelt1998early``, ``srivastava2014dropout``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from refimpl.experiments.troubleshooting import regression_data
from refimpl.train import Callback, EarlyStopping, TrainState, train

__all__ = ["NOISE", "Regularised", "regularisation_runs"]

#: The noise standard deviation of the targets; $\sigma^2$ is the best achievable test loss.
NOISE: float = 0.5

mse = nn.functional.mse_loss


def _mlp(dropout: float) -> nn.Sequential:
    torch.manual_seed(4)
    drop = [nn.Dropout(dropout)] if dropout else []
    layers = [nn.Linear(1, 64), nn.ReLU(), *drop, nn.Linear(64, 64), nn.ReLU(), *drop]
    return nn.Sequential(*layers, nn.Linear(64, 1)).double()


@dataclass(frozen=True)
class Regularised:
    """The validation curves and test losses of the four variants.

    Attributes:
        labels: the variants.
        eval_steps: the evaluation steps (shared).
        val_loss: trained variant → validation loss at `eval_steps` (early stopping is the
            `"none"` run, stopped at `best_step`).
        train_loss: trained variant → training loss at `eval_steps`.
        test_loss: variant → test loss of the final (for early stopping: restored) weights.
        best_step: the step early stopping kept.
        best_val: the validation loss at that step.
    """

    labels: tuple[str, ...]
    eval_steps: np.ndarray
    val_loss: dict[str, np.ndarray]
    train_loss: dict[str, np.ndarray]
    test_loss: dict[str, float]
    best_step: int
    best_val: float


@functools.cache
def regularisation_runs(steps: int = 800) -> Regularised:
    """Train the four variants and score them on the test set.

    Returns:
        The curves and the test losses.
    """
    x, y = regression_data(30, noise=NOISE, seed=5)
    xv, yv = regression_data(200, noise=NOISE, seed=6)
    xt, yt = regression_data(1000, noise=NOISE, seed=7)
    configs = (("none", 0.0, 0.0), ("L2 penalty 0.01", 0.0, 1e-2), ("dropout 0.2", 0.2, 0.0))
    val, tr, test = {}, {}, {}

    def score(model: nn.Module) -> float:
        model.eval()
        with torch.no_grad():
            return float(mse(model(xt), yt))

    class _ScoreFinal(Callback):  # runs before EarlyStopping restores the best weights
        def on_train_end(self, state: TrainState) -> None:
            test[state.history.stopped or "final"] = score(state.model)

    stopper = EarlyStopping(patience=None)
    for label, p, wd in configs:
        model = _mlp(p)
        opt = torch.optim.Adam(model.parameters(), lr=1e-2, weight_decay=wd)
        # the unregularised run doubles as the early-stopping run
        cbs = [_ScoreFinal(), stopper] if label == "none" else []
        h = train(model, opt, mse, x, y, steps=steps, val=(xv, yv), eval_every=10, callbacks=cbs)
        if label == "none":
            test["none"] = test.pop("final")
            test["early stopping"] = score(model)
        else:
            test[label] = score(model)
        val[label], tr[label] = np.array(h.val_loss), np.array(h.train_loss)
        eval_steps = np.array(h.eval_steps)
    return Regularised(
        labels=("none", "early stopping", "L2 penalty 0.01", "dropout 0.2"),
        eval_steps=eval_steps,
        val_loss=val,
        train_loss=tr,
        test_loss=test,
        best_step=stopper.best_step,
        best_val=stopper.best_loss,
    )
