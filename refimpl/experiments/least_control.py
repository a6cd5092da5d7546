r"""Experiment for the least-control page: a small equilibrium network trained by the
least-control rule, next to gradient descent on the loss at the free equilibrium.

The network has 2 inputs and 12 units, of which one is the output; the data are 8 points of a
smooth 2-D function. Both learners take plain gradient steps of the same size; the reference
gradient of the free-equilibrium loss comes from implicit differentiation.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from refimpl.equilibrium.implicit import implicit_fixed_point
from refimpl.equilibrium.least_control import LeastControlNetwork
from refimpl.experiments._threads import one_thread

__all__ = ["free_loss", "lcp_problem", "lcp_training"]

F64 = torch.float64


def lcp_problem(seed: int = 0):
    """A seeded network and data set `(net, x, y)`: 8 inputs in 2-D, targets in (-0.8, 0.8)."""
    torch.manual_seed(seed)
    net = LeastControlNetwork(2, 12, 1).double()
    gen = torch.Generator().manual_seed(seed + 1)
    x = 2 * torch.rand(8, 2, generator=gen, dtype=F64) - 1
    y = (0.8 * torch.sin(2 * x[:, :1]) * torch.cos(2 * x[:, 1:])).to(F64)
    return net, x, y


def free_loss(net: LeastControlNetwork, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    r"""$\frac12\lVert\phi_{\text{out}} - y\rVert^2$ at the free equilibrium (implicit grads)."""
    z0 = x.new_zeros(x.shape[0], net.W.shape[0])
    phi = implicit_fixed_point(
        lambda p, x: p + net.f(p, x),
        x,
        z0,
        tuple(net.parameters()),
        solver="iteration",
        backward="iterate",
        tol=1e-10,
        max_iter=2000,
    )
    return 0.5 * ((phi[:, -net.n_out :] - y) ** 2).sum()


@functools.cache
@one_thread
def lcp_training(steps: int = 120, lr: float = 0.1) -> dict[str, np.ndarray]:
    """Train once with the least-control rule and once with the exact gradient of the loss.

    Returns:
        `{"lcp_H", "lcp_loss", "gd_loss", "cos_step", "cosine"}`: the least-control objective
        and the free-equilibrium loss of the LCP learner and the free-equilibrium loss of the
        gradient learner, per step; and every 5 steps the cosine between the LCP update and the
        exact gradient of the free-equilibrium loss, along the LCP learner's path.
    """
    out = {"lcp_H": [], "lcp_loss": [], "gd_loss": [], "cos_step": [], "cosine": []}
    net, x, y = lcp_problem()
    for step in range(steps + 1):
        *grads, H = net.lcp_gradient(x, y)
        out["lcp_H"].append(float(H))
        if step % 5 == 0:
            loss = free_loss(net, x, y)
            true = torch.cat(
                [g.flatten() for g in torch.autograd.grad(loss, list(net.parameters()))]
            )
            lcp = torch.cat([g.flatten() for g in grads])
            out["cos_step"].append(step)
            out["cosine"].append(float(lcp @ true / (lcp.norm() * true.norm())))
        with torch.no_grad():
            out["lcp_loss"].append(float(free_loss(net, x, y)))
        with torch.no_grad():
            for p, g in zip(net.parameters(), grads, strict=True):
                p -= lr * g
    net, x, y = lcp_problem()
    for _ in range(steps + 1):
        loss = free_loss(net, x, y)
        out["gd_loss"].append(float(loss.detach()))
        grads = torch.autograd.grad(loss, list(net.parameters()))
        with torch.no_grad():
            for p, g in zip(net.parameters(), grads, strict=True):
                p -= lr * g
    return {k: np.array(v) for k, v in out.items()}
