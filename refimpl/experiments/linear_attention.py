r"""Cost of softmax attention against linear attention and RWKV as the sequence grows.

Costs are counted, not timed, so the figure is identical on every machine. The closed forms

$$
\text{softmax: } 4T^2 d, \qquad \text{linear, chunk } C\text{: } 4TCd + 4Td^2, \qquad
\text{RWKV WKV: } \approx 10\,Td\ \text{(element-wise)} .
$$

are what `counted_flops` measures on our own implementations with
`torch.utils.flop_counter.FlopCounterMode` on ``meta`` tensors (shapes only, no arithmetic); the
tests check that the two agree exactly. Memory is the largest intermediate each form keeps:
the $T\times T$ score matrix, the $C\times C$ block plus the $d\times d$ state, or the $O(d)$
RWKV state. Reading list:
`katharopoulos2020`, `peng2023rwkv`, `vaswani2017`.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from refimpl.functional.attention import causal_mask, scaled_dot_product_attention
from refimpl.functional.linear_attention import linear_attention_chunked

__all__ = ["AttentionCosts", "attention_costs", "counted_flops"]

AttentionCosts = dict[str, np.ndarray]


def counted_flops(kind: str, length: int, dim: int, chunk: int = 64) -> int:
    """Matmul FLOPs of one head of our causal ``"softmax"`` or ``"linear"`` attention.

    Args:
        kind: ``"softmax"`` (`scaled_dot_product_attention` under the causal mask) or
            ``"linear"`` (`linear_attention_chunked`).
        length: the sequence length $T$.
        dim: the head width $d$ (keys and values).
        chunk: the chunk length $C$ of linear attention.

    Returns:
        The FLOPs counted by `FlopCounterMode` (a multiply-add counts 2).
    """
    from torch.utils.flop_counter import FlopCounterMode  # imported on use: it is slow to load

    q, k, v = (torch.empty(1, length, dim, device="meta") for _ in range(3))
    with FlopCounterMode(display=False) as counter:
        if kind == "softmax":
            scaled_dot_product_attention(q, k, v, causal_mask(length, "meta", torch.float32))
        elif kind == "linear":
            linear_attention_chunked(q, k, v, chunk_size=chunk)
        else:
            raise ValueError(f"unknown kind {kind!r}")
    return int(counter.get_total_flops())


@functools.cache
def attention_costs(
    lengths: tuple[int, ...] = (64, 128, 256, 512, 1024, 2048, 4096, 8192),
    dim: int = 64,
    chunk: int = 64,
) -> AttentionCosts:
    """Closed-form costs of one causal head for each sequence length.

    Returns:
        Arrays keyed ``"T"``, ``"softmax_formula"``, ``"linear_formula"``, ``"rwkv_formula"``
        (FLOPs), and
        ``"softmax_memory"``, ``"linear_memory"``, ``"rwkv_memory"`` (floats kept).
    """
    T = np.array(lengths, dtype=np.float64)
    d, C = float(dim), float(chunk)
    return {
        "T": T,
        # QKᵀ and AV: 2 T² d each
        "softmax_formula": 4 * T**2 * d,
        # per chunk: QKᵀ, AV (2C²d each), Q S and the state update Kᵀ V (2Cd² each)
        "linear_formula": 4 * T * C * d + 4 * T * d**2,
        # per step and channel: about ten exponentials, products and sums
        "rwkv_formula": 10 * T * d,
        "softmax_memory": T**2 + 3 * T * d,
        "linear_memory": np.minimum(T, C) ** 2 + d**2 + 3 * T * d,
        "rwkv_memory": np.full_like(T, 3 * d),
    }
