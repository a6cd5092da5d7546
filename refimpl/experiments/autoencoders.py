r"""Linear and nonlinear autoencoders with a one-dimensional code, fitted to points on a curve.

A linear autoencoder can only project onto a line (the first principal component); a tanh
autoencoder can learn a curved one-dimensional manifold through the data. Reading list:
``baldi1989``, ``hinton2006``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch

from refimpl.experiments.toy2d import noisy_arc
from refimpl.nn.autoencoder import Autoencoder

__all__ = ["AutoencoderFit", "fit_autoencoders"]


@dataclass(frozen=True)
class AutoencoderFit:
    """Reconstructions of one autoencoder.

    Attributes:
        reconstruction: $g(f(x))$ for the data `(n, 2)`.
        code: $f(x)$ `(n,)`.
        curve: the decoder's image of a sweep of codes, $g(h)$ `(m, 2)`.
        mse: final mean squared reconstruction error.
    """

    reconstruction: np.ndarray
    code: np.ndarray
    curve: np.ndarray
    mse: float


@functools.cache
def fit_autoencoders(
    steps: int = 800, n: int = 400, seed: int = 0
) -> tuple[np.ndarray, dict[str, AutoencoderFit]]:
    """Trains a linear and a tanh autoencoder (code size 1) on a noisy arc; seeded and cached.

    Returns:
        The data `(n, 2)` and a fit per model name (``"linear"``, ``"tanh"``).
    """
    data = noisy_arc(n, seed=seed)
    fits = {}
    for name, sizes, activation in (("linear", (2, 1), None), ("tanh", (2, 16, 16, 1), "tanh")):
        torch.manual_seed(seed)
        model = Autoencoder(sizes, activation)
        opt = torch.optim.Adam(model.parameters(), lr=1e-2)
        for _ in range(steps):
            opt.zero_grad()
            loss = ((model(data)[0] - data) ** 2).sum(1).mean()
            loss.backward()
            opt.step()
        with torch.no_grad():
            reconstruction, code = model(data)
            sweep = torch.linspace(code.min().item(), code.max().item(), 200)[:, None]
            curve = model.decode(sweep)
        fits[name] = AutoencoderFit(
            reconstruction=reconstruction.numpy(),
            code=code[:, 0].numpy(),
            curve=curve.numpy(),
            mse=((reconstruction - data) ** 2).sum(1).mean().item(),
        )
    return data.numpy(), fits
