r"""Backpropagation experiments: the cost of reverse versus forward accumulation, and δ norms.

The gradient of a scalar loss through $L$ layers is a product of Jacobians,
$\nabla_x J = J_1^\top J_2^\top \cdots J_L^\top g$ with $g = \partial J/\partial a_L$. Evaluated
from the output down (reverse mode) every product is matrix × vector, $n^2$ multiply-adds per
layer for width $n$; from the input up (forward mode) the partial products are full Jacobians,
$n^3$ per layer. ``chain_rule_costs`` performs both orders and counts; ``layer_error_norms``
runs the NumPy δ recursion of `refimpl.functional.backprop` and autograd on the same deep tanh
network. Reading list: ``rumelhart1986``, ``goodfellow2016`` (section 6.5).
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np
import torch

from refimpl.functional.backprop import mlp_backward, mlp_forward

__all__ = ["LayerErrors", "chain_rule_costs", "layer_error_norms"]


def _matmul_cost(a: np.ndarray, b: np.ndarray) -> int:
    """Multiply-adds of ``a @ b``: (m × k)(k × p) costs m k p."""
    a2 = a.reshape(a.shape[0], -1) if a.ndim > 1 else a.reshape(1, -1)
    b2 = b.reshape(b.shape[0], -1) if b.ndim > 1 else b.reshape(-1, 1)
    return a2.shape[0] * a2.shape[1] * b2.shape[1]


def chain_rule_costs(width: int, depth: int, seed: int = 0) -> tuple[int, int, float]:
    r"""Multiply-adds to form $g^\top J_L \cdots J_1$ in reverse and in forward order.

    Args:
        width: the width $n$ of every layer (the Jacobians are $n \times n$).
        depth: the number of layers $L$.
        seed: for the random Jacobians.

    Returns:
        ``(reverse_cost, forward_cost, max_abs_difference)``: the counts, and how far apart the
        two results are (they are the same vector).
    """
    rng = np.random.default_rng(seed)
    jacobians = [rng.normal(size=(width, width)) / np.sqrt(width) for _ in range(depth)]
    g = rng.normal(size=width)
    # reverse: ((gᵀ J_L) J_{L−1}) ⋯ J_1, a row vector at every step
    v, reverse = g, 0
    for J in reversed(jacobians):
        reverse += _matmul_cost(v, J)
        v = v @ J  # (n,)
    # forward: gᵀ (J_L (⋯ (J_2 J_1))), an n × n Jacobian at every step
    M, forward = jacobians[0], 0
    for J in jacobians[1:]:
        forward += _matmul_cost(J, M)
        M = J @ M  # (n, n)
    forward += _matmul_cost(g, M)
    return reverse, forward, float(np.abs(v - g @ M).max())


@dataclass(frozen=True)
class LayerErrors:
    r"""Per-layer error norms $\|\partial J/\partial b_m\| = \|\sum_{\text{batch}} \delta^m\|$.

    Attributes:
        delta_rule: from the NumPy δ recursion, shape ``(L,)``, layer 1 first.
        autograd: from ``torch.autograd`` on the same network, shape ``(L,)``.
    """

    delta_rule: np.ndarray
    autograd: np.ndarray


@functools.cache
def layer_error_norms(
    std_scale: float, depth: int = 20, width: int = 64, batch: int = 32
) -> LayerErrors:
    r"""The size of the back-propagated errors at every layer of a deep tanh network.

    Weights are $W_{ij} \sim \mathcal N(0, c^2/n)$, biases zero. Near zero, tanh is the
    identity, so each step of $\delta^{m} = f'(z_m) \odot (W_{m+1}\delta^{m+1})$ scales the
    errors by about $c$: they shrink geometrically towards the input for $c < 1$.

    Args:
        std_scale: $c$ ($c = 1$ is Glorot's scale for square layers).
        depth: the number of layers $L$ (the last one linear, one output).
        width: the hidden width $n$.
        batch: the number of random inputs.

    Returns:
        The norms from both methods (read-only arrays). Cached.
    """
    rng = np.random.default_rng(0)
    sizes = [width] * depth + [1]
    pairs = list(itertools.pairwise(sizes))
    weights = [rng.normal(0, std_scale / np.sqrt(a), (a, b)) for a, b in pairs]
    biases = [np.zeros(b) for b in sizes[1:]]
    x = rng.normal(size=(width, batch))
    y = rng.normal(size=(1, batch))
    acts = ["tanh"] * (depth - 1) + ["identity"]
    cache = mlp_forward(weights, biases, x, acts)
    # J = ½ Σ (a_L − y)², ∂J/∂a_L = a_L − y
    _, grads_b = mlp_backward(weights, cache, cache.output - y)

    Ws = [torch.tensor(W) for W in weights]
    bs = [torch.tensor(b, requires_grad=True) for b in biases]
    a = torch.tensor(x)
    for W, b, name in zip(Ws, bs, acts, strict=True):
        z = W.T @ a + b[:, None]
        a = torch.tanh(z) if name == "tanh" else z
    (0.5 * ((a - torch.tensor(y)) ** 2).sum()).backward()
    ours = np.array([np.linalg.norm(g) for g in grads_b])
    ref = np.array([b.grad.norm().item() for b in bs])
    ours.flags.writeable = False
    ref.flags.writeable = False
    return LayerErrors(ours, ref)
