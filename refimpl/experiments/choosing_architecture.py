"""Inductive bias matching the data: two small tasks, each solved by a generic and a matched model.

(a) **Translated patterns.** 12x12 images hold one of two 3x3 patterns (a plus or a cross) at a
random position, plus noise. A multilayer perceptron sees 144 unrelated pixels and has to learn
the pattern at every position separately; a convolution with global max pooling applies one
3x3 detector everywhere, so it is translation invariant by construction.

(b) **Sets.** The input is a set of eight numbers stored in an arbitrary order, and the target
$y = \\sum_i \\sin(2 x_i)/\\sqrt{8}$ does not depend on that order. An MLP on the concatenated
numbers must learn the symmetry from data; a sum-pooled model
$\\rho\\big(\\sum_i \\phi(x_i)\\big)$ is permutation invariant by construction and shares $\\phi$
across the elements.

Both models of a task are trained with Adam on the full training set for a fixed number of steps,
for several training-set sizes and three seeds, and scored on fresh test data.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from refimpl.experiments._threads import single_thread
from refimpl.nn import Conv2d, MaxPool2d

__all__ = [
    "IMAGE_SIZES",
    "SET_SIZES",
    "ArchitectureCurves",
    "ConvNet",
    "SumPool",
    "image_comparison",
    "pattern_images",
    "set_comparison",
    "set_task",
]

SIDE = 12  # image height and width
IMAGE_SIZES = (8, 16, 32, 64, 128)  # training-set sizes of the image task
SET_SIZES = (32, 64, 128, 256)  # training-set sizes of the set task
SET_LEN = 8  # elements per set
SEEDS = (0, 1)
N_TEST = 1000

_PLUS = torch.tensor([[0.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 0.0]])
_CROSS = torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 1.0]])


def pattern_images(n: int, seed: int, noise: float = 0.3) -> tuple[Tensor, Tensor]:
    """``n`` noisy 12x12 images, each with a plus (label 0) or a cross (label 1) somewhere.

    Returns:
        Images of shape ``(n, 1, 12, 12)`` and integer labels of shape ``(n,)``.
    """
    g = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, 2, (n,), generator=g)
    rows = torch.randint(0, SIDE - 2, (n,), generator=g)
    cols = torch.randint(0, SIDE - 2, (n,), generator=g)
    images = noise * torch.randn(n, 1, SIDE, SIDE, generator=g)
    for i in range(n):
        pattern = _PLUS if labels[i] == 0 else _CROSS
        r, c = int(rows[i]), int(cols[i])
        images[i, 0, r : r + 3, c : c + 3] += pattern
    return images, labels


def set_task(n: int, seed: int) -> tuple[Tensor, Tensor]:
    r"""``n`` sets of eight numbers $x_i \sim U(-2, 2)$ and targets $\sum_i \sin(2x_i)/\sqrt 8$.

    Returns:
        Sets of shape ``(n, 8)`` and targets of shape ``(n,)``.
    """
    g = torch.Generator().manual_seed(seed)
    x = 4.0 * torch.rand(n, SET_LEN, generator=g) - 2.0
    return x, torch.sin(2.0 * x).sum(-1) / SET_LEN**0.5


class ConvNet(torch.nn.Module):
    """One 3x3 convolution with eight channels, ReLU, global max pooling and a linear read-out."""

    def __init__(self, channels: int = 8) -> None:
        super().__init__()
        self.conv = Conv2d(1, channels, 3)
        self.pool = MaxPool2d(SIDE - 2)  # one window over the whole 10x10 feature map
        self.readout = torch.nn.Linear(channels, 2)

    def forward(self, images: Tensor) -> Tensor:
        """Logits of shape ``(B, 2)`` for images of shape ``(B, 1, 12, 12)``."""
        features = self.pool(torch.relu(self.conv(images)))  # (B, C, 1, 1)
        return self.readout(features.flatten(1))


def _mlp(sizes: list[int], activation: type[torch.nn.Module]) -> torch.nn.Sequential:
    """``Linear, activation, ..., Linear``: the layers of `refimpl.nn.MLP`.

    Built from torch's modules because these tiny networks take thousands of steps per figure.
    """
    layers: list[torch.nn.Module] = []
    for i, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
        layers.append(torch.nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            layers.append(activation())
    return torch.nn.Sequential(*layers)


class SumPool(torch.nn.Module):
    r"""$\rho\big(\sum_i \phi(x_i)\big)$ with two small MLPs: invariant to the elements' order."""

    def __init__(self, width: int = 32) -> None:
        super().__init__()
        self.phi = _mlp([1, width, width], torch.nn.Tanh)
        self.rho = _mlp([width, width, 1], torch.nn.Tanh)

    def forward(self, sets: Tensor) -> Tensor:
        """Outputs of shape ``(B,)`` for sets of shape ``(B, n)``, in any order of the n."""
        return self.rho(self.phi(sets.unsqueeze(-1)).sum(-2)).squeeze(-1)


