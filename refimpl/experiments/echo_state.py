r"""Echo state networks: memory of past inputs, and the echo state property, against $\rho(W)$.

- ``memory_curves``: how well a linear readout of the reservoir state $x(n)$ recovers the input
  $u(n - k)$, as the coefficient of determination $R^2_k$ on held-out data, against the delay
  $k$ (its sum over $k$ is Jaeger's memory capacity).
- ``forgetting_curves``: $\lVert x(n) - x'(n)\rVert$ for two runs from different initial states
  with the same input: it decays to zero when the echo state property holds.

Reading list: ``jaeger2007esn``.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from refimpl.experiments._threads import single_thread
from refimpl.nn import EchoStateNetwork

__all__ = ["forgetting_curves", "memory_curves"]


def _reservoir(rho: float, seed: int, input_scaling: float = 0.5) -> EchoStateNetwork:
    gen = torch.Generator().manual_seed(seed)
    return EchoStateNetwork(1, 100, 1, spectral_radius=rho, input_scaling=input_scaling,
                            density=0.2, ridge=1e-8, washout=100, generator=gen,
                            dtype=torch.float64)  # fmt: skip


@functools.cache
@single_thread()
def memory_curves(
    rhos: tuple[float, ...] = (0.5, 0.9, 0.99, 1.3), max_delay: int = 40, seed: int = 0
) -> tuple[np.ndarray, dict[float, np.ndarray]]:
    r"""$R^2_k$ of recalling $u(n - k)$, $k = 1..$``max_delay``, per spectral radius."""
    delays = np.arange(1, max_delay + 1)
    gen = torch.Generator().manual_seed(1000 + seed)
    u = torch.rand(2000, 1, 1, generator=gen, dtype=torch.float64) - 0.5
    targets = torch.cat([torch.roll(u, int(k), dims=0) for k in delays], dim=-1)  # (T, 1, K)
    out = {}
    for rho in rhos:
        esn = _reservoir(rho, seed)
        esn.readout_weight.data = torch.zeros(max_delay, 100, dtype=torch.float64)
        esn.readout_bias.data = torch.zeros(max_delay, dtype=torch.float64)
        esn.fit(u[:1500], targets[:1500])
        with torch.no_grad():
            y = esn(u)[1600:, 0]  # (400, K)
        t = targets[1600:, 0]
        r2 = 1 - ((y - t) ** 2).sum(0) / ((t - t.mean(0)) ** 2).sum(0)
        out[rho] = r2.clamp_min(0).numpy()
    return delays, out


@functools.cache
@single_thread()
def forgetting_curves(
    rhos: tuple[float, ...] = (0.5, 0.9, 0.99, 1.3), steps: int = 150, seed: int = 0
) -> tuple[np.ndarray, dict[float, np.ndarray]]:
    r"""$\lVert x(n) - x'(n)\rVert$ for two initial states and one input, per spectral radius."""
    gen = torch.Generator().manual_seed(2000 + seed)
    u = torch.rand(steps, 1, 1, generator=gen, dtype=torch.float64) - 0.5
    x0 = torch.rand(2, 100, generator=gen, dtype=torch.float64) * 2 - 1
    out = {}
    for rho in rhos:
        esn = _reservoir(rho, seed)
        gap = (esn.states(u, x0[:1]) - esn.states(u, x0[1:]))[:, 0].norm(dim=-1)
        out[rho] = gap.numpy()
    return np.arange(1, steps + 1), out
