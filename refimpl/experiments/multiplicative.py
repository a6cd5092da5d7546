r"""Fitting a conditional function with and without a multiplicative interaction.

The target depends on $x \in [-1, 1]^2$ through a direction chosen by a context
$z = (\cos\theta, \sin\theta)$: $y = |z^\top x|$, a crease whose orientation turns with
$\theta$. Two one-hidden-layer ReLU networks are trained on the same samples with Adam: one
feeds the concatenation $[x; z]$ to a `Linear` layer, the other feeds $(x, z)$ to a
`MultiplicativeInteraction` layer, $h = \mathrm{ReLU}(z^\top\mathbb{W}x + z^\top U + Vx + b)$,
which can write $z^\top x$ into a unit directly: two such units with $\mathbb{W} = \pm I$
represent the target exactly, as $|u| = \mathrm{ReLU}(u) + \mathrm{ReLU}(-u)$. ``run``
returns their test errors over training and their predictions on a grid for one fixed $z$.
Reading list: ``jayakumar2020mi``.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import torch
from torch import Tensor

from refimpl.experiments._threads import one_thread
from refimpl.nn.linear import Linear
from refimpl.nn.multiplicative import MultiplicativeInteraction

__all__ = ["ConcatNet", "MINet", "conditional_task", "run"]


def conditional_task(n: int, generator: torch.Generator) -> tuple[Tensor, Tensor, Tensor]:
    r"""$n$ samples $x \sim U[-1,1]^2$, $z = (\cos\theta, \sin\theta)$, $y = |z^\top x|$.

    The angle is uniform, $\theta \sim U[0, 2\pi)$.
    """
    x = torch.rand(n, 2, generator=generator) * 2 - 1  # (n, 2)
    theta = torch.rand(n, generator=generator) * 2 * math.pi
    z = torch.stack([theta.cos(), theta.sin()], dim=-1)  # (n, 2)
    # y = |zᵀx|
    y = (x * z).sum(-1, keepdim=True).abs()  # (n, 1)
    return x, z, y


class ConcatNet(torch.nn.Module):
    """$\\hat y = w^\\top \\mathrm{ReLU}(A[x; z] + a) + c$: the context joins the input."""

    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.hidden, self.readout = Linear(4, hidden), Linear(hidden, 1)

    def forward(self, x: Tensor, z: Tensor) -> Tensor:
        """`(B, 2)`, `(B, 2)` to `(B, 1)`."""
        return self.readout(torch.relu(self.hidden(torch.cat([x, z], dim=-1))))


class MINet(torch.nn.Module):
    """$\\hat y = w^\\top \\mathrm{ReLU}(f(x, z)) + c$, $f$ a multiplicative interaction."""

    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.hidden, self.readout = MultiplicativeInteraction(2, 2, hidden), Linear(hidden, 1)

    def forward(self, x: Tensor, z: Tensor) -> Tensor:
        """`(B, 2)`, `(B, 2)` to `(B, 1)`."""
        return self.readout(torch.relu(self.hidden(x, z)))


@functools.cache
@one_thread
def run(
    steps: int = 400,
    lr: float = 0.02,
    n_train: int = 512,
    n_test: int = 2048,
    theta: float = math.pi / 3,
    grid: int = 41,
    seed: int = 0,
) -> dict:
    """Train a concatenation net (16 and 64 hidden units) and an MI net (4 units).

    Each network is trained full-batch with Adam and a cosine learning-rate schedule from the
    same seed; the test error is recorded every 10 steps.

    Returns:
        ``{"steps": (S,), "models": {name: {"params": int, "test": (S,)}}, "grid": (G,),
        "target": (G, G), "predictions": {name: (G, G)}, "theta": float}``, the grids indexed
        ``[x₂, x₁]`` for the fixed context $z = (\\cos\\theta, \\sin\\theta)$.
    """
    g = torch.Generator().manual_seed(seed)
    x, z, y = conditional_task(n_train, g)
    x_test, z_test, y_test = conditional_task(n_test, g)
    coords = torch.linspace(-1, 1, grid)
    x2, x1 = torch.meshgrid(coords, coords, indexing="ij")
    x_grid = torch.stack([x1, x2], dim=-1).reshape(-1, 2)  # (G², 2)
    z_grid = torch.tensor([math.cos(theta), math.sin(theta)]).expand(grid * grid, 2)
    specs = {
        "concat, 16 units": (ConcatNet, 16),
        "concat, 64 units": (ConcatNet, 64),
        "MI, 4 units": (MINet, 4),
    }
    models, predictions = {}, {}
    for name, (cls, hidden) in specs.items():
        torch.manual_seed(seed)
        net = cls(hidden)
        opt = torch.optim.Adam(net.parameters(), lr=lr)
        schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
        test = []
        for step in range(steps + 1):
            if step % 10 == 0:
                with torch.no_grad():
                    test.append(((net(x_test, z_test) - y_test) ** 2).mean().item())
            if step == steps:
                break
            opt.zero_grad()
            loss = ((net(x, z) - y) ** 2).mean()
            loss.backward()
            opt.step()
            schedule.step()
        with torch.no_grad():
            predictions[name] = net(x_grid, z_grid).reshape(grid, grid).numpy()
        models[name] = {
            "params": sum(p.numel() for p in net.parameters()),
            "test": np.array(test),
        }
    target = (x_grid * z_grid).sum(-1).abs().reshape(grid, grid).numpy()
    return {
        "steps": np.arange(0, steps + 1, 10),
        "models": models,
        "grid": coords.numpy(),
        "target": target,
        "predictions": predictions,
        "theta": theta,
    }
