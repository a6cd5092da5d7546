r"""Small synthetic data sets and test problems, built in memory (no downloads).

The workhorse is the convex quadratic

$$
L(\theta) = \tfrac12\,\theta^\top A\,\theta - b^\top\theta + c,\qquad
\nabla L(\theta) = A\theta - b,\qquad \nabla^2 L = A,\qquad \theta^\star = A^{-1} b,
$$

with $A$ symmetric positive definite. Near a strict minimum every smooth loss looks like this
(its second-order Taylor model), and gradient descent on it can be solved in closed form, so it
is where step sizes, momentum and preconditioning are easiest to see. The difficulty is set by
the condition number $\kappa = \lambda_{\max}(A) / \lambda_{\min}(A)$.
Reading list: ``nocedal2006numerical`` (chapters 2–3), ``goodfellow2016`` (section 4.3).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

__all__ = ["Quadratic", "ill_conditioned_quadratic", "linear_regression_data"]


@dataclass(frozen=True, eq=False)
class Quadratic:
    r"""The quadratic $L(\theta) = \tfrac12\theta^\top A\theta - b^\top\theta + c$.

    Every method accepts a single point of shape ``(d,)`` or a batch of shape ``(..., d)``, so a
    whole grid of points can be evaluated at once (for contour plots).

    Attributes:
        A: the Hessian $A$, shape ``(d, d)``, symmetric positive definite.
        b: the linear coefficient $b$, shape ``(d,)``.
        c: the constant $c$ (it shifts the loss, not the minimiser).
    """

    A: Tensor
    b: Tensor
    c: float = 0.0

    def __post_init__(self) -> None:
        d = self.A.shape[-1]
        if self.A.shape != (d, d) or self.b.shape != (d,):
            raise ValueError(
                f"A must be (d, d) and b (d,), got {tuple(self.A.shape)} and {tuple(self.b.shape)}"
            )
        if not torch.allclose(self.A, self.A.mT):
            raise ValueError("A must be symmetric")

    @property
    def dim(self) -> int:
        """The number of parameters $d$."""
        return self.A.shape[-1]

    def loss(self, theta: Tensor) -> Tensor:
        r"""$L(\theta) = \tfrac12\theta^\top A\theta - b^\top\theta + c$, over the last axis.

        Args:
            theta: points, shape ``(..., d)``.

        Returns:
            The loss at each point, shape ``(...)``; differentiable with autograd.
        """
        # ½ θᵀAθ − bᵀθ + c, for a batch of row vectors θ
        return 0.5 * ((theta @ self.A) * theta).sum(-1) - theta @ self.b + self.c

    def grad(self, theta: Tensor) -> Tensor:
        r"""$\nabla L(\theta) = A\theta - b$.

        Args:
            theta: points, shape ``(..., d)``.

        Returns:
            The gradient at each point, shape ``(..., d)``.
        """
        # ∇L = Aθ − b   (θ @ A equals (Aθ)ᵀ because A is symmetric)
        return theta @ self.A - self.b

    def hessian(self, theta: Tensor | None = None) -> Tensor:
        r"""$\nabla^2 L = A$, the same at every point.

        Args:
            theta: ignored (the Hessian of a quadratic is constant); accepted for symmetry with
                non-quadratic problems.

        Returns:
            A copy of $A$, shape ``(d, d)``.
        """
        return self.A.clone()

    @property
    def eigenvalues(self) -> Tensor:
        r"""The eigenvalues $\lambda_1 \le \dots \le \lambda_d$ of $A$, ascending."""
        return torch.linalg.eigvalsh(self.A)

    @property
    def lambda_min(self) -> float:
        r"""$\lambda_{\min}(A)$, the curvature along the flattest direction."""
        return float(self.eigenvalues[0])

    @property
    def lambda_max(self) -> float:
        r"""$\lambda_{\max}(A)$, the curvature along the steepest direction (the smoothness $L$)."""
        return float(self.eigenvalues[-1])

    @property
    def condition_number(self) -> float:
        r"""$\kappa = \lambda_{\max} / \lambda_{\min}$."""
        lam = self.eigenvalues
        return float(lam[-1] / lam[0])

    @property
    def minimiser(self) -> Tensor:
        r"""$\theta^\star = A^{-1} b$, the unique solution of $A\theta = b$."""
        return torch.linalg.solve(self.A, self.b)

    @property
    def min_value(self) -> float:
        r"""$L(\theta^\star) = c - \tfrac12 b^\top\theta^\star$."""
        return float(self.c - 0.5 * self.b @ self.minimiser)

    def suboptimality(self, theta: Tensor) -> Tensor:
        r"""The excess loss over the minimum, $L(\theta) - L(\theta^\star)$.

        $$
        L(\theta) - L(\theta^\star) = \tfrac12 e^\top A e,\qquad e = \theta - \theta^\star .
        $$

        Computed from the error $\theta - \theta^\star$ rather than as a difference of two losses,
        so it stays accurate (and non-negative) down to the smallest values.

        Args:
            theta: points, shape ``(..., d)``.

        Returns:
            The suboptimality at each point, shape ``(...)``.
        """
        # e = θ − θ*;  L(θ) − L(θ*) = ½ eᵀAe
        e = theta - self.minimiser
        return 0.5 * ((e @ self.A) * e).sum(-1)

    @classmethod
    def from_least_squares(cls, X: Tensor, y: Tensor) -> Quadratic:
        r"""The mean squared error of a linear model as a quadratic.

        $$
        \frac{1}{2n}\|X\theta - y\|^2
        = \tfrac12\theta^\top\Big(\tfrac1n X^\top X\Big)\theta
        - \Big(\tfrac1n X^\top y\Big)^\top\theta + \tfrac{1}{2n}\|y\|^2 .
        $$

        Args:
            X: design matrix, shape ``(n, d)``, of full column rank.
            y: targets, shape ``(n,)``.

        Returns:
            The quadratic with $A = X^\top X / n$, $b = X^\top y / n$, $c = \|y\|^2 / (2n)$.
        """
        n = X.shape[0]
        # A = XᵀX / n, symmetrised so rounding cannot break the exact symmetry
        A = X.mT @ X / n
        A = 0.5 * (A + A.mT)
        return cls(A=A, b=X.mT @ y / n, c=float(0.5 * (y @ y) / n))


def _rotation(dim: int, angle: float, dtype: torch.dtype, device: torch.device | None) -> Tensor:
    """An orthogonal matrix: Givens rotations by ``angle`` in the planes (0,1), (1,2), ..."""
    Q = torch.eye(dim, dtype=dtype, device=device)
    c, s = math.cos(angle), math.sin(angle)
    for i in range(dim - 1):
        G = torch.eye(dim, dtype=dtype, device=device)
        G[i, i], G[i, i + 1], G[i + 1, i], G[i + 1, i + 1] = c, -s, s, c
        Q = Q @ G
    return Q


def ill_conditioned_quadratic(
    condition_number: float,
    dim: int = 2,
    rotation: float = math.pi / 6,
    *,
    lambda_min: float = 1.0,
    minimiser: Sequence[float] | Tensor | None = None,
    dtype: torch.dtype = torch.float64,
    device: torch.device | str | None = None,
) -> Quadratic:
    r"""A rotated quadratic bowl with a chosen condition number and minimiser.

    $$
    A = Q\,\mathrm{diag}(\lambda_1, \dots, \lambda_d)\,Q^\top,\qquad
    \lambda_i = \lambda_{\min}\,\kappa^{(i-1)/(d-1)},\qquad
    b = A\theta^\star,\qquad c = \tfrac12\theta^{\star\top} A\,\theta^\star,
    $$

    so that $\lambda_{\max}/\lambda_{\min} = \kappa$ and $L(\theta^\star) = 0$. In 2-D, $Q$ is
    the rotation by ``rotation`` radians, which tilts the ellipses off the axes (so the problem
    cannot be solved one coordinate at a time); in higher dimensions it is a product of Givens
    rotations by that angle in consecutive coordinate planes.

    Args:
        condition_number: $\kappa \ge 1$.
        dim: the dimension $d \ge 2$.
        rotation: the rotation angle in radians.
        lambda_min: the smallest eigenvalue $\lambda_{\min} > 0$.
        minimiser: $\theta^\star$, length ``dim`` (default: the origin).
        dtype: floating dtype of $A$ and $b$.
        device: device of $A$ and $b$.

    Returns:
        The quadratic.

    Raises:
        ValueError: if $\kappa < 1$, $d < 2$ or $\lambda_{\min} \le 0$.

    Example:
        >>> q = ill_conditioned_quadratic(10.0)
        >>> round(q.condition_number, 6)
        10.0
    """
    if condition_number < 1:
        raise ValueError(f"condition_number must be >= 1, got {condition_number}")
    if dim < 2:
        raise ValueError(f"dim must be >= 2, got {dim}")
    if lambda_min <= 0:
        raise ValueError(f"lambda_min must be positive, got {lambda_min}")
    device = torch.device(device) if device is not None else None
    # λ_i = λ_min κ^{(i-1)/(d-1)}: geometrically spaced from λ_min to κ λ_min
    exponents = torch.arange(dim, dtype=dtype, device=device) / (dim - 1)
    lam = lambda_min * float(condition_number) ** exponents
    Q = _rotation(dim, rotation, dtype, device)
    # A = Q diag(λ) Qᵀ, symmetrised so rounding cannot break the exact symmetry
    A = (Q * lam) @ Q.mT
    A = 0.5 * (A + A.mT)
    if minimiser is None:
        theta_star = torch.zeros(dim, dtype=dtype, device=device)
    else:
        theta_star = torch.as_tensor(minimiser, dtype=dtype, device=device)
    # b = Aθ*, c = ½ θ*ᵀAθ*, so that ∇L(θ*) = 0 and L(θ*) = 0
    b = A @ theta_star
    c = float(0.5 * theta_star @ A @ theta_star)
    return Quadratic(A=A, b=b, c=c)


def linear_regression_data(
    num_samples: int = 128,
    dim: int = 2,
    noise: float = 0.1,
    *,
    seed: int = 0,
    dtype: torch.dtype = torch.float64,
) -> tuple[Tensor, Tensor, Tensor]:
    r"""A seeded linear-regression data set $y = X w + \sigma\varepsilon$.

    $X$ and $w$ have standard normal entries and $\varepsilon \sim \mathcal N(0, I)$; all are
    drawn on the CPU from a generator seeded with ``seed``, so the result does not depend on the
    global random state.

    Args:
        num_samples: $n$, the number of rows of $X$.
        dim: $d$, the number of features.
        noise: $\sigma$, the standard deviation of the label noise.
        seed: seed of the private generator.
        dtype: floating dtype of the returned tensors.

    Returns:
        ``(X, y, w)`` with shapes ``(n, d)``, ``(n,)`` and ``(d,)``.
    """
    gen = torch.Generator().manual_seed(seed)
    X = torch.randn(num_samples, dim, generator=gen, dtype=dtype)  # (n, d)
    w = torch.randn(dim, generator=gen, dtype=dtype)  # (d,)
    eps = torch.randn(num_samples, generator=gen, dtype=dtype)  # (n,)
    # y = Xw + σε
    y = X @ w + noise * eps
    return X, y, w
