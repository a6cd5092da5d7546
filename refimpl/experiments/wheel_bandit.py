r"""The wheel bandit's reward regions and the regret of never exploring, for several $\delta$.

`wheel_regions` samples contexts and labels each with its best action for a few radii
$\delta$; `safe_regret_curve` estimates by Monte Carlo the per-step regret of always playing
the safe action, to set beside its closed form $(1-\delta^2)(\mu_{\text{large}} - 1.2)$.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from refimpl.equilibrium.wheel_bandit import (
    wheel_contexts,
    wheel_expected_rewards,
    wheel_rewards,
    wheel_safe_regret,
)

__all__ = ["safe_regret_curve", "wheel_regions"]


@functools.cache
def wheel_regions(deltas: tuple[float, ...] = (0.5, 0.75, 0.95), n: int = 4000) -> dict:
    """Contexts `(n, 2)` and, per `delta`, each context's best action `(n,)` (0–4)."""
    gen = torch.Generator().manual_seed(0)
    x = wheel_contexts(n, gen, dtype=torch.float64)
    out: dict = {"x": x.numpy()}
    for delta in deltas:
        out[delta] = wheel_expected_rewards(x, delta).argmax(1).numpy()
    return out


@functools.cache
def safe_regret_curve(points: int = 21, n: int = 20_000) -> dict[str, np.ndarray]:
    """Per-step regret of the safe action against $\\delta$: Monte Carlo and closed form."""
    gen = torch.Generator().manual_seed(1)
    deltas = np.linspace(0.0, 1.0, points)
    x = wheel_contexts(n, gen, dtype=torch.float64)
    sampled = []
    for delta in deltas:
        r = wheel_rewards(x, float(delta), generator=gen)
        sampled.append(float((r.max(1).values - r[:, 4]).mean()))
    return {
        "delta": deltas,
        "sampled": np.array(sampled),
        "closed_form": np.array([wheel_safe_regret(float(d)) for d in deltas]),
    }
