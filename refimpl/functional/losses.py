r"""The seeds' cost functions: mean squared and absolute error, Huber, cross-entropy, % correct.

$$
\begin{aligned}
\text{MSE} &= \frac1n\sum_i (\hat y_i - y_i)^2, &
\text{MAE} &= \frac1n\sum_i \lvert\hat y_i - y_i\rvert, \\
\text{cross-entropy} &= -\frac1n\sum_i \log\frac{e^{z_{i,y_i}}}{\sum_k e^{z_{i,k}}}, &
\text{\% correct} &= \frac{100}{n}\sum_i [\arg\max_k z_{i,k} = y_i].
\end{aligned}
$$

and, between the first two, the Huber loss with threshold $\kappa$ on the residual
$r = \hat y - y$: $\tfrac12 r^2$ for $|r| \le \kappa$ and $\kappa(|r| - \tfrac12\kappa)$ beyond,
quadratic near zero like MSE and linear in the tails like MAE.

MSE is the negative log-likelihood of Gaussian noise (its minimiser is the conditional mean), MAE
of Laplace noise (the conditional median), cross-entropy of a categorical model. The first four
are differentiable training objectives (MAE except at zero); the last is an
evaluation metric whose gradient is zero almost everywhere. Each matches the
``torch.nn.functional`` routine of the same name (``mse_loss``, ``l1_loss``, ``huber_loss``,
``cross_entropy``).
Reading list: ``goodfellow2016`` (sections 5.5 and 6.2).
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["accuracy", "cross_entropy", "huber_loss", "l1_loss", "mse_loss"]


def _reduce(values: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return values.mean()
    if reduction == "sum":
        return values.sum()
    if reduction == "none":
        return values
    raise ValueError(f"{reduction} is not a valid value for reduction")


# --8<-- [start:losses]
def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean squared error (ŷ − y)², as ``torch.nn.functional.mse_loss``."""
    return _reduce((input - target) ** 2, reduction)


def l1_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean absolute error |ŷ − y|, as ``torch.nn.functional.l1_loss``."""
    return _reduce((input - target).abs(), reduction)


def huber_loss(
    input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0
) -> Tensor:
    r"""Huber loss, as ``torch.nn.functional.huber_loss``: $\tfrac12 r^2$ if $|r| \le \kappa$
    (``delta``), else $\kappa(|r| - \kappa/2)$, for the residual $r = \hat y - y$."""
    r = (input - target).abs()
    return _reduce(torch.where(r <= delta, 0.5 * r**2, delta * (r - 0.5 * delta)), reduction)


def cross_entropy(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """−log softmax(z)_y for logits z of shape (n, K) and class indices y of shape (n,)."""
    # log Σ_k e^{z_k}, shifted by max_k z_k so that no exponential overflows
    shift = input.amax(dim=1, keepdim=True).detach()  # (n, 1)
    log_normaliser = (input - shift).exp().sum(dim=1).log() + shift[:, 0]  # (n,)
    picked = input.gather(1, target[:, None])[:, 0]  # z_{i, y_i}, (n,)
    return _reduce(log_normaliser - picked, reduction)


def accuracy(input: Tensor, target: Tensor) -> Tensor:
    """% correct: 100 · mean [argmax_k z_k = y] (not differentiable; for evaluation)."""
    return 100.0 * (input.argmax(dim=1) == target).float().mean()


# --8<-- [end:losses]
