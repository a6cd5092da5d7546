r"""Parametric and non-parametric predictors on a problem no line can separate (two moons).

Three predictors learn the same 200 labelled points: a linear (logistic-regression) classifier
$h(x) = \mathbf 1[w^\top x + b > 0]$ and a one-hidden-layer MLP, both parametric and trained by
gradient descent on the cross-entropy, and the $k$-nearest-neighbour rule, which keeps the data
instead of parameters. The functions return the decision of each on a grid, and accuracies on
held-out points from the same distribution. Reading list: ``goodfellow2016`` (chapter 5).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import torch

from refimpl.experiments._threads import single_thread
from refimpl.functional.losses import cross_entropy
from refimpl.nn.knn import KNeighborsClassifier
from refimpl.nn.mlp import MLP
from refimpl.optim import SGD

__all__ = ["Decision", "decisions", "two_moons"]


def two_moons(n: int, noise: float = 0.15, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Two interleaved half circles, ``n // 2`` points each, with Gaussian noise.

    Args:
        n: the number of points.
        noise: the standard deviation of the noise added to each coordinate.
        seed: the random seed.

    Returns:
        Inputs ``(n, 2)`` (float64) and labels ``(n,)`` (0 for the upper moon, 1 for the lower).
    """
    gen = torch.Generator().manual_seed(seed)
    half = n // 2
    angle = torch.rand(n, generator=gen, dtype=torch.float64) * math.pi
    upper = torch.stack([torch.cos(angle[:half]), torch.sin(angle[:half])], 1)
    lower = torch.stack([1 - torch.cos(angle[half:]), 0.5 - torch.sin(angle[half:])], 1)
    x = torch.cat([upper, lower]) + noise * torch.randn(n, 2, generator=gen, dtype=torch.float64)
    y = torch.cat([torch.zeros(half), torch.ones(n - half)]).long()
    return x, y


@dataclass(frozen=True)
class Decision:
    """One predictor's decisions.

    Attributes:
        name: what the predictor is.
        grid_labels: the predicted class on the grid, shape ``(G, G)``.
        train_accuracy: accuracy on the training points.
        test_accuracy: accuracy on 1000 fresh points.
    """

    name: str
    grid_labels: np.ndarray
    train_accuracy: float
    test_accuracy: float


GRID_EXTENT = (-1.6, 2.6, -1.1, 1.6)


def _train(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int, lr: float) -> None:
    opt = SGD(model.parameters(), lr=lr, momentum=0.9)
    with single_thread():
        for _ in range(steps):
            opt.zero_grad()
            cross_entropy(model(x), y).backward()
            opt.step()


@functools.cache
def decisions(grid: int = 120) -> tuple[Decision, ...]:
    """Decision maps of a linear classifier, an MLP and k-NN (k = 1 and 15) on two moons.

    Args:
        grid: grid points per axis over `GRID_EXTENT`.

    Returns:
        One `Decision` per predictor. Cached.
    """
    x, y = two_moons(200, seed=0)
    x_test, y_test = two_moons(1000, seed=1)
    gx = np.linspace(GRID_EXTENT[0], GRID_EXTENT[1], grid)
    gy = np.linspace(GRID_EXTENT[2], GRID_EXTENT[3], grid)
    X1, X2 = np.meshgrid(gx, gy)
    g = torch.tensor(np.stack([X1.ravel(), X2.ravel()], 1))
    torch.manual_seed(0)
    models: list[tuple[str, torch.nn.Module]] = [
        ("linear (logistic regression)", MLP([2, 2], dtype=torch.float64)),
        ("MLP, one hidden layer of 32", MLP([2, 32, 2], activation="tanh", dtype=torch.float64)),
        ("1-nearest neighbour", KNeighborsClassifier(1, 2).fit(x, y)),
        ("15-nearest neighbours", KNeighborsClassifier(15, 2).fit(x, y)),
    ]
    out = []
    for name, model in models:
        if isinstance(model, MLP):
            _train(model, x, y, steps=500, lr=0.3)

        def predict(inputs: torch.Tensor, model: torch.nn.Module = model) -> torch.Tensor:
            with torch.no_grad():
                o = model(inputs)
            return o.argmax(1) if o.dim() == 2 else o

        labels = predict(g).numpy().reshape(grid, grid)
        labels.flags.writeable = False
        out.append(
            Decision(
                name,
                labels,
                float((predict(x) == y).double().mean()),
                float((predict(x_test) == y_test).double().mean()),
            )
        )
    return tuple(out)
