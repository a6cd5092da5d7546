r"""Polynomial regression: a linear model on the features $(x, x^2, \dots, x^d)$.

$$
h(x) = b + \sum_{k=1}^{d} w_k x^k ,
$$

linear in its parameters although not in $x$, so least squares fits it in closed form
(`refimpl.functional.regression`). Degree 1 is the straight line $h(x) = ax + b$ of the
linear-model slides; raising the degree raises the capacity, up to interpolating $d + 1$ points
exactly. Reading list: ``goodfellow2016`` (section 5.2).
"""

from __future__ import annotations

import torch
from torch import Tensor

from refimpl.functional.regression import least_squares, polynomial_features
from refimpl.nn.linear import Linear

__all__ = ["PolynomialRegression"]


class PolynomialRegression(torch.nn.Module):
    r"""$h(x) = b + \sum_{k=1}^d w_k x^k$ for scalar inputs, fitted by least squares.

    Args:
        degree: $d \ge 1$.
        device: where to create the parameters.
        dtype: their dtype.

    Example:
        >>> import torch
        >>> from refimpl.nn import PolynomialRegression
        >>> x = torch.linspace(-1, 1, 20, dtype=torch.float64)
        >>> model = PolynomialRegression(2, dtype=torch.float64).fit(x, 3 * x**2 - x + 0.5)
        >>> model.coefficients().float()
        tensor([ 0.5000, -1.0000,  3.0000])
    """

    def __init__(
        self,
        degree: int,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        if degree < 1:
            raise ValueError(f"degree must be at least 1, got {degree}")
        self.degree = degree
        self.linear = Linear(degree, 1, device=device, dtype=dtype)

    def forward(self, x: Tensor) -> Tensor:
        """$h(x)$ for inputs of shape ``(n,)``; returns shape ``(n,)``."""
        return self.linear(polynomial_features(x, self.degree))[:, 0]

    @torch.no_grad()
    def fit(self, x: Tensor, y: Tensor, ridge: float = 0.0) -> PolynomialRegression:
        r"""Set the coefficients to the least-squares fit of ``y`` on ``x`` (closed form).

        Args:
            x: inputs, shape ``(n,)``.
            y: targets, shape ``(n,)``.
            ridge: an optional L2 penalty $\lambda$ on the non-constant coefficients' scale
                (applied to all coefficients).

        Returns:
            ``self``.
        """
        x = x.to(self.linear.weight)
        features = polynomial_features(x, self.degree)  # (n, d)
        X = torch.cat([torch.ones_like(features[:, :1]), features], dim=1)  # (n, d + 1)
        w = least_squares(X, y.to(X), ridge=ridge)  # (d + 1,)
        self.linear.bias.copy_(w[:1])
        self.linear.weight.copy_(w[1:][None, :])
        return self

    def coefficients(self) -> Tensor:
        """$(b, w_1, \\dots, w_d)$, lowest degree first, shape ``(d + 1,)``."""
        return torch.cat([self.linear.bias, self.linear.weight[0]]).detach()
