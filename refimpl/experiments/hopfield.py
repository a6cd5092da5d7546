r"""Experiments for the Hopfield page: energy descent in binary recall, and continuous dynamics
with symmetric versus non-symmetric weights.

`binary_recall` stores random $\pm1$ patterns by the Hebbian rule and records the energy after
every single-unit update while corrupted patterns are cleaned up. `continuous_dynamics` runs the
two-unit graded-response network $\dot u = -u + W\sigma(u) + b$ once with a symmetric $W$ and
once with an antisymmetric coupling added, which turns the fixed point into a limit cycle.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch

from refimpl.experiments._threads import one_thread
from refimpl.nn import HopfieldNetwork

__all__ = ["BinaryRecall", "binary_recall", "continuous_dynamics"]


@dataclass(frozen=True)
class BinaryRecall:
    """Energy per single-unit update and final overlaps of a recall run.

    Attributes:
        energy: `(updates + 1, runs)` energies, starting with the corrupted patterns.
        overlap: `(runs,)` final overlap $\\frac1N\\xi^\\top s$ with the stored pattern.
        stored_energy: `(runs,)` energies of the stored patterns themselves.
    """

    energy: np.ndarray
    overlap: np.ndarray
    stored_energy: np.ndarray


@functools.cache
@one_thread
def binary_recall(
    n: int = 100, patterns: int = 8, flip: float = 0.3, sweeps: int = 3, seed: int = 0
) -> BinaryRecall:
    """Recall each stored pattern from a copy with a fraction `flip` of its bits flipped."""
    gen = torch.Generator().manual_seed(seed)
    xi = torch.randint(0, 2, (patterns, n), generator=gen).double() * 2 - 1  # (P, N)
    net = HopfieldNetwork(n).double()
    net.store(xi)
    s = xi.clone()
    k = int(flip * n)
    for row in s:
        row[torch.randperm(n, generator=gen)[:k]] *= -1
    energies = [net.energy(s)]
    with torch.no_grad():
        for _ in range(sweeps):
            for i in torch.randperm(n, generator=gen).tolist():
                net.update_unit(s, i)
                energies.append(net.energy(s))
        stored = net.energy(xi)
    return BinaryRecall(
        torch.stack(energies).detach().numpy(),
        ((xi * s).sum(1) / n).numpy(),
        stored.detach().numpy(),
    )


@functools.cache
@one_thread
def continuous_dynamics(
    self_coupling: float = 6.0, rotation: float = 10.0, steps: int = 3000, dt: float = 0.01
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    r"""Energy and outputs $V = \sigma(u)$ along the dynamics of a two-unit network.

    Returns:
        `{"symmetric": (energy, V), "non-symmetric": (energy, V)}` with `energy` `(steps + 1,)`
        and `V` `(steps + 1, 2)`. The symmetric network has $W = \mathrm{diag}(a, a)$, the
        other adds the antisymmetric coupling $\pm$`rotation`; both have $b = -W\mathbf{1}/2$.
    """
    a, c = self_coupling, rotation
    out = {}
    for name, W in (
        ("symmetric", [[a, 0.0], [0.0, a]]),
        ("non-symmetric", [[a, -c], [c, a]]),
    ):
        net = HopfieldNetwork(2, mode="continuous").double()
        with torch.no_grad():
            net.weight.copy_(torch.tensor(W, dtype=torch.float64))
            net.bias.copy_(-net.weight.sum(1) / 2)
            u = torch.tensor([[0.3, -0.2]], dtype=torch.float64)
            us = [u]
            for _ in range(steps):
                # Euler step of du/dt = -u + W sigma(u) + b
                u = u + dt * net.velocity(u)
                us.append(u)
            U = torch.cat(us)  # (steps + 1, 2)
            out[name] = (net.energy(U).numpy(), torch.sigmoid(U).numpy())
    return out
