r"""Least squares: the closed-form solution and gradient descent on the same objective.

For a design matrix $X \in \mathbb{R}^{n\times p}$ (one row of features per example) and
targets $y \in \mathbb{R}^n$, least squares minimises

$$
L(w) = \frac{1}{2n}\lVert Xw - y\rVert^2,\qquad \nabla L(w) = \frac1n X^\top(Xw - y),
$$

whose minimisers solve the normal equations $X^\top X w = X^\top y$; with $\lambda > 0$, ridge
regression adds $\tfrac{\lambda}{2}\lVert w\rVert^2$ and $w = (X^\top X + n\lambda I)^{-1}X^\top
y$. When $X^\top X$ is singular (more features than examples) ``torch.linalg.lstsq`` returns
the minimum-norm solution, the one gradient descent from $w_0 = 0$ converges to. Polynomial
regression is least squares on the features $(1, x, x^2, \dots, x^d)$.
Reading list: ``goodfellow2016`` (section 5.1.4).
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["least_squares", "least_squares_gd", "polynomial_features"]


# --8<-- [start:least_squares]
def polynomial_features(x: Tensor, degree: int) -> Tensor:
    r"""The monomials $(x, x^2, \dots, x^d)$ of a scalar input (no constant column).

    Args:
        x: inputs, shape ``(n,)`` or ``(n, 1)``.
        degree: $d \ge 1$.

    Returns:
        The features, shape ``(n, d)``.
    """
    x = x.reshape(-1, 1)  # (n, 1)
    powers = torch.arange(1, degree + 1, device=x.device, dtype=x.dtype)  # (d,)
    return x**powers  # (n, d)


def least_squares(X: Tensor, y: Tensor, ridge: float = 0.0) -> Tensor:
    r"""The minimiser of $\tfrac{1}{2n}\lVert Xw - y\rVert^2 + \tfrac{\lambda}{2}\lVert w\rVert^2$.

    Args:
        X: the design matrix, shape ``(n, p)``.
        y: the targets, shape ``(n,)`` or ``(n, k)``.
        ridge: $\lambda \ge 0$. With $\lambda = 0$ and a rank-deficient $X$, the minimum-norm
            solution.

    Returns:
        $w$, shape ``(p,)`` or ``(p, k)``.
    """
    n, p = X.shape
    if ridge > 0:
        # (XᵀX + nλI) w = Xᵀy
        A = X.mT @ X + n * ridge * torch.eye(p, dtype=X.dtype, device=X.device)
        return torch.linalg.solve(A, X.mT @ y)
    # the minimum-norm solution of min ‖Xw − y‖ (SVD-based, robust to rank deficiency)
    return torch.linalg.pinv(X) @ y


def least_squares_gd(
    X: Tensor, y: Tensor, lr: float, steps: int, w0: Tensor | None = None
) -> Tensor:
    r"""Gradient descent on $\tfrac{1}{2n}\lVert Xw - y\rVert^2$; returns every iterate.

    Args:
        X: the design matrix, shape ``(n, p)``.
        y: the targets, shape ``(n,)``.
        lr: the step size $\gamma$ (stable for $\gamma < 2n/\lambda_{\max}(X^\top X)$).
        steps: the number of steps $T$.
        w0: the start (default zero).

    Returns:
        $w_0, \dots, w_T$, shape ``(T + 1, p)``.
    """
    n = X.shape[0]
    w = torch.zeros(X.shape[1], dtype=X.dtype, device=X.device) if w0 is None else w0.clone()
    path = [w]
    for _ in range(steps):
        # w ← w − γ (1/n) Xᵀ(Xw − y)
        w = w - lr * X.mT @ (X @ w - y) / n
        path.append(w)
    return torch.stack(path)  # (T + 1, p)


# --8<-- [end:least_squares]
