r"""Scaled dot-product attention, its softmax, masks and sinusoidal positions, from primitives.

Attention reads a set of values $V$ through weights computed from queries $Q$ and keys $K$
(Vaswani et al. 2017):

$$
\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\Big(\frac{QK^\top}{\sqrt{d_k}} + M\Big) V,
\qquad \mathrm{softmax}(s)_j = \frac{e^{s_j - m}}{\sum_{j'} e^{s_{j'} - m}},\ m = \max_j s_j,
$$

where $M$ is an additive mask ($-\infty$ where a query may not look). The sinusoidal
positional encoding is $PE_{p,2i} = \sin(p / 10000^{2i/d})$, $PE_{p,2i+1} = \cos(p /
10000^{2i/d})$. `edge_softmax_attention` computes the same attention as message passing on a
graph (softmax over each node's incoming edges): on the complete graph it is self-attention
(Battaglia et al. 2018). Reading list: `vaswani2017`, `battaglia2018`.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from refimpl.functional.activations import softmax

__all__ = [
    "as_additive_mask",
    "causal_mask",
    "edge_softmax_attention",
    "scaled_dot_product_attention",
    "sinusoidal_positional_encoding",
    "softmax",
]


def causal_mask(
    size: int, device: torch.device | None = None, dtype: torch.dtype = torch.bool
) -> Tensor:
    r"""The $(T, T)$ mask that hides the future: entry $(t, s)$ is masked when $s > t$.

    Args:
        size: the sequence length $T$.
        device: where to create it.
        dtype: ``torch.bool`` (True = masked, torch's convention) or a floating dtype (an
            additive mask with $-\infty$ above the diagonal and 0 elsewhere).

    Returns:
        The mask, shape ``(T, T)``.
    """
    future = torch.ones(size, size, dtype=torch.bool, device=device).triu(diagonal=1)
    return future if dtype == torch.bool else as_additive_mask(future, dtype)


def as_additive_mask(mask: Tensor | None, dtype: torch.dtype) -> Tensor | None:
    r"""Turn torch's mask conventions into one additive float mask.

    Args:
        mask: ``None``; a bool mask (True = may not attend, becomes $-\infty$); or a float mask,
            which is already additive and is returned in ``dtype``.
        dtype: the floating dtype of the scores.

    Returns:
        The additive mask, or ``None``.
    """
    if mask is None:
        return None
    if mask.dtype == torch.bool:
        zeros = torch.zeros(mask.shape, dtype=dtype, device=mask.device)
        return zeros.masked_fill(mask, float("-inf"))
    return mask.to(dtype)


# --8<-- [start:sdpa]
def scaled_dot_product_attention(
    q: Tensor, k: Tensor, v: Tensor, mask: Tensor | None = None
) -> tuple[Tensor, Tensor]:
    r"""$\mathrm{softmax}(QK^\top/\sqrt{d_k} + M)\,V$, returning the output and the weights.

    Args:
        q: queries, shape ``(..., L, d_k)``.
        k: keys, shape ``(..., S, d_k)``.
        v: values, shape ``(..., S, d_v)``.
        mask: an additive float mask broadcastable to ``(..., L, S)``, or ``None``.

    Returns:
        ``(output, weights)`` of shapes ``(..., L, d_v)`` and ``(..., L, S)``; each row of
        ``weights`` sums to one.
    """
    # s_ij = q_i · k_j / √d_k   (scaling keeps the logits O(1) when the entries are O(1))
    scores = (q * (1.0 / math.sqrt(q.shape[-1]))) @ k.transpose(-2, -1)  # (..., L, S)
    if mask is not None:
        # s_ij ← s_ij + M_ij   (−∞ removes key j from query i's softmax)
        scores = scores + mask
    # α_ij = exp(s_ij) / Σ_j' exp(s_ij')
    weights = softmax(scores, dim=-1)
    # o_i = Σ_j α_ij v_j
    return weights @ v, weights


# --8<-- [end:sdpa]


# --8<-- [start:positional]
def sinusoidal_positional_encoding(
    length: int,
    dim: int,
    base: float = 10000.0,
    *,
    device: torch.device | None = None,
    dtype: torch.dtype = torch.float32,
) -> Tensor:
    r"""The sinusoidal positional encodings of the Transformer.

    $PE_{p, 2i} = \sin(p\,\omega_i)$ and $PE_{p, 2i+1} = \cos(p\,\omega_i)$ with
    $\omega_i = \mathrm{base}^{-2i/d}$: each pair of channels is a clock turning at its own
    frequency, from one radian per position down to $1/\mathrm{base}$.

    Args:
        length: the number of positions $T$ (positions $0, \dots, T-1$).
        dim: the model width $d$ (even).
        base: the longest wavelength is $2\pi\cdot$``base``.
        device: where to create it.
        dtype: its floating dtype.

    Returns:
        The encodings, shape ``(T, d)``.
    """
    if dim % 2:
        raise ValueError(f"the model width must be even, got {dim}")
    pos = torch.arange(length, device=device, dtype=torch.float64)[:, None]  # (T, 1)
    two_i = torch.arange(0, dim, 2, device=device, dtype=torch.float64)  # (d/2,)
    # ω_i = base^(−2i/d)
    omega = torch.exp(-math.log(base) * two_i / dim)
    angle = pos * omega  # (T, d/2)
    pe = torch.empty(length, dim, device=device, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(angle)  # PE_{p,2i}   = sin(p ω_i)
    pe[:, 1::2] = torch.cos(angle)  # PE_{p,2i+1} = cos(p ω_i)
    return pe.to(dtype)


# --8<-- [end:positional]


# --8<-- [start:edge-attention]
def edge_softmax_attention(
    q: Tensor, k: Tensor, v: Tensor, senders: Tensor, receivers: Tensor
) -> Tensor:
    r"""Attention as message passing on a graph: each node averages messages from its in-edges.

    For an edge $j \to i$ the message is $v_j$ with logit $s_{ij} = q_i\cdot k_j/\sqrt{d}$; node
    $i$ aggregates $\sum_{j \in \mathcal N(i)} \mathrm{softmax}_{j \in \mathcal N(i)}(s_{ij})\,
    v_j$. On the complete graph (every $j \to i$, self-loops included) this is self-attention.

    Args:
        q: queries, shape ``(N, d)`` (one per node).
        k: keys, shape ``(N, d)``.
        v: values, shape ``(N, d_v)``.
        senders: the source node $j$ of each edge, shape ``(E,)``, integer.
        receivers: the target node $i$ of each edge, shape ``(E,)``, integer.

    Returns:
        The aggregated messages, shape ``(N, d_v)``.
    """
    n = q.shape[0]
    # ψ: the logit of edge j → i,  s_ij = q_i · k_j / √d
    logits = (q[receivers] * k[senders]).sum(-1) / math.sqrt(q.shape[-1])  # (E,)
    # softmax over the edges that share a receiver (shift by the receiver's max logit)
    m = torch.full((n,), float("-inf"), dtype=q.dtype, device=q.device)
    m = m.scatter_reduce(0, receivers, logits.detach(), reduce="amax")
    e = torch.exp(logits - m[receivers])  # (E,)
    denom = torch.zeros(n, dtype=q.dtype, device=q.device).index_add(0, receivers, e)  # (N,)
    alpha = e / denom[receivers]  # (E,)
    # ⊕: u_i = Σ_{j ∈ N(i)} α_ij v_j
    out = torch.zeros(n, v.shape[-1], dtype=v.dtype, device=v.device)
    return out.index_add(0, receivers, alpha[:, None] * v[senders])


# --8<-- [end:edge-attention]
