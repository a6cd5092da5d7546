r"""The Linear Recurrent Unit's recurrence and the parallel (associative) scan.

The LRU (Orvieto et al. 2023) is a diagonal, complex, linear recurrence

$$
x_k = \mathrm{diag}(\lambda)\,x_{k-1} + \gamma\odot B u_k, \qquad
y_k = \mathrm{Re}(C x_k) + D\odot u_k,
$$

with $\lambda_j = \exp(-\exp(\nu_j) + i\exp(\theta_j))$, so $|\lambda_j| = e^{-e^{\nu_j}} < 1$
for every real $\nu_j$ (stability by construction) and the phase is $e^{\theta_j}$, and
$\gamma_j = \sqrt{1 - |\lambda_j|^2}$, which keeps $\mathbb{E}|x_k|^2$ at one for white,
unit-variance $Bu_k$. A recurrence $x_k = a_k x_{k-1} + b_k$ is a scan with the associative
operator $(a, b)\bullet(a', b') = (a a', a' b + b')$, so it can be computed in
$O(\log L)$ parallel steps. Reading list: ``orvieto2023lru``, ``blelloch1990prefix``.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["associative_scan", "lru_gamma", "lru_lambda", "sequential_scan"]


# --8<-- [start:lambda]
def lru_lambda(nu_log: Tensor, theta_log: Tensor) -> Tensor:
    r"""$\lambda = \exp(-\exp(\nu) + i\exp(\theta))$: modulus $e^{-e^\nu} < 1$, phase $e^\theta$."""
    return torch.exp(torch.complex(-torch.exp(nu_log), torch.exp(theta_log)))


def lru_gamma(lam: Tensor) -> Tensor:
    r"""The normalisation $\gamma = \sqrt{1 - |\lambda|^2}$."""
    return torch.sqrt(1 - lam.abs() ** 2)


# --8<-- [end:lambda]


# --8<-- [start:scan]
def sequential_scan(a: Tensor, b: Tensor) -> Tensor:
    r"""$x_k = a_k x_{k-1} + b_k$ with $x_0 = 0$, one step at a time, along dim 0 (`(L, ...)`)."""
    x = torch.zeros_like(b[0])
    xs = []
    for a_k, b_k in zip(a, b, strict=True):
        x = a_k * x + b_k
        xs.append(x)
    return torch.stack(xs)


def associative_scan(a: Tensor, b: Tensor) -> Tensor:
    r"""The same recurrence in $\lceil\log_2 L\rceil$ parallel steps (Hillis–Steele doubling).

    After the step with offset $s$, position $k$ holds the composition of the elements
    $k - 2s + 1..k$ under $(a, b)\bullet(a', b') = (a a', a' b + b')$; the $b$ part of the
    composition of all elements up to $k$ is $x_k$.
    """
    a, b = a.clone(), b.clone()
    L, offset = a.shape[0], 1
    while offset < L:
        # combine element k with element k − offset:  b_k ← a_k b_{k−s} + b_k,  a_k ← a_k a_{k−s}
        b_new = torch.cat([b[:offset], a[offset:] * b[:-offset] + b[offset:]])
        a = torch.cat([a[:offset], a[offset:] * a[:-offset]])
        b = b_new
        offset *= 2
    return b


# --8<-- [end:scan]
