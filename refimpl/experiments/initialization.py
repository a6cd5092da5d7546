r"""How activation variance evolves through a deep network under different initialisations.

A layer $z_m = W_m a_{m-1}$ (biases zero) with i.i.d. weights of variance $s^2$ and $n$ inputs
gives $\mathrm{Var}(z_m) = n s^2\, \mathbb{E}[a_{m-1}^2]$. With tanh, $\mathbb{E}[a^2] \approx
\mathrm{Var}(z)$ near zero, so $n s^2 = 1$ (Glorot, for square layers) keeps the variance;
with ReLU, $\mathbb{E}[a^2] = \mathrm{Var}(z)/2$, so $n s^2 = 2$ (He) is needed. Any other
scale multiplies the variance by a constant factor per layer, which compounds geometrically
over 50 layers. The "naive" scheme here is the heuristic $W_{ij} \sim U[-1/\sqrt n, 1/\sqrt n]$
that Glorot and Bengio compared against (variance $1/(3n)$, also torch.nn.Linear's default).
Reading list: ``glorot2010``, ``he2015delving``.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import torch

from refimpl.functional import activations
from refimpl.functional.affine import linear
from refimpl.functional.init import kaiming_normal_, xavier_normal_

__all__ = ["INITS", "activation_variances"]

#: The schemes compared: name → function filling a weight of shape ``(out, in)``.
INITS = ("naive", "xavier", "he")


def _fill(weight: torch.Tensor, scheme: str, generator: torch.Generator) -> torch.Tensor:
    if scheme == "naive":
        bound = 1 / math.sqrt(weight.shape[1])
        return weight.uniform_(-bound, bound, generator=generator)
    if scheme == "xavier":
        return xavier_normal_(weight, generator=generator)
    if scheme == "he":
        return kaiming_normal_(weight, nonlinearity="relu", generator=generator)
    raise ValueError(f"unknown scheme {scheme!r}; use one of {INITS}")


@functools.cache
def activation_variances(
    scheme: str, nonlinearity: str, depth: int = 50, width: int = 128, batch: int = 256
) -> np.ndarray:
    r"""The variance of the pre-activations $z_m$ at every layer of a deep MLP at initialisation.

    Args:
        scheme: ``"naive"``, ``"xavier"`` or ``"he"``.
        nonlinearity: ``"tanh"`` or ``"relu"``.
        depth: the number of layers $L$.
        width: the width $n$ of every layer (input included).
        batch: the number of standard-normal inputs averaged over.

    Returns:
        $\mathrm{Var}(z_m)$ for $m = 1, \dots, L$ (read-only), shape ``(depth,)``. Cached.
    """
    f = {"tanh": activations.tanh, "relu": activations.relu}[nonlinearity]
    gen = torch.Generator().manual_seed(0)
    a = torch.randn(batch, width, generator=gen, dtype=torch.float64)  # (B, n)
    out = []
    for _ in range(depth):
        W = _fill(torch.empty(width, width, dtype=torch.float64), scheme, gen)
        # z_m = W_m a_{m−1}  (biases zero at initialisation)
        z = linear(a, W)  # (B, n)
        out.append(z.var().item())
        a = f(z)
    result = np.asarray(out)
    result.flags.writeable = False
    return result
