r"""Sharpness of the solutions different optimizers find, and why sharpness is not invariant.

*Sharpness* here is the top Hessian eigenvalue $\lambda_{\max}$ of the training loss at the
solution. Two experiments:

1. **Which solutions are sharp.** The same network trained with the same step $\gamma$ by
   small-batch SGD, by full-batch gradient descent and by sharpness-aware minimisation (SAM),
   which descends the gradient taken at the worst nearby point
   $\theta + \rho\,\nabla L/\lVert\nabla L\rVert$ (Foret et al. 2021). The sharpness is recorded
   along training and compared with the stability limit $2/\gamma$.
2. **The same function at many sharpnesses** (Dinh et al. 2017). A one-hidden-layer ReLU network
   $f(x) = W_2\,\mathrm{ReLU}(W_1 x + b_1) + b_2$ is unchanged by
   $T_\alpha : (W_1, b_1, W_2) \mapsto (\alpha W_1, \alpha b_1, W_2/\alpha)$ for every
   $\alpha > 0$, since $\mathrm{ReLU}(\alpha z) = \alpha\,\mathrm{ReLU}(z)$. The loss is therefore
   the same at $\theta$ and $T_\alpha\theta$, but the Hessian is not: with
   $D_\alpha = \mathrm{diag}(\alpha I, \alpha I, \alpha^{-1} I, I)$, the chain rule gives
   $H(T_\alpha\theta) = D_\alpha^{-1} H(\theta) D_\alpha^{-1}$, whose top eigenvalue grows
   without bound as $\alpha \to 0$ or $\alpha \to \infty$.

Reading list: ``dinh2017``, ``keskar2017``, ``foret2021sam``, ``li2018landscape``,
``cohen2021edge``.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from refimpl import diagnostics
from refimpl.experiments.troubleshooting import regression_data
from refimpl.optim import SGD
from refimpl.train import HessianCallback, train

__all__ = [
    "Rescaling",
    "SharpnessRun",
    "rescale",
    "rescaling_experiment",
    "sam_step",
    "sharpness_runs",
]

mse = nn.functional.mse_loss


def _net(seed: int, width: int = 16) -> nn.Sequential:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(1, width), nn.ReLU(), nn.Linear(width, 1)).double()


# --8<-- [start:rescale]
def rescale(net: nn.Sequential, alpha: float) -> nn.Sequential:
    r"""$T_\alpha$: the first layer times $\alpha$, the second layer's weights divided by it.

    Args:
        net: `Sequential(Linear, ReLU, Linear)`; it is not modified.
        alpha: the factor $\alpha > 0$.

    Returns:
        A copy computing the same function.
    """
    out = copy.deepcopy(net)
    with torch.no_grad():
        # ReLU(α(W₁x + b₁)) = α ReLU(W₁x + b₁), and W₂/α undoes the factor
        out[0].weight.copy_(alpha * net[0].weight)
        out[0].bias.copy_(alpha * net[0].bias)
        out[2].weight.copy_(net[2].weight / alpha)
        out[2].bias.copy_(net[2].bias)
    return out


# --8<-- [end:rescale]


# --8<-- [start:sam]
def sam_step(
    params: Sequence[torch.Tensor], loss_fn, optimizer: torch.optim.Optimizer, rho: float
) -> float:
    r"""One step of sharpness-aware minimisation (Foret et al. 2021).

    $$
    \hat\epsilon = \rho\,\frac{\nabla L(\theta)}{\lVert\nabla L(\theta)\rVert},\qquad
    \theta \leftarrow \mathrm{opt}\big(\theta,\ \nabla L(\theta + \hat\epsilon)\big).
    $$

    Args:
        params: the parameters $\theta$.
        loss_fn: evaluates the loss at the current parameters (no arguments).
        optimizer: the base optimizer, stepped with the gradient at the perturbed point.
        rho: the radius $\rho$ of the neighbourhood.

    Returns:
        The loss at $\theta$ before the step.
    """
    params = list(params)
    loss = loss_fn()
    grads = torch.autograd.grad(loss, params)
    norm = torch.sqrt(sum((g * g).sum() for g in grads))
    # ε̂ = ρ ∇L / ‖∇L‖: the first-order worst case in the ball of radius ρ
    eps = [rho * g / (norm + 1e-12) for g in grads]
    with torch.no_grad():
        for p, e in zip(params, eps, strict=True):
            p.add_(e)
    optimizer.zero_grad()
    loss_fn().backward()  # ∇L(θ + ε̂)
    with torch.no_grad():
        for p, e in zip(params, eps, strict=True):
            p.sub_(e)
    optimizer.step()
    return float(loss.detach())


# --8<-- [end:sam]


@dataclass(frozen=True)
class SharpnessRun:
    r"""Sharpness along one training run.

    Attributes:
        label: the method.
        steps: where the sharpness was measured.
        sharpness: $\lambda_{\max}$ of the full training loss there.
        train_loss: the final full training loss.
        test_loss: the final loss on fresh data.
    """

    label: str
    steps: np.ndarray
    sharpness: np.ndarray
    train_loss: float
    test_loss: float


class _SAMOptimizer(torch.optim.Optimizer):
    """Lets `train` drive SAM: `step` recomputes the gradient at the perturbed point."""

    def __init__(self, params, lr: float, rho: float, loss_closure) -> None:
        params = list(params)
        super().__init__(params, {"lr": lr})
        self.base = SGD(params, lr=lr)
        self.rho = rho
        self.loss_closure = loss_closure

    def step(self, closure=None):
        self.base.param_groups[0]["lr"] = self.param_groups[0]["lr"]
        sam_step(self.param_groups[0]["params"], self.loss_closure, self.base, self.rho)


@functools.cache
def sharpness_runs(lr: float = 0.05, steps: int = 1000, every: int = 50) -> list[SharpnessRun]:
    r"""A ReLU MLP trained by SGD (batch 4), full-batch GD and full-batch SAM with the same step.

    Returns:
        One `SharpnessRun` per method, sharpness every `every` steps.
    """
    x, y = regression_data(64, noise=0.1, seed=11)
    xt, yt = regression_data(500, noise=0.1, seed=12)
    runs = []
    for label, batch, rho in (
        ("SGD, batch 4", 4, None),
        ("GD, full batch", None, None),
        (r"SAM, full batch, $\rho = 0.05$", None, 0.05),
    ):
        torch.manual_seed(0)
        model = nn.Sequential(
            nn.Linear(1, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1)
        ).double()
        if rho is None:
            opt = SGD(model.parameters(), lr=lr)
        else:
            opt = _SAMOptimizer(model.parameters(), lr, rho, lambda m=model: mse(m(x), y))
        cb = HessianCallback(every=every, iters=30)
        h = train(
            model, opt, mse, x, y, steps=steps, batch_size=batch, val=(xt, yt), callbacks=[cb]
        )
        s, sharp = h.series("sharpness")
        runs.append(SharpnessRun(label, s, sharp, h.train_loss[-1], h.val_loss[-1]))
    return runs


@dataclass(frozen=True)
class Rescaling:
    r"""Sharpness and loss slices of one trained network under the rescaling $T_\alpha$.

    Attributes:
        alphas: the factors $\alpha$.
        sharpness: $\lambda_{\max}$ at $T_\alpha\theta$.
        loss: the training loss at $T_\alpha\theta$ (the same for every $\alpha$).
        slice_alphas: the three $\alpha$ whose slices are kept.
        t: the step sizes along the direction.
        raw_slices: $L(T_\alpha\theta + t d)$ for a unit Gaussian direction $d$, one row per
            kept $\alpha$.
        filter_slices: the same along a filter-normalised direction.
    """

    alphas: np.ndarray
    sharpness: np.ndarray
    loss: np.ndarray
    slice_alphas: tuple[float, ...]
    t: np.ndarray
    raw_slices: np.ndarray
    filter_slices: np.ndarray


@functools.cache
def rescaling_experiment() -> Rescaling:
    r"""Train a one-hidden-layer ReLU net, then rescale it by $\alpha \in [10^{-2}, 10^2]$.

    Returns:
        The sharpness and loss for 17 factors, and 1-D loss slices for $\alpha = 0.1, 1, 10$.
    """
    x, y = regression_data(64, noise=0.1, seed=13)
    net = _net(5)
    train(net, torch.optim.Adam(net.parameters(), lr=1e-2), mse, x, y, steps=1500)
    alphas = np.logspace(-2, 2, 17)
    sharp, loss = [], []
    for a in alphas:
        m = rescale(net, float(a))
        value = mse(m(x), y)
        top, _ = diagnostics.top_hessian_eigenvalue(
            value,
            list(m.parameters()),
            iters=500,
            tol=1e-10,
            generator=torch.Generator().manual_seed(0),
        )
        sharp.append(top)
        loss.append(float(value.detach()))
    keep = (0.1, 1.0, 10.0)
    t = torch.linspace(-1, 1, 81, dtype=torch.float64)
    raw, filt = [], []
    for a in keep:
        m = rescale(net, a)
        params = list(m.parameters())
        g = torch.Generator().manual_seed(1)
        d_raw = diagnostics.random_direction(params, filter_normalize=False, generator=g)
        norm = torch.sqrt(sum((d * d).sum() for d in d_raw))
        d_raw = [d / norm for d in d_raw]
        g = torch.Generator().manual_seed(1)
        d_filt = diagnostics.random_direction(params, generator=g)
        closure = lambda m=m: mse(m(x), y)  # noqa: E731
        raw.append(diagnostics.loss_along_line(closure, params, d_raw, t).numpy())
        filt.append(diagnostics.loss_along_line(closure, params, d_filt, t).numpy())
    return Rescaling(
        alphas=alphas,
        sharpness=np.array(sharp),
        loss=np.array(loss),
        slice_alphas=keep,
        t=t.numpy(),
        raw_slices=np.stack(raw),
        filter_slices=np.stack(filt),
    )
