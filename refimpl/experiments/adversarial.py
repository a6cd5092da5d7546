r"""Adversarial examples and fragile saliency maps on a small MLP trained on synthetic bar images.

The data are 10x10 images of one of four oriented bars (horizontal, vertical, and the two
diagonals) at a random offset, with pixel values in $[0, 1]$ after Gaussian noise and clipping;
the model is a ReLU MLP $100 \to 64 \to 64 \to 4$ trained by Adam on the full training set.

(a) **Accuracy against $\epsilon$.** Test accuracy under FGSM, under 20-step PGD and under
random sign noise of the same $L_\infty$ size $\epsilon$.

(b) **Fragile saliency.** For correctly classified test images, the gradient saliency
$|\partial f_y/\partial x|$ before and after a random sign perturbation and after Ghorbani et
al.'s top-$k$ attack (run on a softplus copy of the network), both of size $\epsilon$ and both
keeping the predicted label; reported as the top-$k$ intersection and Spearman's rank
correlation with the original map.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor, nn

from refimpl.diagnostics.saliency import (
    gradient_saliency,
    spearman_correlation,
    topk_intersection,
    topk_saliency_attack,
)
from refimpl.experiments._threads import one_thread
from refimpl.functional.adversarial import fgsm, pgd_linf, random_sign_perturbation

__all__ = [
    "ACCURACY_EPSILONS",
    "CLASS_NAMES",
    "SALIENCY_EPSILONS",
    "AccuracyCurves",
    "SaliencyFragility",
    "accuracy_curves",
    "bar_images",
    "mlp",
    "saliency_fragility",
    "softplus_copy",
    "trained_mlp",
]

SIDE = 10  # image height and width
CLASS_NAMES = ("horizontal", "vertical", "diagonal", "anti-diagonal")
ACCURACY_EPSILONS = (0.0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25)
SALIENCY_EPSILONS = (0.02, 0.04, 0.06, 0.08, 0.1, 0.12)
TOP_K = 10  # the 10 most salient of the 100 pixels
N_SALIENCY = 200  # test images used for the saliency comparison
CLIP = (0.0, 1.0)


def bar_images(n: int, seed: int, noise: float = 0.25) -> tuple[Tensor, Tensor]:
    """``n`` noisy 10x10 images of an oriented bar, with labels 0-3 (see `CLASS_NAMES`).

    A bar is a full line of the image, two pixels thick, at a random offset: a pair of rows,
    a pair of columns, or a pair of adjacent diagonals.

    Returns:
        Images of shape ``(n, 100)`` (flattened, values in $[0, 1]$) and labels ``(n,)``.
    """
    g = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, 4, (n,), generator=g)
    offsets = torch.randint(-3, 3, (n,), generator=g)
    r = torch.arange(SIDE)[:, None]  # (10, 1) row index
    c = torch.arange(SIDE)[None, :]  # (1, 10) column index
    coord = torch.stack([r + 0 * c, c + 0 * r, c - r, r + c - (SIDE - 1)])  # (4, 10, 10)
    # a pixel is on the bar when its coordinate for the class lies in {o, o + 1}
    centre = torch.tensor([SIDE // 2, SIDE // 2, 0, 0])[labels] + offsets  # (n,)
    d = coord[labels] - centre[:, None, None]  # (n, 10, 10)
    on = (d == 0) | (d == 1)
    images = 0.1 + 0.7 * on.float() + noise * torch.randn(n, SIDE, SIDE, generator=g)
    return images.clamp(*CLIP).reshape(n, SIDE * SIDE), labels


def mlp(activation: nn.Module | None = None) -> nn.Sequential:
    """The $100 \\to 64 \\to 64 \\to 4$ MLP (ReLU unless another activation is given)."""
    act = nn.ReLU() if activation is None else activation
    return nn.Sequential(
        nn.Linear(SIDE * SIDE, 64), act, nn.Linear(64, 64), act, nn.Linear(64, len(CLASS_NAMES))
    )


def softplus_copy(model: nn.Sequential, beta: float = 10.0) -> nn.Sequential:
    r"""The same weights with softplus $\frac1\beta\log(1 + e^{\beta z})$ in place of ReLU."""
    smooth = mlp(nn.Softplus(beta=beta))
    smooth.load_state_dict(model.state_dict())
    return smooth.to(next(model.parameters()).dtype)


@functools.cache
@one_thread
def trained_mlp(seed: int = 0, steps: int = 300) -> tuple[nn.Sequential, float]:
    """The MLP trained on 2,000 bar images; returns it (eval mode) and its test accuracy."""
    x, y = bar_images(2000, seed=seed)
    torch.manual_seed(seed)
    model = mlp()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(steps):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    model.eval().requires_grad_(False)
    x_test, y_test = _test_set()
    return model, _accuracy(model, x_test, y_test)


def _test_set() -> tuple[Tensor, Tensor]:
    return bar_images(1000, seed=12345)


def _accuracy(model: nn.Module, x: Tensor, y: Tensor) -> float:
    with torch.no_grad():
        return float((model(x).argmax(-1) == y).double().mean())


@dataclass(frozen=True)
class AccuracyCurves:
    """Test accuracy against the $L_\\infty$ budget, per perturbation."""

    epsilons: np.ndarray  # (E,)
    clean: float
    fgsm: np.ndarray  # (E,)
    pgd: np.ndarray  # (E,)
    random: np.ndarray  # (E,)
    example: np.ndarray  # (3, 10, 10) a test image, its FGSM perturbation, the adversarial image
    example_labels: tuple[int, int]  # predicted class before and after the attack
    example_epsilon: float


EXAMPLE_EPSILON = 0.1  # the FGSM example in the accuracy figure


@functools.cache
@one_thread
def accuracy_curves(seed: int = 0, pgd_steps: int = 20) -> AccuracyCurves:
    """Test accuracy under FGSM, PGD and random signs for every $\\epsilon$ in the sweep."""
    model, clean = trained_mlp(seed)
    x, y = _test_set()
    g = torch.Generator().manual_seed(seed + 1)
    rows = []
    for eps in ACCURACY_EPSILONS:
        rows.append(
            (
                _accuracy(model, fgsm(model, x, y, eps, clip=CLIP), y),
                _accuracy(model, pgd_linf(model, x, y, eps, steps=pgd_steps, clip=CLIP), y),
                _accuracy(model, random_sign_perturbation(x, eps, g, clip=CLIP), y),
            )
        )
    table = np.array(rows)  # (E, 3)
    x_adv = fgsm(model, x, y, EXAMPLE_EPSILON, clip=CLIP)
    before, after = model(x).argmax(-1), model(x_adv).argmax(-1)
    i = int(torch.nonzero((before == y) & (after != y))[0, 0])  # first image the attack fools
    example = torch.stack([x[i], x_adv[i] - x[i], x_adv[i]]).reshape(3, SIDE, SIDE)
    labels = (int(before[i]), int(after[i]))
    return AccuracyCurves(
        np.array(ACCURACY_EPSILONS), clean, *table.T, example.numpy(), labels, EXAMPLE_EPSILON
    )


@dataclass(frozen=True)
class SaliencyFragility:
    """Similarity of saliency maps before and after label-preserving perturbations."""

    epsilons: np.ndarray  # (E,)
    topk_random: np.ndarray  # (E,) mean top-k intersection, random signs
    topk_attack: np.ndarray  # (E,) mean top-k intersection, top-k attack
    spearman_random: np.ndarray  # (E,)
    spearman_attack: np.ndarray  # (E,)
    kept_random: np.ndarray  # (E,) fraction of images whose label the random noise kept
    kept_attack: np.ndarray  # (E,) fraction whose label the attack kept (1 by construction)
    images: np.ndarray  # (3, 10, 10) example: clean, random, attacked at EXAMPLE_EPSILON
    maps: np.ndarray  # (3, 10, 10) their saliency maps
    example_topk: tuple[float, float]  # (random, attack) top-k intersection of the example
    example_epsilon: float
    k: int


@functools.cache
@one_thread
def saliency_fragility(seed: int = 0, steps: int = 40) -> SaliencyFragility:
    """Top-k intersection and rank correlation of saliency maps under random vs attack."""
    model, _ = trained_mlp(seed)
    smooth = softplus_copy(model)
    x, y = _test_set()
    correct = model(x).argmax(-1) == y
    x, y = x[correct][:N_SALIENCY], y[correct][:N_SALIENCY]
    s0 = gradient_saliency(model, x, y)
    g = torch.Generator().manual_seed(seed + 2)
    stats, example = [], None
    for eps in SALIENCY_EPSILONS:
        x_rand = random_sign_perturbation(x, eps, g, clip=CLIP)
        x_att = topk_saliency_attack(model, smooth, x, eps, TOP_K, steps=steps, clip=CLIP)
        kept_r = model(x_rand).argmax(-1) == y
        kept_a = model(x_att).argmax(-1) == y
        s_r, s_a = gradient_saliency(model, x_rand, y), gradient_saliency(model, x_att, y)
        tk_r, tk_a = topk_intersection(s_r, s0, TOP_K), topk_intersection(s_a, s0, TOP_K)
        sp_r, sp_a = spearman_correlation(s_r, s0), spearman_correlation(s_a, s0)
        stats.append(
            (
                tk_r[kept_r].mean(),
                tk_a[kept_a].mean(),
                sp_r[kept_r].mean(),
                sp_a[kept_a].mean(),
                kept_r.double().mean(),
                kept_a.double().mean(),
            )
        )
        if eps == SALIENCY_EPSILONS[-2]:
            # a typical image: random noise kept its label, attack overlap nearest the mean
            gap = (tk_a - tk_a[kept_a].mean()).abs() + 2.0 * (~kept_r)
            i = int(torch.argmin(gap))
            imgs = torch.stack([x[i], x_rand[i], x_att[i]]).reshape(3, SIDE, SIDE)
            maps = torch.stack([s0[i], s_r[i], s_a[i]]).reshape(3, SIDE, SIDE)
            example = (imgs, maps, (float(tk_r[i]), float(tk_a[i])), eps)
    table = np.array([[float(v) for v in row] for row in stats])  # (E, 6)
    imgs, maps, ex_topk, ex_eps = example
    return SaliencyFragility(
        np.array(SALIENCY_EPSILONS), *table.T, imgs.numpy(), maps.numpy(), ex_topk, ex_eps, TOP_K
    )
