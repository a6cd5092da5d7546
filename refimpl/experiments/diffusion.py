r"""A small DDPM trained on the two-moons data, and snapshots of its forward and reverse processes.

The noise predictor is trained with the simplified loss
$\lVert\epsilon - \epsilon_\theta(x_t, t)\rVert^2$, with
$x_t = \sqrt{\bar\alpha_t}x_0 + \sqrt{1-\bar\alpha_t}\,\epsilon$ at uniformly drawn steps;
sampling runs the reverse chain from pure noise. Reading list: ``ho2020ddpm``,
``weng2021diffusion``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch

from refimpl.experiments.toy2d import two_moons
from refimpl.nn.ddpm import DDPM, NoisePredictor

__all__ = ["DiffusionRun", "train_diffusion"]


@dataclass(frozen=True)
class DiffusionRun:
    """A trained DDPM and its chains.

    Attributes:
        steps: the number of diffusion steps $T$.
        data: training points `(n, 2)`.
        forward_path: $x_0, x_1, \\dots, x_T$ of the forward process from the data `(T+1, n, 2)`.
        reverse_path: $x_T, \\dots, x_0$ of the learned reverse process `(T+1, m, 2)`.
        alpha_bars: $\\bar\\alpha_t$ for $t = 1..T$.
        loss: training loss per step, smoothed over 50 steps.
    """

    steps: int
    data: np.ndarray
    forward_path: np.ndarray
    reverse_path: np.ndarray
    alpha_bars: np.ndarray
    loss: np.ndarray


@functools.cache
def train_diffusion(
    train_steps: int = 2500, n: int = 1000, steps: int = 50, batch: int = 256, seed: int = 0
) -> DiffusionRun:
    """Trains `DDPM` on two moons with Adam and samples from it; seeded and cached."""
    torch.manual_seed(seed)
    data = two_moons(n, seed=seed)
    eps_model = NoisePredictor(2, hidden=64, steps=steps)
    model = DDPM(2, steps=steps, beta_start=1e-4, beta_end=0.2, eps_model=eps_model)
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    losses = []
    for _ in range(train_steps):
        idx = torch.randint(0, n, (batch,))
        opt.zero_grad()
        loss = model.loss(data[idx])
        loss.backward()
        opt.step()
        losses.append(loss.item())
    gen = torch.Generator().manual_seed(seed + 1)
    x, forward_path = data, [data]
    for t in range(1, steps + 1):  # x_t = √(1 − β_t) x_{t−1} + √β_t z
        beta = model.betas[t - 1].float()
        x = (1 - beta).sqrt() * x + beta.sqrt() * torch.randn(x.shape, generator=gen)
        forward_path.append(x)
    reverse_path = model.sample(n, generator=gen, return_path=True)
    smooth = np.convolve(np.array(losses), np.ones(50) / 50, mode="valid")
    return DiffusionRun(
        steps=steps,
        data=data.numpy(),
        forward_path=torch.stack(forward_path).numpy(),
        reverse_path=reverse_path.numpy(),
        alpha_bars=model.alpha_bars.numpy(),
        loss=smooth,
    )
