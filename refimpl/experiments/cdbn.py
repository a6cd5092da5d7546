r"""A two-layer convolutional DBN trained greedily on images of random bars.

Layer 1 is a CRBM like that of ``refimpl.experiments.crbm`` (eight 5×5 filters, 2×2
probabilistic max-pooling) trained by CD-1 on the 16×16 stroke images; layer 2 (3×3 filters
over layer 1's eight 6×6 pooling maps, 2×2 pooling) is then trained by CD-1 on layer 1's
pooling probabilities, with layer 1 frozen. Both use CD-1 with momentum and a sparsity target
(``ConvolutionalDBN.train_layer``) from small random filters. ``train_cdbn`` returns both
layers' filters, the second drawn in image space as combinations of the first (Lee et al.'s
visualisation), the patches layer 2 prefers, and the reconstruction errors during training.
Reading list: ``lee2009cdbn``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch

from refimpl.experiments._threads import one_thread
from refimpl.experiments.crbm import bar_images
from refimpl.nn.cdbn import ConvolutionalDBN

__all__ = ["CDBNRun", "top_patches", "train_cdbn"]


@dataclass(frozen=True)
class CDBNRun:
    r"""A trained two-layer CDBN.

    Attributes:
        filters1: layer 1's filters `(K1, k1, k1)`.
        filters2_image: layer 2's filters in image space `(K2, S, S)`.
        error1: layer 1's reconstruction error per training step `(steps,)`.
        error2: layer 2's reconstruction error (of layer 1's pooled features) per step.
        activity2: mean pooling probability of each layer-2 group on test images `(K2,)`.
        patches2: for each layer-2 group, the mean of the 10×10 image patches (its detection
            units' receptive field) on which its detection units are most active `(K2, 10, 10)`.
    """

    filters1: np.ndarray
    filters2_image: np.ndarray
    error1: np.ndarray
    error2: np.ndarray
    activity2: np.ndarray
    patches2: np.ndarray


def top_patches(dbn: ConvolutionalDBN, images: torch.Tensor, top: int = 20) -> torch.Tensor:
    """Mean receptive-field patch of the `top` most active detection units of each layer-2 group.

    A layer-2 detection unit at $(i, j)$ sees layer-1 pooling units $(i..i+2, j..j+2)$, i.e.
    layer-1 detection units $(2i..2i+5)$, i.e. image pixels $(2i..2i+9, 2j..2j+9)$.
    """
    P2 = dbn.layers[1].hidden_probs(dbn.up_to(images, 1))[0]  # (N, K2, 4, 4)
    N, K2, h, w = P2.shape
    patches = images.unfold(2, 10, 2).unfold(3, 10, 2)[:, 0]  # (N, 4, 4, 10, 10)
    patches = patches.reshape(N * h * w, 10, 10)  # (N·16, 10, 10), one per detection position
    scores = P2.permute(1, 0, 2, 3).reshape(K2, N * h * w)  # (K2, N·16)
    best = scores.topk(top, dim=1).indices  # (K2, top)
    return patches[best].mean(1)  # (K2, 10, 10)


@functools.cache
@one_thread
def train_cdbn(
    steps: tuple[int, int] = (200, 300),
    lr: tuple[float, float] = (1.0, 1.0),
    n_filters: tuple[int, int] = (8, 8),
    init: float = 0.05,
    seed: int = 0,
) -> CDBNRun:
    """Greedy layer-wise CD-1 training of a two-layer CDBN; seeded and cached."""
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    data = bar_images(2000, seed=seed)  # (2000, 1, 16, 16)
    dbn = ConvolutionalDBN(n_filters, kernel_sizes=(5, 3), pool_sizes=(2, 2))
    with torch.no_grad():  # small random filters break the symmetry between groups
        dbn.layers[0].weight.normal_(0.0, init)
        dbn.layers[1].weight.normal_(0.0, init)
    # --8<-- [start:stack]
    error1 = dbn.train_layer(0, data, steps[0], batch=16, lr=lr[0], generator=gen)  # images
    error2 = dbn.train_layer(1, data, steps[1], lr=lr[1], generator=gen)  # layer 1's P(p=1|v)
    # --8<-- [end:stack]
    with torch.no_grad():
        test = bar_images(500, seed=seed + 1)
        activity = dbn(test).mean((0, 2, 3))
        return CDBNRun(
            filters1=dbn.layers[0].weight[:, 0].numpy(),
            filters2_image=dbn.image_space_filters(1)[:, 0].numpy(),
            error1=np.array(error1),
            error2=np.array(error2),
            activity2=activity.numpy(),
            patches2=top_patches(dbn, test).numpy(),
        )
