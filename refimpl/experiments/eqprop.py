r"""Experiment for the equilibrium-propagation page: the bias of EP's gradient estimate
against the nudging strength $\beta$, one-sided and symmetric, on a small `EPNetwork`.

The reference is the exact gradient of the cost at the free equilibrium, by implicit
differentiation.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from refimpl.equilibrium import EPNetwork
from refimpl.experiments._threads import one_thread

__all__ = ["ep_error_vs_beta"]


@functools.cache
@one_thread
def ep_error_vs_beta(
    betas: tuple[float, ...] = tuple(float(b) for b in np.logspace(-4, 0, 9)),
) -> dict[str, np.ndarray]:
    """Relative error of EP's estimate against the true gradient for each $\\beta$.

    Returns:
        `{"beta": ..., "one-sided": ..., "symmetric": ...}` arrays of the same length.
    """
    torch.manual_seed(0)
    net = EPNetwork(4, 8, 2).double()
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(5, 4, generator=gen, dtype=torch.float64)
    t = torch.rand(5, 2, generator=gen, dtype=torch.float64)
    true = torch.autograd.grad(net.loss_at_equilibrium(x, t), list(net.parameters()))
    true = torch.cat([g.flatten() for g in true])

    def error(beta: float, symmetric: bool) -> float:
        est = torch.cat([g.flatten() for g in net.ep_gradient(x, t, beta, symmetric)])
        return float((est - true).norm() / true.norm())

    return {
        "beta": np.array(betas),
        "one-sided": np.array([error(b, False) for b in betas]),
        "symmetric": np.array([error(b, True) for b in betas]),
    }
