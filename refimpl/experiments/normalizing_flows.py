r"""A RealNVP flow fitted to the two-moons data by maximum likelihood.

Training maximises $\frac1n\sum_i \log p_X(x_i)$ with Adam; the results are the learned density
on a grid, samples pushed through the inverse flow, and the data mapped to the base space.
Reading list: ``dinh2017realnvp``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch

from refimpl.experiments.toy2d import two_moons
from refimpl.nn.realnvp import RealNVP

__all__ = ["FlowFit", "fit_flow"]


@dataclass(frozen=True)
class FlowFit:
    """A trained flow's view of the two moons.

    Attributes:
        data: the training points `(n, 2)`.
        latent: the data mapped to the base space, $f(x)$ `(n, 2)`.
        samples: draws from the model, $f^{-1}(z)$ `(m, 2)`.
        grid: the grid's axis values `(g,)` (the same on both axes).
        density: $p_X$ on the grid `(g, g)`, rows along the second coordinate.
        nll: the minibatch negative log-likelihood per training step `(steps,)`.
    """

    data: np.ndarray
    latent: np.ndarray
    samples: np.ndarray
    grid: np.ndarray
    density: np.ndarray
    nll: np.ndarray


@functools.cache
def fit_flow(
    steps: int = 400,
    n: int = 1000,
    num_layers: int = 6,
    hidden: int = 32,
    batch: int = 200,
    seed: int = 0,
) -> FlowFit:
    """Fits `RealNVP` to two moons with minibatch Adam; seeded and cached."""
    torch.manual_seed(seed)
    data = two_moons(n, seed=seed)
    flow = RealNVP(2, num_layers, hidden)
    opt = torch.optim.Adam(flow.parameters(), lr=5e-3)
    nll = []
    for _ in range(steps):
        opt.zero_grad()
        loss = -flow.log_prob(data[torch.randint(0, n, (batch,))]).mean()
        loss.backward()
        opt.step()
        nll.append(loss.item())
    grid = torch.linspace(-2.5, 2.5, 121)
    X, Y = torch.meshgrid(grid, grid, indexing="xy")  # (g, g)
    with torch.no_grad():
        density = (
            flow.log_prob(torch.stack([X.flatten(), Y.flatten()], dim=1)).exp().reshape(X.shape)
        )
        latent, _ = flow(data)
        samples = flow.sample(n, torch.Generator().manual_seed(seed + 1))
    return FlowFit(
        data=data.numpy(),
        latent=latent.numpy(),
        samples=samples.numpy(),
        grid=grid.numpy(),
        density=density.numpy(),
        nll=np.array(nll),
    )
