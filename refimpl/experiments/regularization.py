r"""Regularisation inside the optimizer: L2 against decoupled weight decay, and Powerpropagation.

*Weight decay.* On the diagonal quadratic $L(\theta) = \tfrac12\sum_i h_i(\theta_i - 1)^2$ with
curvatures $h_i$ from $10^{-2}$ to $10^2$, Adam with an L2 term $\lambda\theta$ added to the
gradient converges to the minimiser of the penalised loss, $\theta_i = h_i/(h_i + \lambda)$,
which shrinks the low-curvature coordinates most; AdamW's decoupled decay shrinks every
coordinate by about the same amount, whatever its curvature.

*Powerpropagation.* An under-determined sparse regression ($n = 40$ examples, $d = 100$
weights, 5 of them nonzero in the teacher) is fitted by gradient descent on $\phi$ with
$w = \Psi(\phi) = \phi\lvert\phi\rvert^{\alpha-1}$ from the same initial weights, for
$\alpha \in \{1, 2, 3\}$; all fit the data, and larger $\alpha$ leaves more weights near zero.
Reading list: ``loshchilov2019decoupled``, ``schwarz2021powerprop``, ``goodfellow2016``.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from refimpl.functional.powerpropagation import powerprop, powerprop_inverse
from refimpl.optim import SGD, Adam, AdamW

__all__ = ["powerprop_runs", "pruned_losses", "sparse_regression", "weight_decay_fixed_points"]


@functools.cache
def weight_decay_fixed_points(
    weight_decay: float = 0.1, steps: int = 1000, lr: float = 0.01
) -> dict[str, np.ndarray]:
    """Where Adam + L2 and AdamW settle on the diagonal quadratic (cached).

    Args:
        weight_decay: $\\lambda$.
        steps: optimizer steps; the result averages the last 200 iterates.
        lr: the learning rate.

    Returns:
        ``{"curvature": h, "ridge": h/(h+λ), "Adam + L2": θ, "AdamW": θ}``, each ``(20,)``.
    """
    h = torch.logspace(-2, 2, 20, dtype=torch.float64)
    out = {"curvature": h.numpy(), "ridge": (h / (h + weight_decay)).numpy()}
    for name, make in (
        ("Adam + L2", lambda p: Adam(p, lr=lr, weight_decay=weight_decay)),
        ("AdamW", lambda p: AdamW(p, lr=lr, weight_decay=weight_decay)),
    ):
        theta = torch.nn.Parameter(torch.zeros(20, dtype=torch.float64))
        opt = make([theta])
        tail = []
        for t in range(steps):
            opt.zero_grad()
            # L = ½ Σ h_i (θ_i − 1)²
            (0.5 * (h * (theta - 1) ** 2).sum()).backward()
            opt.step()
            if t >= steps - 200:
                tail.append(theta.detach().clone())
        out[name] = torch.stack(tail).mean(0).numpy()
    return out


def sparse_regression(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """An under-determined regression with a 5-sparse teacher: ``(X, y, w_star)``, 40 × 100."""
    gen = torch.Generator().manual_seed(seed)
    X = torch.randn(40, 100, generator=gen, dtype=torch.float64)
    w_star = torch.zeros(100, dtype=torch.float64)
    w_star[:5] = torch.tensor([2.0, -1.5, 1.0, -0.8, 0.5], dtype=torch.float64)
    return X, X @ w_star, w_star


@functools.cache
def powerprop_runs(
    alphas: tuple[float, ...] = (1.0, 2.0, 3.0), steps: int = 1200, lr: float = 0.05
) -> dict[float, np.ndarray]:
    """Gradient descent on $\\phi$ with $w = \\Psi(\\phi)$ for each $\\alpha$ (cached).

    Every run starts from the same weights $w_0 \\sim \\mathcal N(0, 0.1^2)$, i.e. from
    $\\phi_0 = \\Psi^{-1}(w_0)$.

    Args:
        alphas: the exponents $\\alpha$.
        steps: gradient steps.
        lr: the learning rate on $\\phi$.

    Returns:
        ``{alpha: final weights w}``, each of shape ``(100,)``.
    """
    X, y, _ = sparse_regression()
    w0 = 0.1 * torch.randn(100, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    out = {}
    for alpha in alphas:
        phi = torch.nn.Parameter(powerprop_inverse(w0, alpha))
        opt = SGD([phi], lr=lr)
        for _ in range(steps):
            opt.zero_grad()
            # the loss sees only the weights w = Ψ(φ)
            (0.5 * ((X @ powerprop(phi, alpha) - y) ** 2).mean()).backward()
            opt.step()
        out[alpha] = powerprop(phi, alpha).detach().numpy()
    return out


def pruned_losses(w: np.ndarray) -> np.ndarray:
    """The training loss after keeping only the $k$ largest weights, for $k = 0, \\dots, d$.

    Args:
        w: the weights, shape ``(d,)``.

    Returns:
        The losses, shape ``(d + 1,)``.
    """
    X, y, _ = sparse_regression()
    order = np.argsort(-np.abs(w))
    losses = []
    for k in range(len(w) + 1):
        kept = np.zeros_like(w)
        kept[order[:k]] = w[order[:k]]
        losses.append(0.5 * np.mean((X.numpy() @ kept - y.numpy()) ** 2))
    return np.asarray(losses)
