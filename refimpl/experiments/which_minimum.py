r"""Two minima with the same training loss and very different test losses.

Two 1-64-1 tanh networks start from the same random weights, except that the second one's first
layer (weights and biases) is multiplied by a large factor. Both are trained by Adam on the same
12 points of $\sin(\pi x)$ and stopped at the first step at which the mean squared error is below
$10^{-4}$. They are equally good minimisers of the training loss; the smooth fit has a test loss
about a hundred times lower than the step-like one. Reading list: ``keskar2017``, ``dinh2017``.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor, nn

__all__ = ["TwoMinima", "two_minima"]


def _mse(net: nn.Module, x: Tensor, y: Tensor) -> Tensor:
    return ((net(x) - y) ** 2).mean()


@dataclass(frozen=True)
class TwoMinima:
    r"""Two networks trained to the same training loss, with different test losses.

    Attributes:
        scales: the first-layer initialisation scales.
        steps: Adam steps each needed to reach the target.
        train_loss: the final training losses (both just below `target`).
        test_loss: the losses on a dense grid of $[-1, 1]$.
        target: the training loss at which training stopped.
        x_train: the training inputs, shape `(n,)`; y_train their targets.
        x_test: the test grid, shape `(M,)`; y_test the true function there.
        predictions: each network's output on the grid, shape `(2, M)`.
    """

    scales: tuple[float, float]
    steps: np.ndarray
    train_loss: np.ndarray
    test_loss: np.ndarray
    target: float
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    predictions: np.ndarray


@functools.cache
def two_minima(scales: tuple[float, float] = (1.0, 50.0), target: float = 1e-4) -> TwoMinima:
    r"""Train a 1-64-1 tanh network from two first-layer scales to training loss `target`.

    The first layer's weights and biases are multiplied by the scale at initialisation; a large
    scale makes every hidden unit a near-step at a random place, so the fitted function
    interpolates the data with steps instead of smooth curves.
    """
    x = torch.linspace(-1, 1, 12, dtype=torch.float64).reshape(-1, 1)
    y = torch.sin(math.pi * x)
    xt = torch.linspace(-1, 1, 401, dtype=torch.float64).reshape(-1, 1)
    yt = torch.sin(math.pi * xt)
    steps, train_l, test_l, preds = [], [], [], []
    for scale in scales:
        # --8<-- [start:setup]
        torch.manual_seed(0)  # the same initial weights for both scales
        net = nn.Sequential(nn.Linear(1, 64), nn.Tanh(), nn.Linear(64, 1)).double()
        with torch.no_grad():
            net[0].weight.mul_(scale)
            net[0].bias.mul_(scale)
        opt = torch.optim.Adam(net.parameters(), lr=3e-3)
        step = 0
        # stop at the first step whose full training loss is below the target
        while step < 5000:
            loss = _mse(net, x, y)
            if float(loss.detach()) < target:
                break
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
        # --8<-- [end:setup]
        with torch.no_grad():
            steps.append(step)
            train_l.append(float(_mse(net, x, y)))
            test_l.append(float(_mse(net, xt, yt)))
            preds.append(net(xt).reshape(-1).numpy())
    return TwoMinima(
        scales=scales,
        steps=np.array(steps),
        train_loss=np.array(train_l),
        test_loss=np.array(test_l),
        target=target,
        x_train=x.reshape(-1).numpy(),
        y_train=y.reshape(-1).numpy(),
        x_test=xt.reshape(-1).numpy(),
        y_test=yt.reshape(-1).numpy(),
        predictions=np.stack(preds),
    )
