r"""Minibatch gradients: unbiased, with variance $\propto 1/B$, and what that does to SGD.

For a loss that is a mean over $N$ examples, $L(\theta) = \frac1N\sum_i \ell_i(\theta)$, the
minibatch gradient $\hat g_B = \frac1B\sum_{i \in \mathcal B}\nabla\ell_i$ over $B$ indices drawn
uniformly is unbiased, $\mathbb E[\hat g_B] = \nabla L$, and its mean squared error is

$$
\mathbb E\|\hat g_B - \nabla L\|^2 = \frac{\operatorname{tr}\Sigma}{B}
\ \ \text{(with replacement)},\qquad
\frac{\operatorname{tr}\Sigma}{B}\cdot\frac{N-B}{N-1}\ \ \text{(without)},
$$

where $\Sigma = \frac1N\sum_i(\nabla\ell_i - \nabla L)(\nabla\ell_i - \nabla L)^\top$ is the
covariance of the per-example gradients. The model is linear least squares,
$\ell_i = \tfrac12(x_i^\top\theta - y_i)^2$, whose per-example gradients are
$(x_i^\top\theta - y_i)\,x_i$. Training runs use ``refimpl.optim.SGD`` on reshuffled epochs.
Reading list: ``goodfellow2016`` (section 8.1.3), ``bottou2018optimization``, ``keskar2017``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from refimpl.data import linear_regression_data
from refimpl.optim import SGD

__all__ = [
    "GradientNoise",
    "minibatch_gradient_noise",
    "per_example_gradients",
    "regression_problem",
    "sgd_batch_size_curves",
]


def regression_problem(
    num_samples: int = 256, dim: int = 10, noise: float = 0.5
) -> tuple[Tensor, Tensor]:
    """The seeded least-squares data set of the experiments.

    Args:
        num_samples: $N$.
        dim: $d$.
        noise: label noise $\\sigma$.

    Returns:
        ``(X, y)`` with shapes ``(N, d)`` and ``(N,)``, float64.
    """
    X, y, _ = linear_regression_data(num_samples, dim, noise, seed=3)
    return X, y


def per_example_gradients(X: Tensor, y: Tensor, theta: Tensor) -> Tensor:
    r"""$\nabla\ell_i(\theta) = (x_i^\top\theta - y_i)\,x_i$ for every example.

    Args:
        X: inputs, shape ``(N, d)``.
        y: targets, shape ``(N,)``.
        theta: the parameters, shape ``(d,)``.

    Returns:
        The per-example gradients, shape ``(N, d)``.
    """
    # --8<-- [start:per_example]
    # ∇ℓ_i = (x_iᵀθ − y_i) x_i
    residual = X @ theta - y  # (N,)
    return residual[:, None] * X  # (N, d)
    # --8<-- [end:per_example]


@dataclass(frozen=True)
class GradientNoise:
    r"""Measured and predicted minibatch-gradient error for several batch sizes.

    Attributes:
        batch_sizes: $B$, shape ``(k,)``.
        mse_with_replacement: measured $\mathbb E\|\hat g_B - \nabla L\|^2$, sampling with
            replacement, shape ``(k,)``.
        mse_without_replacement: the same without replacement, shape ``(k,)``.
        predicted_with: $\operatorname{tr}\Sigma / B$, shape ``(k,)``.
        predicted_without: $\operatorname{tr}\Sigma/B\cdot(N-B)/(N-1)$, shape ``(k,)``.
        bias: $\|\overline{\hat g_B} - \nabla L\|$ of the average over all draws (with
            replacement), shape ``(k,)``.
        full_gradient_norm: $\|\nabla L\|$.
    """

    batch_sizes: np.ndarray
    mse_with_replacement: np.ndarray
    mse_without_replacement: np.ndarray
    predicted_with: np.ndarray
    predicted_without: np.ndarray
    bias: np.ndarray
    full_gradient_norm: float


@functools.cache
def minibatch_gradient_noise(
    batch_sizes: tuple[int, ...], draws: int = 1000, seed: int = 0
) -> GradientNoise:
    """Draw many minibatches at a fixed point and measure the error of their mean gradient.

    Args:
        batch_sizes: the batch sizes $B$ to measure.
        draws: minibatches drawn per batch size and sampling scheme.
        seed: seed of the private generator.

    Returns:
        The measured and predicted errors (cached).
    """
    X, y = regression_problem()
    N, d = X.shape
    theta = torch.zeros(d, dtype=X.dtype)
    grads = per_example_gradients(X, y, theta)  # (N, d)
    full = grads.mean(0)  # ∇L, (d,)
    # tr Σ = mean_i ‖∇ℓ_i − ∇L‖²
    trace_cov = float(((grads - full) ** 2).sum(1).mean())
    gen = torch.Generator().manual_seed(seed)
    mse_with, mse_without, bias = [], [], []
    for B in batch_sizes:
        idx = torch.randint(N, (draws, B), generator=gen)  # with replacement
        g_hat = grads[idx].mean(1)  # (draws, d)
        mse_with.append(float(((g_hat - full) ** 2).sum(1).mean()))
        bias.append(float((g_hat.mean(0) - full).norm()))
        perm = torch.argsort(torch.rand(draws, N, generator=gen), dim=1)[:, :B]  # without
        g_hat = grads[perm].mean(1)
        mse_without.append(float(((g_hat - full) ** 2).sum(1).mean()))
    Bs = np.asarray(batch_sizes, dtype=np.float64)
    return GradientNoise(
        batch_sizes=np.asarray(batch_sizes),
        mse_with_replacement=np.asarray(mse_with),
        mse_without_replacement=np.asarray(mse_without),
        predicted_with=trace_cov / Bs,
        predicted_without=trace_cov / Bs * (N - Bs) / (N - 1),
        bias=np.asarray(bias),
        full_gradient_norm=float(full.norm()),
    )


@functools.cache
def sgd_batch_size_curves(
    batch_sizes: tuple[int, ...], lr: float = 0.02, epochs: int = 5, seed: int = 0
) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Train the least-squares model with SGD at one learning rate for several batch sizes.

    Each epoch visits the examples in a fresh random order (shuffling), in batches of $B$.

    Args:
        batch_sizes: the batch sizes $B$.
        lr: the common learning rate $\\gamma$.
        epochs: passes over the data.
        seed: seed of the shuffling generator.

    Returns:
        ``{B: (epochs_seen, excess_loss)}``: after each step, the number of epochs processed
        and $L(\\theta) - L(\\theta^\\star)$ on the full data set (cached; read-only arrays).
    """
    X, y = regression_problem()
    N, d = X.shape
    theta_star = torch.linalg.lstsq(X, y[:, None]).solution[:, 0]
    best = 0.5 * ((X @ theta_star - y) ** 2).mean()
    out = {}
    for B in batch_sizes:
        gen = torch.Generator().manual_seed(seed)
        theta = torch.nn.Parameter(torch.zeros(d, dtype=X.dtype))
        opt = SGD([theta], lr=lr)
        seen, excess = [0.0], [float(0.5 * (y**2).mean() - best)]
        # --8<-- [start:sgd_loop]
        for _ in range(epochs):
            order = torch.randperm(N, generator=gen)  # shuffle every epoch
            for start in range(0, N, B):
                idx = order[start : start + B]
                opt.zero_grad()
                # the minibatch loss (1/B) Σ_{i∈batch} ½ (x_iᵀθ − y_i)²
                (0.5 * ((X[idx] @ theta - y[idx]) ** 2).mean()).backward()
                opt.step()
                with torch.no_grad():
                    full = 0.5 * ((X @ theta - y) ** 2).mean()
                seen.append(seen[-1] + len(idx) / N)
                excess.append(float(full - best))
        # --8<-- [end:sgd_loop]
        s, e = np.asarray(seen), np.asarray(excess)
        s.flags.writeable = False
        e.flags.writeable = False
        out[B] = (s, e)
    return out
