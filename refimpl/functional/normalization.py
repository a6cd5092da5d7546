r"""Normalisation: batch, layer and weight standardisation, as pure functions.

All three subtract a mean and divide by a standard deviation; they differ in what the
statistics are taken over:

$$
\mathrm{BN}(x) = \gamma\,\frac{x - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}} + \beta
\ \ (\mu_B, \sigma_B^2 \text{ per channel, over the batch and spatial positions}),
$$

$$
\mathrm{LN}(x) = \gamma\odot\frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} + \beta
\ \ (\mu, \sigma^2 \text{ per example, over the normalised feature dimensions}),\qquad
\hat W_{i,\cdot} = \frac{W_{i,\cdot} - \mu_{W_i}}{\sqrt{\sigma_{W_i}^2 + \epsilon}}
\ \ \text{(weight standardisation, per output unit)}.
$$

The variances that normalise are biased (divide by the count $n$). Batch normalisation also
keeps running estimates for evaluation, updated as torch does:
$\hat\mu \leftarrow (1-m)\hat\mu + m\,\mu_B$ and $\hat\sigma^2 \leftarrow (1-m)\hat\sigma^2 +
m\,\tfrac{n}{n-1}\sigma_B^2$ (the *unbiased* batch variance), with momentum $m$, or
$m = 1/k$ at the $k$-th batch for a cumulative average. Reading list: ``ioffe2015bn``,
``ba2016ln``, ``qiao2019ws``.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["batch_norm", "layer_norm", "standardize_weight"]


# --8<-- [start:batch_norm]
def batch_norm(
    x: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None,
    bias: Tensor | None,
    training: bool,
    momentum: float,
    eps: float,
) -> Tensor:
    r"""Batch normalisation of ``x`` of shape ``(N, C, *)`` over every dimension but ``C``.

    Args:
        x: the input, channels in dimension 1.
        running_mean: $\hat\mu$, shape ``(C,)``, updated in place in training mode (or ``None``).
        running_var: $\hat\sigma^2$, shape ``(C,)``, updated likewise (or ``None``).
        weight: the scale $\gamma$, shape ``(C,)``, or ``None``.
        bias: the shift $\beta$, shape ``(C,)``, or ``None``.
        training: normalise with the batch statistics (and update the running ones); otherwise
            with the running statistics.
        momentum: $m$, the weight of the new batch in the running averages.
        eps: $\epsilon$, added to the variance.

    Returns:
        The normalised tensor, shape of ``x``.
    """
    dims = [d for d in range(x.dim()) if d != 1]  # every dimension but the channels
    shape = [1, -1] + [1] * (x.dim() - 2)  # to broadcast (C,) against (N, C, *)
    if training or running_mean is None:
        # μ_B, σ²_B: per channel, over the batch and positions (biased variance)
        mean = x.mean(dim=dims)
        var = ((x - mean.view(shape)) ** 2).mean(dim=dims)
        if training and running_mean is not None and running_var is not None:
            n = x.numel() // x.shape[1]
            with torch.no_grad():
                # μ̂ ← (1 − m) μ̂ + m μ_B;   σ̂² ← (1 − m) σ̂² + m · n/(n − 1) · σ²_B
                running_mean.mul_(1 - momentum).add_(mean.detach(), alpha=momentum)
                unbiased = var.detach() * n / max(n - 1, 1)
                running_var.mul_(1 - momentum).add_(unbiased, alpha=momentum)
    else:
        mean, var = running_mean, running_var
    # x̂ = (x − μ) / √(σ² + ε)
    y = (x - mean.view(shape)) / torch.sqrt(var.view(shape) + eps)
    if weight is not None:
        y = y * weight.view(shape)
    if bias is not None:
        y = y + bias.view(shape)
    return y


# --8<-- [end:batch_norm]


def layer_norm(
    x: Tensor, n_dims: int, weight: Tensor | None, bias: Tensor | None, eps: float
) -> Tensor:
    r"""Layer normalisation over the last ``n_dims`` dimensions of ``x``.

    Args:
        x: the input, shape ``(*, *normalized_shape)``.
        n_dims: how many trailing dimensions form one example's features.
        weight: $\gamma$ of shape ``normalized_shape``, or ``None``.
        bias: $\beta$ of shape ``normalized_shape``, or ``None``.
        eps: $\epsilon$.

    Returns:
        $\gamma \odot (x - \mu)/\sqrt{\sigma^2 + \epsilon} + \beta$, shape of ``x``.
    """
    dims = tuple(range(-n_dims, 0))
    # μ, σ²: per example, over its features (biased variance)
    mean = x.mean(dim=dims, keepdim=True)
    var = ((x - mean) ** 2).mean(dim=dims, keepdim=True)
    y = (x - mean) / torch.sqrt(var + eps)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


def standardize_weight(weight: Tensor, eps: float = 1e-5) -> Tensor:
    r"""Weight standardisation: zero mean and unit variance over each output unit's fan-in.

    Args:
        weight: shape ``(out, in, *kernel)``.
        eps: $\epsilon$ added to the variance.

    Returns:
        $\hat W$, same shape.
    """
    dims = tuple(range(1, weight.dim()))
    mean = weight.mean(dim=dims, keepdim=True)
    var = ((weight - mean) ** 2).mean(dim=dims, keepdim=True)
    return (weight - mean) / torch.sqrt(var + eps)
