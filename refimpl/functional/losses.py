r"""Cost functions: squared error, absolute error, Huber and cross-entropy.

For predictions $\hat y_i$ and targets $y_i$ ($i = 1, \dots, n$), with residual $r = \hat y - y$:

$$
\mathrm{MSE} = \frac1n\sum_i r_i^2,\qquad
\mathrm{MAE} = \frac1n\sum_i |r_i|,\qquad
\mathrm{Huber}_\kappa = \frac1n\sum_i
\begin{cases} \tfrac12 r_i^2 & |r_i| \le \kappa \\
\kappa(|r_i| - \tfrac12\kappa) & \text{else,}\end{cases}
$$

and for class scores (logits) $z_i \in \mathbb R^C$ with labels $c_i$, the cross-entropy
$-\frac1n\sum_i \log \mathrm{softmax}(z_i)_{c_i}$. MSE is the negative log-likelihood of a
Gaussian noise model (its minimiser is the conditional mean), MAE of a Laplace model (the
conditional median), cross-entropy of a categorical one. Each matches its
``torch.nn.functional`` namesake with ``reduction="mean"``. Reading list: ``goodfellow2016``
(sections 5.5 and 6.2).
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["cross_entropy", "huber_loss", "l1_loss", "mse_loss"]


# --8<-- [start:losses]
def mse_loss(input: Tensor, target: Tensor) -> Tensor:
    r"""Mean squared error $\frac1n\sum_i (\hat y_i - y_i)^2$ (mean over all entries)."""
    return ((input - target) ** 2).mean()


def l1_loss(input: Tensor, target: Tensor) -> Tensor:
    r"""Mean absolute error $\frac1n\sum_i |\hat y_i - y_i|$ (mean over all entries)."""
    return (input - target).abs().mean()


def huber_loss(input: Tensor, target: Tensor, delta: float = 1.0) -> Tensor:
    r"""Huber: $\tfrac12 r^2$ for $|r| \le \kappa$ (``delta``), $\kappa(|r| - \kappa/2)$ beyond."""
    r = (input - target).abs()
    return torch.where(r <= delta, 0.5 * r**2, delta * (r - 0.5 * delta)).mean()


def cross_entropy(input: Tensor, target: Tensor) -> Tensor:
    r"""$-\frac1n\sum_i \log\mathrm{softmax}(z_i)_{c_i}$, logits ``(n, C)``, labels ``(n,)``."""
    # log softmax(z)_c = z_c − log Σ_j e^{z_j}, with the maximum subtracted for stability
    shift = input.amax(dim=1, keepdim=True).detach()
    log_z = torch.log(torch.exp(input - shift).sum(dim=1)) + shift[:, 0]  # (n,)
    picked = input.gather(1, target[:, None])[:, 0]  # z_{i, c_i}, (n,)
    return (log_z - picked).mean()


# --8<-- [end:losses]
