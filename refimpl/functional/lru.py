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

import math

import torch
from torch import Tensor

__all__ = ["associative_scan", "chunked_scan", "lru_gamma", "lru_lambda", "sequential_scan"]


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


# --8<-- [start:chunked]
def chunked_scan(a: Tensor, b: Tensor, chunk: int | None = None) -> Tensor:
    r"""The same recurrence in about $2\sqrt{L}$ sequential steps: scan inside chunks, then across.

    The sequence is cut into $n$ chunks of $c$ steps ($c = \lceil\sqrt L\rceil$ by default).
    (1) All chunks run their local recurrence from a zero state at once, keeping the local state
    $\hat x$ and the running product $p$ of the $a$'s; (2) a loop over the $n$ chunk ends carries
    the true state $s$ into each chunk; (3) $x = \hat x + p\,s$ fixes every position up. The
    work is $O(L)$, as for the loop, but only $c + n$ steps are sequential, each acting on a
    whole column of chunks.
    """
    L = a.shape[0]
    c = chunk or max(1, math.isqrt(L - 1) + 1)
    pad = (-L) % c
    if pad:  # identity elements (a, b) = (1, 0) at the end
        a = torch.cat([a, torch.ones_like(a[:1]).expand(pad, *a.shape[1:])])
        b = torch.cat([b, torch.zeros_like(b[:1]).expand(pad, *b.shape[1:])])
    n = a.shape[0] // c
    a_c = a.reshape(n, c, *a.shape[1:]).transpose(0, 1)  # (c, n, ...)
    b_c = b.reshape(n, c, *b.shape[1:]).transpose(0, 1)  # (c, n, ...)
    local, prod = torch.zeros_like(b_c[0]), torch.ones_like(a_c[0])
    locals_, prods = [], []
    for j in range(c):  # (1) every chunk at once: x̂_j = a_j x̂_{j-1} + b_j, p_j = a_j p_{j-1}
        local = a_c[j] * local + b_c[j]
        prod = a_c[j] * prod
        locals_.append(local)
        prods.append(prod)
    X, P = torch.stack(locals_), torch.stack(prods)  # (c, n, ...)
    carry, carries = torch.zeros_like(b_c[0, 0]), []
    for i in range(n):  # (2) the state entering chunk i: s_i = p_last s_{i-1} + x̂_last
        carries.append(carry)
        carry = P[-1, i] * carry + X[-1, i]
    x = X + P * torch.stack(carries)  # (3) (c, n, ...)
    return x.transpose(0, 1).reshape(n * c, *b.shape[1:])[:L]


# --8<-- [end:chunked]
