r"""Saxe et al.'s exact learning dynamics of a two-layer linear network, simulated and solved.

The task: whitened inputs ($\tfrac1n X^\top X = I$) and targets $y = Mx$ with
$M = U\,\mathrm{diag}(s_\alpha)V^\top$. With the loss $\tfrac{1}{2n}\sum_i \lVert y_i -
W_2W_1x_i\rVert^2$, gradient descent with step $\eta$ approximates gradient flow with time
constant $\tau = 1/\eta$ (one step is one unit of $t$). Started from $W_1 = \sqrt{u_0}\,V^\top$,
$W_2 = \sqrt{u_0}\,U$ each mode strength $u_\alpha = u_\alpha^\top W_2W_1 v_\alpha$ obeys
$\tau\dot u = 2u(s_\alpha - u)$, whose solution is the sigmoid in `analytic_mode`. A one-layer
model $W$ learns $\tau\dot u = s - u$ instead: an exponential approach with no plateau.
The simulation trains `refimpl.nn.DeepLinearNetwork` with `refimpl.optim.SGD`.
Reading list: ``saxe2014``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch

from refimpl.experiments._threads import single_thread
from refimpl.nn.deep_linear import DeepLinearNetwork
from refimpl.optim import SGD

__all__ = ["ModeCurves", "analytic_mode", "mode_curves", "shallow_mode"]


def analytic_mode(t: np.ndarray, s: float, u0: float, tau: float) -> np.ndarray:
    r"""$u(t) = s\,e^{2st/\tau} / (e^{2st/\tau} - 1 + s/u_0)$, the deep (two-layer) mode."""
    e = np.exp(2 * s * np.asarray(t) / tau)
    return s * e / (e - 1 + s / u0)


def shallow_mode(t: np.ndarray, s: float, u0: float, tau: float) -> np.ndarray:
    r"""$u(t) = s + (u_0 - s)e^{-t/\tau}$, the one-layer mode."""
    return s + (u0 - s) * np.exp(-np.asarray(t) / tau)


@dataclass(frozen=True)
class ModeCurves:
    r"""Mode strengths over training.

    Attributes:
        steps: $t = 0, \dots, T$, shape ``(T + 1,)``.
        singular_values: the target's $s_\alpha$, shape ``(k,)``.
        deep: $u_\alpha(t)$ of the two-layer network, shape ``(T + 1, k)``.
        shallow: $u_\alpha(t)$ of a one-layer model, shape ``(T + 1, k)``.
        tau: the time constant $1/\eta$.
        u0: the initial mode strength.
    """

    steps: np.ndarray
    singular_values: np.ndarray
    deep: np.ndarray
    shallow: np.ndarray
    tau: float
    u0: float


def _orthogonal(n: int, gen: torch.Generator) -> torch.Tensor:
    q, r = torch.linalg.qr(torch.randn(n, n, generator=gen, dtype=torch.float64))
    return q * torch.diagonal(r).sign()


@functools.cache
def mode_curves(
    singular_values: tuple[float, ...] = (3.0, 2.0, 1.0),
    lr: float = 0.005,
    steps: int = 1600,
    u0: float = 1e-3,
) -> ModeCurves:
    """Train a deep (two-layer) and a shallow linear model on the same task; track the modes.

    Args:
        singular_values: the target's singular values $s_\\alpha$.
        lr: the step size $\\eta$ (so $\\tau = 1/\\eta$ steps).
        steps: the number of steps $T$.
        u0: the initial strength of every mode.

    Returns:
        The mode strengths of both models at every step (read-only arrays). Cached.
    """
    k = len(singular_values)
    gen = torch.Generator().manual_seed(0)
    U, V = _orthogonal(k, gen), _orthogonal(k, gen)
    S = torch.tensor(singular_values, dtype=torch.float64)
    M = U @ torch.diag(S) @ V.T  # the target map
    # whitened inputs: n examples with (1/n) XᵀX = I exactly
    n = 8 * k
    Q, _ = torch.linalg.qr(torch.randn(n, k, generator=gen, dtype=torch.float64))
    X = Q * n**0.5  # (n, k)
    Y = X @ M.T  # (n, k)

    deep = DeepLinearNetwork([k, k, k], dtype=torch.float64)
    shallow = DeepLinearNetwork([k, k], dtype=torch.float64)
    with torch.no_grad():
        # SVD-aligned ("decoupled") initial conditions, every mode at strength u0
        deep.layers[0].weight.copy_(u0**0.5 * V.T)
        deep.layers[1].weight.copy_(u0**0.5 * U)
        shallow.layers[0].weight.copy_(u0 * U @ V.T)
    curves = {}
    with single_thread():
        for name, model in (("deep", deep), ("shallow", shallow)):
            opt = SGD(model.parameters(), lr=lr)
            modes = []
            for t in range(steps + 1):
                with torch.no_grad():
                    # u_α = u_αᵀ (W_L ⋯ W_1) v_α
                    modes.append(torch.diagonal(U.T @ model.end_to_end() @ V).numpy().copy())
                if t == steps:
                    break
                opt.zero_grad()
                # L = (1/2n) Σ ‖y − W x‖²
                loss = 0.5 * ((model(X) - Y) ** 2).sum() / n
                loss.backward()
                opt.step()
            curves[name] = np.asarray(modes)
    result = ModeCurves(
        steps=np.arange(steps + 1),
        singular_values=np.asarray(singular_values),
        deep=curves["deep"],
        shallow=curves["shallow"],
        tau=1.0 / lr,
        u0=u0,
    )
    for a in (result.steps, result.singular_values, result.deep, result.shallow):
        a.flags.writeable = False
    return result
