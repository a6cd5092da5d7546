r"""State-space models and the LRU: eigenvalues at initialisation and the effect of $\gamma$.

- ``discretized_eigenvalues``: the S4D-Lin eigenvalues $a_n = -\tfrac12 + i\pi n$ mapped to the
  discrete $\bar a_n$ by forward Euler, zero-order hold and the bilinear rule. Only the last two
  keep every $|\bar a_n| < 1$; Euler's $|1 + \Delta a_n|$ exceeds one as soon as
  $\Delta\pi n$ is large.
- ``lru_eigenvalues``: $\lambda$ of freshly initialised ``refimpl.nn.LRU`` layers.
- ``state_variance``: $\mathbb{E}|x_k|^2$ of one LRU mode driven by unit white noise, with and
  without the normalisation $\gamma = \sqrt{1 - |\lambda|^2}$ (Monte Carlo and the closed form
  $\gamma^2/(1 - |\lambda|^2)$).

Reading list: ``gu2022s4d``, ``orvieto2023lru``.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import torch

from refimpl.experiments._threads import single_thread
from refimpl.functional import discretize_diagonal, lru_gamma, sequential_scan
from refimpl.nn import LRU

__all__ = ["discretized_eigenvalues", "lru_eigenvalues", "state_variance"]


def discretized_eigenvalues(modes: int = 32, dt: float = 0.02) -> dict[str, np.ndarray]:
    r"""$\bar a_n$ of the S4D-Lin $a_n = -\tfrac12 + i\pi n$, $n < $ ``modes``, per rule."""
    a = torch.complex(torch.full((modes,), -0.5, dtype=torch.float64),
                      math.pi * torch.arange(modes, dtype=torch.float64))  # fmt: skip
    dt_t = torch.tensor(dt, dtype=torch.float64)
    return {
        method: discretize_diagonal(a, torch.ones_like(a), dt_t, method)[0].numpy()
        for method in ("euler", "zoh", "bilinear")
    }


@functools.cache
def lru_eigenvalues(
    r_min: float, r_max: float, max_phase: float, d_state: int = 256, seed: int = 0
) -> np.ndarray:
    r"""$\lambda$ of an ``LRU`` initialised with the given ring (complex, `(d_state,)`)."""
    torch.manual_seed(seed)
    layer = LRU(1, d_state, r_min=r_min, r_max=r_max, max_phase=max_phase).double()
    lam = layer.eigenvalues().detach().numpy()
    lam.setflags(write=False)
    return lam


@functools.cache
@single_thread()
def state_variance(
    radii: tuple[float, ...] = (0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98),
    steps: int = 400, batch: int = 1000, seed: int = 0,
) -> dict[str, np.ndarray]:  # fmt: skip
    r"""$\mathbb{E}|x_T|^2$ for $x_k = \lambda x_{k-1} + g\,w_k$, $w_k$ complex unit white noise.

    Returns:
        ``radii``, the Monte Carlo variance with $g = \gamma$ and with $g = 1$.
    """
    gen = torch.Generator().manual_seed(seed)
    r = torch.tensor(radii, dtype=torch.float64)
    lam = torch.polar(r, torch.full_like(r, 0.5))  # (R,)
    shape = (steps, batch, len(radii))
    re = torch.randn(shape, generator=gen, dtype=torch.float64)
    im = torch.randn(shape, generator=gen, dtype=torch.float64)
    w = torch.complex(re, im) / math.sqrt(2)  # E|w|² = 1
    a = lam.expand(shape)
    with_gamma = sequential_scan(a, lru_gamma(lam) * w)[-1]  # (batch, R)
    without = sequential_scan(a, w)[-1]
    return {
        "radii": r.numpy(),
        "with_gamma": (with_gamma.abs() ** 2).mean(0).numpy(),
        "without_gamma": (without.abs() ** 2).mean(0).numpy(),
    }
