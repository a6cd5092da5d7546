r"""Self-attention as a graph network on a set: permutation equivariance and graph masks.

- `equivariance_errors`: $\lVert f(PX) - Pf(X)\rVert / \lVert f(X)\rVert$ of a Transformer
  encoder layer over random permutations $P$, without and with sinusoidal positions.
- `graph_attention_weights`: the attention weights that message passing with a softmax over
  in-edges (`refimpl.functional.edge_softmax_attention`) puts on each edge, for the complete
  graph (self-attention), the causal graph and a ring; and how far the complete-graph result
  is from `scaled_dot_product_attention`.

Reading list: `battaglia2018`, `bronstein2021gdl`, `vaswani2017`.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from refimpl.functional.attention import (
    edge_softmax_attention,
    scaled_dot_product_attention,
    sinusoidal_positional_encoding,
)
from refimpl.nn.transformer import TransformerEncoderLayer

__all__ = ["equivariance_errors", "graph_attention_weights", "graph_edges"]


@functools.cache
def equivariance_errors(permutations: int = 20, n: int = 12, d: int = 16) -> dict[str, np.ndarray]:
    """Relative equivariance error of one encoder layer, without and with positions.

    Returns:
        ``{"without", "with"}``, one error per random permutation.
    """
    torch.manual_seed(0)
    layer = TransformerEncoderLayer(d, 4, 32, dropout=0.0, batch_first=True).double()
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(1, n, d, generator=gen, dtype=torch.float64)
    pe = sinusoidal_positional_encoding(n, d, dtype=torch.float64)
    out: dict[str, list[float]] = {"without": [], "with": []}
    with torch.no_grad():
        for _ in range(permutations):
            perm = torch.randperm(n, generator=gen)
            for name, pos in (("without", 0.0), ("with", pe)):
                # f(PX) against P f(X); positions stay attached to slots, not to elements
                fx = layer(x + pos)
                fpx = layer(x[:, perm] + pos)
                out[name].append(float((fpx - fx[:, perm]).norm() / fx.norm()))
    return {k: np.array(v) for k, v in out.items()}


def graph_edges(kind: str, n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """``(senders, receivers)`` of the ``"complete"``, ``"causal"`` or ``"ring"`` graph.

    Every graph has self-loops; the ring links each node to its two neighbours.
    """
    i, j = torch.meshgrid(torch.arange(n), torch.arange(n), indexing="ij")  # receiver, sender
    if kind == "complete":
        keep = torch.ones(n, n, dtype=torch.bool)
    elif kind == "causal":
        keep = j <= i
    elif kind == "ring":
        keep = ((i - j) % n <= 1) | ((j - i) % n <= 1)
    else:
        raise ValueError(f"unknown graph {kind!r}")
    return j[keep], i[keep]


@functools.cache
def graph_attention_weights(n: int = 10, d: int = 8) -> dict[str, np.ndarray]:
    """Edge weights $\\alpha_{ij}$ as ``(n, n)`` matrices (receiver, sender) per graph.

    Also ``"complete_vs_sdpa"``: the largest difference between message passing on the complete
    graph and dense self-attention.
    """
    gen = torch.Generator().manual_seed(2)
    q, k, v = (torch.randn(n, d, generator=gen, dtype=torch.float64) for _ in range(3))
    out: dict[str, np.ndarray] = {}
    eye = torch.eye(n, dtype=torch.float64)
    for kind in ("complete", "causal", "ring"):
        senders, receivers = graph_edges(kind, n)
        # reading the weights back: aggregate one-hot values, so node i receives row α_i·
        out[kind] = edge_softmax_attention(q, k, eye, senders, receivers).numpy()
    senders, receivers = graph_edges("complete", n)
    dense, _ = scaled_dot_product_attention(q, k, v)
    sparse = edge_softmax_attention(q, k, v, senders, receivers)
    out["complete_vs_sdpa"] = np.array(float((dense - sparse).abs().max()))
    return out
