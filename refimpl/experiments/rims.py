r"""RIMs on a sequence with two regimes: which modules win the competition, step by step.

An untrained `refimpl.nn.RIMs` with 6 modules, 2 active, reads a 4-channel input whose first
half is a slow sine in channels 0–1 and whose second half is noise in channels 2–3. We record
each module's attention to the real input, the active set, and how much each state moved.
Reading list: `goyal2021rims`.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from refimpl.nn.rims import RIMs

__all__ = ["rims_activity"]


@functools.cache
def rims_activity(steps: int = 40, num_units: int = 6, k: int = 2) -> dict[str, np.ndarray]:
    """Run RIMs over the two-regime input.

    Returns:
        ``{"input" (T, 4), "attention" (n, T), "active" (n, T), "change" (n, T)}`` where
        ``attention`` is each module's weight on the real input and ``change`` is
        $\\lVert h_{m,t} - h_{m,t-1}\\rVert$.
    """
    torch.manual_seed(3)
    model = RIMs(4, 16, num_units=num_units, k=k, key_size=8, value_size=8).double()
    gen = torch.Generator().manual_seed(0)
    t = torch.arange(steps, dtype=torch.float64)
    x = torch.zeros(steps, 4, dtype=torch.float64)
    half = steps // 2
    x[:half, 0] = torch.sin(2 * torch.pi * t[:half] / 10)
    x[:half, 1] = torch.cos(2 * torch.pi * t[:half] / 10)
    x[half:, 2:] = torch.randn(steps - half, 2, generator=gen, dtype=torch.float64)
    h = torch.zeros(1, num_units, 16, dtype=torch.float64)
    attention, active, change = [], [], []
    with torch.no_grad():
        for step in range(steps):
            alpha, _ = model.input_attention(x[step][None], h)
            h_new, act = model.step(x[step][None], h)
            attention.append(alpha[0, :, 1].numpy())
            active.append(act[0].numpy())
            change.append((h_new - h)[0].norm(dim=-1).numpy())
            h = h_new
    return {
        "input": x.numpy(),
        "attention": np.array(attention).T,
        "active": np.array(active).T,
        "change": np.array(change).T,
    }
