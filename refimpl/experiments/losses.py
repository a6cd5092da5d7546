r"""The cost functions as curves: regression losses against the residual, classification losses
against the margin.

For a residual $r = \hat y - y$: $r^2$ (MSE), $\lvert r\rvert$ (MAE) and their derivatives
$2r$ and $\operatorname{sign} r$. For a two-class problem with logits $(0, m)$ and the correct
class second, the margin is $m$: cross-entropy is $\log(1 + e^{-m})$ (in nats; divided by
$\ln 2$ it is in bits and bounds the 0-1 error from above), and "% correct" is the step
$[m > 0]$. All values come from ``refimpl.functional.losses`` and autograd.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import torch

from refimpl.functional.losses import accuracy, cross_entropy, l1_loss, mse_loss

__all__ = ["classification_curves", "regression_curves"]


@functools.cache
def regression_curves(num: int = 401) -> dict[str, np.ndarray]:
    """MSE, MAE and their gradients for residuals in $[-3, 3]$ (cached).

    Args:
        num: the number of residual values.

    Returns:
        ``{"residual", "mse", "mae", "mse_grad", "mae_grad"}``, each of shape ``(num,)``.
    """
    r = torch.linspace(-3, 3, num, dtype=torch.float64, requires_grad=True)
    zero = torch.zeros_like(r)
    mse = mse_loss(r, zero, reduction="none")
    mae = l1_loss(r, zero, reduction="none")
    (mse_grad,) = torch.autograd.grad(mse.sum(), r)
    (mae_grad,) = torch.autograd.grad(mae.sum(), r)
    return {
        "residual": r.detach().numpy(),
        "mse": mse.detach().numpy(),
        "mae": mae.detach().numpy(),
        "mse_grad": mse_grad.numpy(),
        "mae_grad": mae_grad.numpy(),
    }


@functools.cache
def classification_curves(num: int = 401) -> dict[str, np.ndarray]:
    """Cross-entropy (in bits) and the 0-1 error against the margin $m \\in [-4, 4]$ (cached).

    Args:
        num: the number of margins.

    Returns:
        ``{"margin", "cross_entropy_bits", "error"}``, each of shape ``(num,)``; ``error`` is
        $1 - (\\%\\ \\text{correct})/100$ for the single example at that margin.
    """
    m = torch.linspace(-4, 4, num, dtype=torch.float64)
    logits = torch.stack([torch.zeros_like(m), m], dim=1)  # (num, 2)
    target = torch.ones(num, dtype=torch.long)
    ce = cross_entropy(logits, target, reduction="none") / math.log(2)
    error = torch.stack(
        [1 - accuracy(logits[i : i + 1], target[i : i + 1]) / 100 for i in range(num)]
    )
    return {"margin": m.numpy(), "cross_entropy_bits": ce.numpy(), "error": error.numpy()}
