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

`validation_estimates` compares two ways of estimating the test loss from the training data
alone, a hold-out split and $k$-fold cross-validation, over many draws of a small data set,
for a model whose fit is exact and instant: a ReLU layer with fixed random weights and a
read-out fitted by ridge regression. Reading list: ``goodfellow2016`` (chapter 7),
``prechelt1998early``, ``srivastava2014dropout``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from refimpl.experiments._threads import one_thread
from refimpl.experiments.troubleshooting import regression_data
from refimpl.train import Callback, EarlyStopping, TrainState, kfold_indices, train

__all__ = [
    "NOISE",
    "Regularised",
    "ValidationEstimates",
    "random_relu_features",
    "regularisation_runs",
    "validation_estimates",
]

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


def random_relu_features(x: torch.Tensor, width: int = 64, seed: int = 0) -> torch.Tensor:
    r"""$\phi(x) = \big(1, \mathrm{ReLU}(s_j(x - c_j))_{j=1}^{w}\big)$: a fixed random ReLU layer.

    Kinks $c_j \sim U(-2.5, 2.5)$ and slopes $s_j = \pm 1$ are drawn once from `seed`, so a
    linear read-out on these features is a one-hidden-layer ReLU network whose first layer
    is frozen.

    Args:
        x: inputs of shape `(n, 1)`.
        width: the number of ReLU features $w$.
        seed: seeds the kinks and slopes.

    Returns:
        Features of shape `(n, width + 1)`, the first a constant.
    """
    g = torch.Generator().manual_seed(seed)
    kinks = 5 * torch.rand(width, generator=g, dtype=torch.float64) - 2.5
    slopes = torch.where(torch.rand(width, generator=g, dtype=torch.float64) < 0.5, -1.0, 1.0)
    relu = torch.relu(slopes.to(x) * (x - kinks.to(x)))
    return torch.cat([torch.ones_like(x), relu], dim=1)


def _ridge_path(phi: torch.Tensor, y: torch.Tensor, lambdas: np.ndarray) -> torch.Tensor:
    r"""Ridge read-outs for every penalty at once: one column of the result per $\lambda$.

    $\theta_\lambda = \arg\min \tfrac1n\lVert\Phi\theta - y\rVert^2 + \lambda\lVert\theta\rVert^2
    = (\Phi^\top\Phi + n\lambda I)^{-1}\Phi^\top y = V\,\mathrm{diag}\big(1/(s_i + n\lambda)\big)
    V^\top\Phi^\top y$ with $\Phi^\top\Phi = V\mathrm{diag}(s)V^\top$.
    """
    n = phi.shape[0]
    s, v = torch.linalg.eigh(phi.T @ phi)
    lam = torch.as_tensor(lambdas, dtype=phi.dtype, device=phi.device)
    rotated = v.T @ (phi.T @ y)  # (d, 1)
    return v @ (rotated / (s[:, None] + n * lam[None, :]))  # (d, len(lambdas))


@dataclass(frozen=True)
class ValidationEstimates:
    r"""Hold-out and $k$-fold estimates against the test losses they estimate, over many draws.

    Every array has one row per draw of the data set and one column per penalty in `lambdas`.
    The hold-out split is the first of the $k$ folds.

    Attributes:
        lambdas: the ridge penalties $\lambda$ tried.
        k: the number of folds.
        n: the size of each data set.
        holdout: the validation loss of the model trained without the first fold.
        holdout_test: the test loss of that same model.
        kfold: the mean validation loss over the $k$ folds.
        kfold_test: the mean test loss of the same $k$ models.
    """

    lambdas: np.ndarray
    k: int
    n: int
    holdout: np.ndarray
    holdout_test: np.ndarray
    kfold: np.ndarray
    kfold_test: np.ndarray


@functools.cache
@one_thread
def validation_estimates(draws: int = 200, n: int = 40, k: int = 5) -> ValidationEstimates:
    r"""Estimate the test loss by hold-out and by $k$-fold validation on `draws` data sets.

    Each draw is `n` points of the overfitting example ($\sin 3x$ plus noise of standard
    deviation `NOISE`), split by `refimpl.train.kfold_indices`; the model is a ridge read-out
    on `random_relu_features` (65 parameters), fitted for every penalty of a grid. Test losses
    are on 2,000 fresh points.

    Returns:
        The estimates and the test losses of the models they were computed from.
    """
    lambdas = np.logspace(-7, 0, 15)
    xt, yt = regression_data(2000, noise=NOISE, seed=10_000)
    phi_t = random_relu_features(xt)
    shape = (draws, len(lambdas), k)
    val, test = np.zeros(shape), np.zeros(shape)
    for d in range(draws):
        x, y = regression_data(n, noise=NOISE, seed=100 + d)
        phi = random_relu_features(x)
        for j, (tr, va) in enumerate(kfold_indices(n, k, seed=d)):
            thetas = _ridge_path(phi[tr], y[tr], lambdas)
            val[d, :, j] = ((phi[va] @ thetas - y[va]) ** 2).mean(0).numpy()
            test[d, :, j] = ((phi_t @ thetas - yt) ** 2).mean(0).numpy()
    return ValidationEstimates(
        lambdas=lambdas,
        k=k,
        n=n,
        holdout=val[..., 0],
        holdout_test=test[..., 0],
        kfold=val.mean(-1),
        kfold_test=test.mean(-1),
    )
