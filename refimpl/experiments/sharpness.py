r"""Sharpness: SAM against gradient descent on a small ReLU network, and rescaled minima.

``sam_vs_gd`` trains a 2-16-1 ReLU network on a small regression problem with full-batch
gradient descent and with SAM around the same gradient descent, and records the training loss
and the sharpness $\lambda_{\max}(\nabla^2 L)$ (the exact Hessian's largest eigenvalue) along
the way. Gradient descent with step $\gamma$ drives the sharpness up to about the stability
limit $2/\gamma$; SAM settles where the loss is flatter.

``rescaled_sharpness`` multiplies the hidden layer's incoming weights and biases by $\alpha$ and
its outgoing weights by $1/\alpha$: the network computes the same function, so the loss is
identical, yet $\lambda_{\max}$ changes by orders of magnitude (Dinh et al. 2017).
Reading list: ``foret2021sam``, ``keskar2017``, ``dinh2017``.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from refimpl.functional.second_order import flat_gradient_and_hessian
from refimpl.optim import SAM, SGD

__all__ = [
    "SharpnessRun",
    "rescale_hidden_units",
    "rescaled_sharpness",
    "sam_vs_gd",
    "sharpness",
    "sharpness_data",
]


@dataclass(frozen=True)
class SharpnessRun:
    """One training run of ``sam_vs_gd``.

    Attributes:
        name: the method.
        losses: the training loss before every step, shape ``(T,)``.
        checkpoints: the steps at which the sharpness was measured, shape ``(k,)``.
        sharpness: $\\lambda_{\\max}$ of the Hessian at those steps, shape ``(k,)``.
        model: the trained network.
    """

    name: str
    losses: np.ndarray
    checkpoints: np.ndarray
    sharpness: np.ndarray
    model: torch.nn.Module


def sharpness_data(n: int = 64, seed: int = 0) -> tuple[Tensor, Tensor]:
    r"""$y = \sin(2x_1)\cos(x_2) + 0.1\,\xi$ for $x$ uniform on $[-2, 2]^2$, float64."""
    gen = torch.Generator().manual_seed(seed)
    X = torch.rand(n, 2, generator=gen, dtype=torch.float64) * 4 - 2
    noise = torch.randn(n, 1, generator=gen, dtype=torch.float64)
    return X, (torch.sin(2 * X[:, 0]) * torch.cos(X[:, 1]))[:, None] + 0.1 * noise


def sharpness(model: torch.nn.Module, X: Tensor, y: Tensor) -> float:
    r"""$\lambda_{\max}$ of the Hessian of the mean squared error over all parameters."""
    _, H = flat_gradient_and_hessian(((model(X) - y) ** 2).mean(), list(model.parameters()))
    return float(torch.linalg.eigvalsh(H)[-1])


def rescale_hidden_units(model: torch.nn.Sequential, alpha: float) -> torch.nn.Sequential:
    r"""$(W_1, b_1, W_2) \to (\alpha W_1, \alpha b_1, W_2/\alpha)$: the same ReLU network."""
    out = copy.deepcopy(model)
    with torch.no_grad():
        out[0].weight.mul_(alpha)
        out[0].bias.mul_(alpha)
        out[2].weight.div_(alpha)
    return out


@functools.cache
def sam_vs_gd(
    steps: int = 1000, lr: float = 0.2, rho: float = 0.1, every: int = 50
) -> tuple[SharpnessRun, ...]:
    r"""Train the same 2-16-1 ReLU network with gradient descent and with SAM.

    Args:
        steps: the number of steps $T$.
        lr: the learning rate $\gamma$ of both.
        rho: SAM's radius $\rho$.
        every: measure the sharpness every this many steps (and at the end).

    Returns:
        The gradient-descent run and the SAM run (read-only arrays). Cached.
    """
    X, y = sharpness_data()
    torch.manual_seed(0)
    base = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
    base = base.double()
    runs = []
    for name in (f"gradient descent (γ = {lr:g})", f"SAM (ρ = {rho:g}, same γ)"):
        model = copy.deepcopy(base)
        sam = name.startswith("SAM")
        opt = (
            SAM(model.parameters(), torch.optim.SGD, rho=rho, lr=lr)
            if sam
            else SGD(model.parameters(), lr=lr)
        )

        def closure(m: torch.nn.Module = model) -> Tensor:
            loss = ((m(X) - y) ** 2).mean()
            loss.backward()
            return loss

        losses, checkpoints, sharp = [], [], []
        for t in range(steps + 1):
            if t % every == 0 or t == steps:
                checkpoints.append(t)
                sharp.append(sharpness(model, X, y))
            if t == steps:
                break
            if sam:
                loss = opt.step(closure)
            else:
                opt.zero_grad()
                loss = closure()
                opt.step()
            losses.append(float(loss.detach()))
        arrays = [np.asarray(losses), np.asarray(checkpoints), np.asarray(sharp)]
        for a in arrays:
            a.flags.writeable = False
        runs.append(SharpnessRun(name, *arrays, model=model))
    return tuple(runs)


@functools.cache
def rescaled_sharpness(alphas: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Loss and sharpness of the rescaled gradient-descent and SAM solutions of ``sam_vs_gd``.

    Args:
        alphas: the rescaling factors $\alpha$.

    Returns:
        ``(losses, sharpness_gd, sharpness_sam)``: the gradient-descent solution's loss for each
        $\alpha$ and the $\lambda_{\max}$ of both solutions, each of shape ``(len(alphas),)``.
        Read-only. Cached.
    """
    X, y = sharpness_data()
    gd, sam = sam_vs_gd()
    losses, s_gd, s_sam = [], [], []
    for a in alphas:
        m = rescale_hidden_units(gd.model, a)
        with torch.no_grad():
            losses.append(float(((m(X) - y) ** 2).mean()))
        s_gd.append(sharpness(m, X, y))
        s_sam.append(sharpness(rescale_hidden_units(sam.model, a), X, y))
    out = (np.asarray(losses), np.asarray(s_gd), np.asarray(s_sam))
    for arr in out:
        arr.flags.writeable = False
    return out
