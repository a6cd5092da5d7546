r"""Layer normalisation, a drop-in replacement for `torch.nn.LayerNorm`.

Each example is normalised over its last dimensions (the feature axes), with statistics of that
example alone (Ba et al. 2016):

$$
\mathrm{LN}(x) = \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} \odot \gamma + \beta,
\qquad \mu = \frac{1}{D}\sum_i x_i,\quad \sigma^2 = \frac{1}{D}\sum_i (x_i - \mu)^2 .
$$

Reading list: `ba2016ln`.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

__all__ = ["LayerNorm"]


class LayerNorm(nn.Module):
    r"""Normalise over the trailing ``normalized_shape`` dimensions, then scale and shift.

    Args:
        normalized_shape: the shape of the feature axes (an int for the last axis only).
        eps: $\epsilon$, added to the variance.
        elementwise_affine: learn $\gamma$ (``weight``, ones) and $\beta$ (``bias``, zeros).
        bias: learn $\beta$ (only with ``elementwise_affine``).
        device: where to create the parameters.
        dtype: their dtype.
    """

    def __init__(
        self,
        normalized_shape: int | tuple[int, ...],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device: torch.device | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        kw = {"device": device, "dtype": dtype}
        if elementwise_affine:
            self.weight = nn.Parameter(torch.ones(self.normalized_shape, **kw))
            self.bias = nn.Parameter(torch.zeros(self.normalized_shape, **kw)) if bias else None
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    @classmethod
    def from_torch(cls, module: nn.LayerNorm) -> LayerNorm:
        """A copy of a `torch.nn.LayerNorm`, with the same configuration and weights."""
        ours = cls(
            module.normalized_shape,
            eps=module.eps,
            elementwise_affine=module.elementwise_affine,
            bias=module.bias is not None,
        )
        if module.weight is not None:
            ours.to(device=module.weight.device, dtype=module.weight.dtype)
        ours.load_state_dict(module.state_dict())
        return ours

    def forward(self, input: Tensor) -> Tensor:
        """Normalise ``input`` of shape ``(*, *normalized_shape)``."""
        dims = tuple(range(-len(self.normalized_shape), 0))
        # μ = mean of the features
        mu = input.mean(dim=dims, keepdim=True)
        # σ² = mean of (x − μ)² (the biased variance)
        centred = input - mu
        var = (centred * centred).mean(dim=dims, keepdim=True)
        # x̂ = (x − μ) / √(σ² + ε)
        out = centred / torch.sqrt(var + self.eps)
        if self.weight is not None:
            out = out * self.weight  # γ ⊙ x̂
        if self.bias is not None:
            out = out + self.bias  # + β
        return out
