r"""A graph network block: edge, node and global updates with sum aggregation (Battaglia et al.).

A graph has node attributes $v_i$, edge attributes $e_k$ on directed edges from sender $s_k$ to
receiver $r_k$, and a global attribute $u$. One block updates all three with shared functions
$\phi^e, \phi^v, \phi^u$ (small MLPs here) and permutation-invariant aggregations $\rho$ (sums):

$$
\begin{aligned}
e'_k &= \phi^e\big(e_k, v_{r_k}, v_{s_k}, u\big), &
\bar e'_i &= \textstyle\sum_{k:\, r_k = i} e'_k, &
v'_i &= \phi^v\big(\bar e'_i, v_i, u\big), \\
\bar e' &= \textstyle\sum_k e'_k, &
\bar v' &= \textstyle\sum_i v'_i, &
u' &= \phi^u\big(\bar e', \bar v', u\big).
\end{aligned}
$$

Relabelling the nodes or reordering the edges permutes $v'$ and $e'$ the same way and leaves
$u'$ unchanged. Reading list: ``battaglia2018``, ``bronstein2021gdl``.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

__all__ = ["GraphNetwork", "segment_sum"]


def segment_sum(values: Tensor, segments: Tensor, num_segments: int) -> Tensor:
    """Sums the rows of ``values`` `(M, D)` that share a segment id, giving `(num_segments, D)`."""
    out = values.new_zeros(num_segments, values.shape[1])
    return out.index_add(0, segments, values)


class _MLP(torch.nn.Module):
    """Two affine maps with a ReLU between them, written out as parameters and matmuls."""

    def __init__(self, d_in: int, d_hidden: int, d_out: int) -> None:
        super().__init__()
        b1, b2 = 1.0 / math.sqrt(max(d_in, 1)), 1.0 / math.sqrt(d_hidden)
        self.w1 = torch.nn.Parameter(torch.empty(d_in, d_hidden).uniform_(-b1, b1))
        self.b1 = torch.nn.Parameter(torch.empty(d_hidden).uniform_(-b1, b1))
        self.w2 = torch.nn.Parameter(torch.empty(d_hidden, d_out).uniform_(-b2, b2))
        self.b2 = torch.nn.Parameter(torch.empty(d_out).uniform_(-b2, b2))

    def forward(self, x: Tensor) -> Tensor:
        return torch.relu(x @ self.w1 + self.b1) @ self.w2 + self.b2


class GraphNetwork(torch.nn.Module):
    """One full graph network block (edge, node and global update) on a single graph.

    Args:
        node_in: node attribute size (input).
        edge_in: edge attribute size (input).
        global_in: global attribute size (input); 0 for a graph without one.
        node_out: node attribute size (output).
        edge_out: edge attribute size (output).
        global_out: global attribute size (output); 0 turns the global update off.
        hidden: hidden width of the three update MLPs.
    """

    def __init__(
        self,
        node_in: int,
        edge_in: int,
        global_in: int,
        node_out: int,
        edge_out: int,
        global_out: int,
        hidden: int = 32,
    ) -> None:
        super().__init__()
        self.edge_mlp = _MLP(edge_in + 2 * node_in + global_in, hidden, edge_out)
        self.node_mlp = _MLP(edge_out + node_in + global_in, hidden, node_out)
        self.global_mlp = (
            _MLP(edge_out + node_out + global_in, hidden, global_out) if global_out else None
        )

    # --8<-- [start:forward]
    def forward(
        self, nodes: Tensor, edges: Tensor, senders: Tensor, receivers: Tensor, globals: Tensor
    ) -> tuple[Tensor, Tensor, Tensor]:
        """Updates a graph.

        Args:
            nodes: node attributes `(N, node_in)`.
            edges: edge attributes `(M, edge_in)`.
            senders: sender node index of each edge `(M,)`.
            receivers: receiver node index of each edge `(M,)`.
            globals: the global attribute `(global_in,)`.

        Returns:
            The new `(nodes, edges, globals)`, of shapes `(N, node_out)`, `(M, edge_out)` and
            `(global_out,)`.
        """
        N, M = nodes.shape[0], edges.shape[0]
        # e'_k = φ^e(e_k, v_{r_k}, v_{s_k}, u)
        u_e = globals.expand(M, -1)  # (M, global_in)
        edges = self.edge_mlp(torch.cat([edges, nodes[receivers], nodes[senders], u_e], dim=1))
        # ē'_i = Σ_{k: r_k = i} e'_k
        incoming = segment_sum(edges, receivers, N)  # (N, edge_out)
        # v'_i = φ^v(ē'_i, v_i, u)
        nodes = self.node_mlp(torch.cat([incoming, nodes, globals.expand(N, -1)], dim=1))
        if self.global_mlp is None:
            return nodes, edges, globals.new_zeros(0)
        # u' = φ^u(Σ_k e'_k, Σ_i v'_i, u)
        globals = self.global_mlp(torch.cat([edges.sum(0), nodes.sum(0), globals]))
        return nodes, edges, globals

    # --8<-- [end:forward]
