r"""Backpropagation written out in NumPy: the forward pass and the δ recursion of the notes.

With $a_0 = x$ and, for layers $m = 1, \dots, L$ (column vectors, $W_m \in
\mathbb{R}^{n_{m-1}\times n_m}$),

$$
z_m = W_m^\top a_{m-1} + b_m,\qquad a_m = f_m(z_m),
$$

and a scalar loss $J(a_L)$, the backward pass computes the errors $\delta^m = \partial J /
\partial z_m$ from the top down and reads the gradients off them:

$$
\delta^L = f_L'(z_L) \odot \frac{\partial J}{\partial a_L},\qquad
\delta^m = f_m'(z_m) \odot \left(W_{m+1}\,\delta^{m+1}\right),\qquad
\frac{\partial J}{\partial W_m} = a_{m-1}\,(\delta^m)^\top,\qquad
\frac{\partial J}{\partial b_m} = \delta^m .
$$

For a batch the columns are examples, $a_m \in \mathbb{R}^{n_m \times B}$, and the outer
product sums over them. No autograd is involved: the tests compare these gradients with
``torch.autograd``. Reading list: ``rumelhart1986``, ``goodfellow2016`` (section 6.5).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["ACTIVATIONS", "ForwardCache", "mlp_backward", "mlp_forward"]


def _relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # σ(z) = (1 + tanh(z/2)) / 2, no overflow


#: Each activation's pair $(f, f')$ on NumPy arrays.
ACTIVATIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], ...]] = {
    "identity": (lambda z: z, np.ones_like),
    "relu": (_relu, lambda z: (z > 0).astype(z.dtype)),
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "sigmoid": (_sigmoid, lambda z: _sigmoid(z) * (1.0 - _sigmoid(z))),
}


@dataclass(frozen=True)
class ForwardCache:
    r"""What the forward pass keeps for the backward pass.

    Attributes:
        zs: the pre-activations $z_1, \dots, z_L$, each of shape ``(n_m, B)``.
        activations: $a_0 = x, a_1, \dots, a_L$, each of shape ``(n_m, B)``.
        nonlinearities: the name of $f_m$ for each layer.
    """

    zs: list[np.ndarray]
    activations: list[np.ndarray]
    nonlinearities: list[str]

    @property
    def output(self) -> np.ndarray:
        r"""The network output $a_L$, shape ``(n_L, B)``."""
        return self.activations[-1]


# --8<-- [start:backprop]
def mlp_forward(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    x: np.ndarray,
    nonlinearities: Sequence[str],
) -> ForwardCache:
    r"""The forward pass $z_m = W_m^\top a_{m-1} + b_m$, $a_m = f_m(z_m)$.

    Args:
        weights: $W_1, \dots, W_L$, $W_m$ of shape ``(n_{m-1}, n_m)``.
        biases: $b_1, \dots, b_L$, $b_m$ of shape ``(n_m,)``.
        x: the inputs as columns, shape ``(n_0, B)``.
        nonlinearities: the name of $f_m$ for each layer (keys of `ACTIVATIONS`).

    Returns:
        The pre-activations and activations of every layer.
    """
    a = x
    zs, activations = [], [x]
    for W, b, name in zip(weights, biases, nonlinearities, strict=True):
        f, _ = ACTIVATIONS[name]
        # z_m = W_mᵀ a_{m−1} + b_m
        z = W.T @ a + b[:, None]  # (n_m, B)
        # a_m = f(z_m)
        a = f(z)
        zs.append(z)
        activations.append(a)
    return ForwardCache(zs, activations, list(nonlinearities))


def mlp_backward(
    weights: Sequence[np.ndarray], cache: ForwardCache, grad_output: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    r"""The backward pass: the δ recursion from the output layer down to the first.

    Args:
        weights: $W_1, \dots, W_L$ as in `mlp_forward`.
        cache: the forward pass of the same inputs.
        grad_output: $\partial J / \partial a_L$, shape ``(n_L, B)``.

    Returns:
        $(\partial J/\partial W_m)_{m=1}^L$ (shapes of $W_m$) and
        $(\partial J/\partial b_m)_{m=1}^L$.
    """
    L = len(weights)
    grads_W: list[np.ndarray] = [np.empty(0)] * L
    grads_b: list[np.ndarray] = [np.empty(0)] * L
    # δ^L = f'(z_L) ⊙ ∂J/∂a_L
    f_prime = ACTIVATIONS[cache.nonlinearities[-1]][1]
    delta = f_prime(cache.zs[-1]) * grad_output  # (n_L, B)
    for m in reversed(range(L)):
        # ∂J/∂W_m = a_{m−1} (δ^m)ᵀ   (summed over the batch columns)
        grads_W[m] = cache.activations[m] @ delta.T  # (n_{m−1}, n_m)
        # ∂J/∂b_m = δ^m
        grads_b[m] = delta.sum(axis=1)  # (n_m,)
        if m > 0:
            f_prime = ACTIVATIONS[cache.nonlinearities[m - 1]][1]
            # δ^{m−1} = f'(z_{m−1}) ⊙ (W_m δ^m)
            delta = f_prime(cache.zs[m - 1]) * (weights[m] @ delta)  # (n_{m−1}, B)
    return grads_W, grads_b


# --8<-- [end:backprop]