class _FlatMLP(torch.nn.Module):
    """An MLP on the flattened input (the concatenated pixels or set elements)."""

    def __init__(self, sizes: list[int], activation: type[torch.nn.Module]) -> None:
        super().__init__()
        self.mlp = _mlp(sizes, activation)

    def forward(self, x: Tensor) -> Tensor:
        return self.mlp(x.flatten(1)).squeeze(-1)


@dataclass(frozen=True)
class ArchitectureCurves:
    """Test scores against training-set size, one row per seed.

    Attributes:
        sizes: the training-set sizes.
        scores: model name to an array of shape ``(n_seeds, n_sizes)``.
        parameters: model name to its number of parameters.
        metric: what the scores are ("test accuracy" or "test error").
    """

    sizes: tuple[int, ...]
    scores: dict[str, np.ndarray]
    parameters: dict[str, int]
    metric: str


def _fit(model: torch.nn.Module, x: Tensor, y: Tensor, loss_fn, steps: int, lr: float) -> None:
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()


def _count(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def _image_models() -> dict[str, torch.nn.Module]:
    return {
        "MLP": _FlatMLP([SIDE * SIDE, 32, 2], torch.nn.ReLU),
        "CNN (conv + max pool)": ConvNet(),
    }


def _set_models() -> dict[str, torch.nn.Module]:
    return {
        "MLP on concatenation": _FlatMLP([SET_LEN, 64, 64, 1], torch.nn.Tanh),
        "sum-pooled (Deep Sets)": SumPool(),
    }


@functools.cache
def image_comparison(steps: int = 80) -> ArchitectureCurves:
    """Test accuracy of the MLP and the CNN on the translated-pattern task against set size."""
    with single_thread():
        x_test, y_test = pattern_images(N_TEST, seed=10_000)
        names = list(_image_models())
        scores = {name: np.zeros((len(SEEDS), len(IMAGE_SIZES))) for name in names}
        for s, seed in enumerate(SEEDS):
            for j, n in enumerate(IMAGE_SIZES):
                x, y = pattern_images(n, seed=seed)
                torch.manual_seed(seed)
                for name, model in _image_models().items():
                    _fit(model, x, y, torch.nn.functional.cross_entropy, steps, 0.03)
                    with torch.no_grad():
                        pred = model(x_test).argmax(-1)
                    scores[name][s, j] = (pred == y_test).double().mean().item()
        params = {name: _count(m) for name, m in _image_models().items()}
    return ArchitectureCurves(IMAGE_SIZES, scores, params, "test accuracy")


@functools.cache
def set_comparison(steps: int = 200) -> ArchitectureCurves:
    """Relative test error (MSE / target variance) of both set models against set size."""
    with single_thread():
        x_test, y_test = set_task(N_TEST, seed=10_000)
        names = list(_set_models())
        scores = {name: np.zeros((len(SEEDS), len(SET_SIZES))) for name in names}
        for s, seed in enumerate(SEEDS):
            for j, n in enumerate(SET_SIZES):
                x, y = set_task(n, seed=seed)
                torch.manual_seed(seed)
                for name, model in _set_models().items():
                    _fit(model, x, y, torch.nn.functional.mse_loss, steps, 0.01)
                    with torch.no_grad():
                        mse = torch.nn.functional.mse_loss(model(x_test), y_test)
                    scores[name][s, j] = (mse / y_test.var()).item()
        params = {name: _count(m) for name, m in _set_models().items()}
    return ArchitectureCurves(SET_SIZES, scores, params, "test error")
