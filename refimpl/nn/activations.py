r"""Activation layers: element-wise non-linearities as modules, matching their torch.nn namesakes.

$$
\mathrm{ReLU}(z) = \max(z, 0),\quad \sigma(z) = \frac{1}{1+e^{-z}},\quad
\tanh(z) = 2\sigma(2z) - 1,\quad \mathrm{GELU}(z) = z\,\Phi(z),\quad
\mathrm{softmax}(z)_k = \frac{e^{z_k}}{\sum_j e^{z_j}} .
$$

The math is in `refimpl.functional.activations`. Without a non-linearity between them, a stack
of linear layers collapses to one linear map; which non-linearity is used matters less than
having one, though it changes the initialisation a layer needs (see ``he2015delving``).
Reading list: ``goodfellow2016`` (section 6.3).
"""

from __future__ import annotations

import torch
from torch import Tensor

from refimpl.functional import activations as F

__all__ = ["GELU", "ReLU", "Sigmoid", "Softmax", "Tanh"]


class _Elementwise(torch.nn.Module):
    @classmethod
    def from_torch(cls, module: torch.nn.Module) -> _Elementwise:
        """The same activation (it has no weights to copy).

        Args:
            module: the torch.nn activation of the same name.

        Returns:
            A new instance of this class.
        """
        return cls()


class ReLU(_Elementwise):
    r"""$\mathrm{ReLU}(z) = \max(z, 0)$, like ``torch.nn.ReLU`` (``inplace`` is accepted, unused).

    Args:
        inplace: accepted for compatibility; the output is always a new tensor.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        """Apply ReLU element-wise."""
        return F.relu(input)


class Sigmoid(_Elementwise):
    r"""The logistic function $\sigma(z) = 1/(1+e^{-z})$, like ``torch.nn.Sigmoid``."""

    def forward(self, input: Tensor) -> Tensor:
        """Apply σ element-wise."""
        return F.sigmoid(input)


class Tanh(_Elementwise):
    r"""$\tanh(z)$, like ``torch.nn.Tanh``."""

    def forward(self, input: Tensor) -> Tensor:
        """Apply tanh element-wise."""
        return F.tanh(input)


class GELU(_Elementwise):
    r"""$\mathrm{GELU}(z) = z\,\Phi(z)$ (the exact, erf-based form), like ``torch.nn.GELU()``."""

    def forward(self, input: Tensor) -> Tensor:
        """Apply GELU element-wise."""
        return F.gelu(input)


class Softmax(torch.nn.Module):
    r"""$\mathrm{softmax}(z)_k = e^{z_k}/\sum_j e^{z_j}$ along ``dim``, like ``torch.nn.Softmax``.

    Args:
        dim: the dimension that sums to one.
    """

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        """Apply softmax along ``dim``."""
        return F.softmax(input, dim=self.dim)

    @classmethod
    def from_torch(cls, module: torch.nn.Softmax) -> Softmax:
        """A `Softmax` over the same dimension as ``module``."""
        return cls(dim=module.dim if module.dim is not None else -1)
