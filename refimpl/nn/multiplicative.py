r"""Multiplicative interactions: the general layer of Jayakumar et al. and the sigma-pi unit.

A layer that only adds its inputs, $Vx + Uz + b$ (a linear layer on the concatenation
$[x; z]$), lets a context $z$ shift the response to $x$ but not change it. The
multiplicative-interaction (MI) layer adds a three-way term through which $z$ sets the weights
applied to $x$,

$$
f(x, z) = z^\top \mathbb{W} x + z^\top U + V x + b = W'(z)\,x + b'(z),
$$

with $W'(z) = z^\top\mathbb{W} + V$ and $b'(z) = z^\top U + b$. With $\mathbb{W} = 0$ it is the
concatenation layer; with $U = V = 0$ it is a bilinear layer (`torch.nn.Bilinear`); a
diagonal $\mathbb{W}$ gives gating and FiLM, $f = \gamma(z)\odot x + \beta(z)$. Feeding the
same vector twice, $f(x, x)$, gives a second-order polynomial, a layer of sigma-pi units
(``mel1990``). Reading list: ``jayakumar2020mi``, ``mel1990``.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from refimpl.functional.multiplicative import implicit_affine, multiplicative_interaction

__all__ = ["MultiplicativeInteraction", "SigmaPi"]


def _uniform(shape: tuple[int, ...], bound: float, factory: dict) -> torch.nn.Parameter:
    return torch.nn.Parameter(torch.empty(shape, **factory).uniform_(-bound, bound))


class MultiplicativeInteraction(torch.nn.Module):
    r"""$f(x, z) = z^\top \mathbb{W} x + z^\top U + V x + b$ (Jayakumar et al., 2020).

    Parameters (initialised uniformly in $\pm 1/\sqrt{n + m}$, as a `Linear` on $[x; z]$ would be):
    `weight` is $\mathbb{W}$ of shape ``(out, z_features, x_features)`` (the layout of
    `torch.nn.Bilinear` with ``input1 = z``), `weight_z` is $U$ ``(out, z_features)``,
    `weight_x` is $V$ ``(out, x_features)`` and `bias` is $b$ ``(out,)``.

    Args:
        x_features: size $n$ of the transformed input $x$.
        z_features: size $m$ of the context $z$.
        out_features: size $k$ of the output.
        bias: learn $b$ (default ``True``).
        device: where to create the parameters.
        dtype: their dtype.
    """

    def __init__(
        self,
        x_features: int,
        z_features: int,
        out_features: int,
        bias: bool = True,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        factory = {"device": device, "dtype": dtype}
        bound = 1.0 / math.sqrt(x_features + z_features)
        self.weight = _uniform((out_features, z_features, x_features), bound, factory)  # 𝕎
        self.weight_z = _uniform((out_features, z_features), bound, factory)  # U
        self.weight_x = _uniform((out_features, x_features), bound, factory)  # V
        self.bias = _uniform((out_features,), bound, factory) if bias else None  # b
        self.x_features, self.z_features, self.out_features = x_features, z_features, out_features

    def forward(self, x: Tensor, z: Tensor) -> Tensor:
        """`(..., x_features)` and `(..., z_features)` to `(..., out_features)`."""
        return multiplicative_interaction(
            x, z, self.weight, self.weight_z, self.weight_x, self.bias
        )

    def implicit_affine(self, z: Tensor) -> tuple[Tensor, Tensor]:
        r"""The weights $W'(z)$ `(..., out, x_features)` and bias $b'(z)$ `(..., out)` of $z$.

        The hypernetwork reading of the layer: $f(x, z) = W'(z)\,x + b'(z)$.
        """
        return implicit_affine(z, self.weight, self.weight_z, self.weight_x, self.bias)


class SigmaPi(torch.nn.Module):
    r"""Sigma-pi units: $y_c = \sum_{i,j} \mathbb{W}_{c,i,j}\, x_i x_j + \sum_i V_{c,i} x_i + b_c$.

    Each unit sums weighted products of pairs of its inputs (Mel & Koch's sigma-pi unit, truncated
    at second order), i.e. `MultiplicativeInteraction` applied to $(x, x)$. Only the symmetric
    part of each $\mathbb{W}_c$ affects the output.

    Args:
        in_features: size $n$ of $x$.
        out_features: number of units.
        bias: learn $b$ (default ``True``).
        device: where to create the parameters.
        dtype: their dtype.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        factory = {"device": device, "dtype": dtype}
        bound = 1.0 / math.sqrt(in_features)
        self.weight = _uniform((out_features, in_features, in_features), bound / 2, factory)
        self.weight_x = _uniform((out_features, in_features), bound, factory)  # V
        self.bias = _uniform((out_features,), bound, factory) if bias else None  # b
        self.in_features, self.out_features = in_features, out_features

    def forward(self, x: Tensor) -> Tensor:
        """`(..., in_features)` to `(..., out_features)`."""
        # f(x, x) = xᵀ𝕎x + Vx + b  (U would duplicate V, so it is left out)
        return multiplicative_interaction(x, x, self.weight, None, self.weight_x, self.bias)
