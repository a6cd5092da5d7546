r"""Activation functions as pure tensor functions, with their derivatives.

A network's non-linearity is applied element by element to the pre-activation $z$:

$$
\mathrm{ReLU}(z) = \max(z, 0),\qquad
\sigma(z) = \frac{1}{1 + e^{-z}},\qquad
\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}},\qquad
\mathrm{GELU}(z) = z\,\Phi(z),
$$

with $\Phi$ the standard normal CDF; softmax maps a vector to probabilities,
$\mathrm{softmax}(z)_k = e^{z_k} / \sum_j e^{z_j}$. The derivatives $f'(z)$ are what the
backward pass multiplies by ($\delta = f'(z) \odot \partial J / \partial a$). The derivative of
ReLU at $0$ is taken to be $0$, as autograd does. Reading list: ``goodfellow2016``
(section 6.3), ``he2015delving``.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

__all__ = [
    "gelu",
    "relu",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "softmax",
    "tanh",
    "tanh_derivative",
]


# --8<-- [start:activations]
def relu(z: Tensor) -> Tensor:
    r"""$\mathrm{ReLU}(z) = z$ for $z > 0$ and $0$ otherwise."""
    # ReLU(z) = z · 1[z > 0]
    return torch.where(z > 0, z, torch.zeros_like(z))


def relu_derivative(z: Tensor) -> Tensor:
    r"""$\mathrm{ReLU}'(z) = 1[z > 0]$ (taken as $0$ at $z = 0$)."""
    return (z > 0).to(z.dtype)


def sigmoid(z: Tensor) -> Tensor:
    r"""The logistic function $\sigma(z) = 1 / (1 + e^{-z})$, evaluated without overflow."""
    # for z ≥ 0: 1 / (1 + e^{-z});  for z < 0: e^{z} / (1 + e^{z})  (same value, no overflow)
    # e = e^{−|z|}, written with `where` so that its gradient at z = 0 is that of e^{−z}
    e = torch.exp(-torch.where(z >= 0, z, -z))
    return torch.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_derivative(z: Tensor) -> Tensor:
    r"""$\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$."""
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z: Tensor) -> Tensor:
    r"""$\tanh(z) = 2\sigma(2z) - 1$."""
    # tanh(z) = 2σ(2z) − 1
    return 2 * sigmoid(2 * z) - 1


def tanh_derivative(z: Tensor) -> Tensor:
    r"""$\tanh'(z) = 1 - \tanh^2(z)$."""
    return 1 - tanh(z) ** 2


def gelu(z: Tensor) -> Tensor:
    r"""$\mathrm{GELU}(z) = z\,\Phi(z) = \tfrac{z}{2}\left(1 + \mathrm{erf}(z/\sqrt2)\right)$."""
    return 0.5 * z * (1 + torch.erf(z / math.sqrt(2.0)))


def softmax(z: Tensor, dim: int = -1) -> Tensor:
    r"""$\mathrm{softmax}(z)_k = e^{z_k - \max_j z_j} / \sum_j e^{z_j - \max_j z_j}$ along ``dim``.

    Subtracting the maximum changes nothing mathematically and keeps $e^{z}$ from overflowing.
    """
    shifted = z - z.amax(dim=dim, keepdim=True).detach()
    e = torch.exp(shifted)
    return e / e.sum(dim=dim, keepdim=True)


# --8<-- [end:activations]
