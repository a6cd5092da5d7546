r"""A convolutional RBM with probabilistic max-pooling trained by CD-1 on images of random bars.

Each 16×16 binary image holds a few straight strokes at random positions and orientations. A
`ConvRBM` with eight 5×5 filters and 2×2 pooling blocks is trained by contrastive divergence
with a sparsity target on the hidden units (Lee et al. regularise the same way), so each group
specialises to a piece of stroke. Reading list: `lee2009cdbn`.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import torch

from refimpl.nn.crbm import ConvRBM

__all__ = ["CRBMRun", "bar_images", "train_crbm"]


def bar_images(n: int, size: int = 16, bars: int = 2, seed: int = 0) -> torch.Tensor:
    """`n` binary images `(n, 1, size, size)`, each with `bars` random straight strokes."""
    g = np.random.default_rng(seed)
    images = np.zeros((n, size, size))
    t = np.linspace(-3.5, 3.5, 15)  # points along a stroke of length 8
    for i in range(n):
        for _ in range(bars):
            angle = g.uniform(0, math.pi)
            cy, cx = g.uniform(2, size - 3, size=2)
            ys = np.round(cy + t * math.sin(angle)).astype(int)
            xs = np.round(cx + t * math.cos(angle)).astype(int)
            keep = (ys >= 0) & (ys < size) & (xs >= 0) & (xs < size)
            images[i, ys[keep], xs[keep]] = 1.0
    return torch.tensor(images, dtype=torch.float32)[:, None]  # (n, 1, size, size)


@dataclass(frozen=True)
class CRBMRun:
    r"""A trained CRBM's filters and its view of a few test images.

    Attributes:
        filters: the learned filters `(K, k, k)`.
        images: test images `(n, H, W)`.
        reconstructions: $P(v = 1 \mid h)$ after one up-down pass from each image `(n, H, W)`.
        pooled: pooling units' probabilities $P(p = 1 \mid v)$ `(n, K, H', W')`.
        error: mean squared reconstruction error per training step `(steps,)`.
    """

    filters: np.ndarray
    images: np.ndarray
    reconstructions: np.ndarray
    pooled: np.ndarray
    error: np.ndarray


@functools.cache
def train_crbm(
    steps: int = 300,
    n_filters: int = 8,
    batch: int = 32,
    lr: float = 1.0,
    sparsity: float = 0.02,
    sparsity_rate: float = 0.5,
    seed: int = 0,
) -> CRBMRun:
    """Trains a `ConvRBM` by CD-1 with momentum and a sparsity target; seeded and cached."""
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    data = bar_images(2000, seed=seed)
    model = ConvRBM(n_filters, 5, pool_size=2)
    with torch.no_grad():
        model.weight.normal_(0.0, 0.05)  # small random filters break the symmetry between groups
    velocity = {name: torch.zeros_like(p) for name, p in model.named_parameters()}
    error = []
    for _ in range(steps):
        v = data[torch.randint(0, len(data), (batch,), generator=gen)]
        # --8<-- [start:train]
        grads = model.cd_grad(v, steps=1, generator=gen)  # ∇F(data) - ∇F(one Gibbs step)
        with torch.no_grad():
            P = model.hidden_probs(v)[0]  # (B, K, h, w)
            for name, p in model.named_parameters():  # momentum SGD, per hidden position
                velocity[name] = 0.9 * velocity[name] - lr / P[0, 0].numel() * grads[name]
                p += velocity[name]
            # push each group's mean activation towards the sparsity target through its bias
            model.hidden_bias += sparsity_rate * (sparsity - P.mean((0, 2, 3)))
            error.append(((model.visible_probs(P) - v) ** 2).mean().item())
        # --8<-- [end:train]
    with torch.no_grad():
        test = bar_images(4, seed=seed + 1)
        P, pooled = model.hidden_probs(test)
        recon = model.visible_probs(P)
    return CRBMRun(
        filters=model.weight.detach()[:, 0].numpy(),
        images=test[:, 0].numpy(),
        reconstructions=recon[:, 0].numpy(),
        pooled=pooled.numpy(),
        error=np.array(error),
    )
