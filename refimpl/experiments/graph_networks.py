r"""How far information travels in a stack of graph network blocks.

After $L$ blocks of message passing, a node's output can depend only on the nodes at most $L$
edges away: each block moves information one hop along the edges. A global attribute is a
shortcut: it aggregates every node in one block and feeds the result to every node in the
next. ``influence_maps`` measures this with the gradient of one node's output with respect to
every node's input, on a grid graph, for untrained (random) blocks. Reading list:
``battaglia2018``.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from refimpl.nn.graph_network import GraphNetwork

__all__ = ["grid_graph", "hop_distance", "influence_maps"]


def grid_graph(rows: int, cols: int) -> tuple[torch.Tensor, torch.Tensor]:
    """`(senders, receivers)` of a `rows × cols` grid, every edge in both directions."""
    index = np.arange(rows * cols).reshape(rows, cols)
    pairs = [(index[i, j], index[i, j + 1]) for i in range(rows) for j in range(cols - 1)]
    pairs += [(index[i, j], index[i + 1, j]) for i in range(rows - 1) for j in range(cols)]
    a, b = np.array(pairs).T
    return torch.as_tensor(np.concatenate([a, b])), torch.as_tensor(np.concatenate([b, a]))


def hop_distance(rows: int, cols: int, target: tuple[int, int]) -> np.ndarray:
    """The number of grid edges between every node and ``target`` (Manhattan distance)."""
    yy, xx = np.mgrid[0:rows, 0:cols]
    return np.abs(yy - target[0]) + np.abs(xx - target[1])


@functools.cache
def influence_maps(
    depths: tuple[int, ...] = (1, 2, 3),
    use_global: bool = False,
    size: int = 9,
    target: tuple[int, int] = (3, 3),
    width: int = 8,
) -> dict[int, np.ndarray]:
    """Gradient norms $\\lVert \\partial v^{(L)}_t / \\partial v^{(0)}_j \\rVert$ on a grid.

    Returns:
        For each depth, a `(size, size)` array of gradient norms, normalised to a maximum of 1.
    """
    senders, receivers = grid_graph(size, size)
    g = width if use_global else 0
    torch.manual_seed(0)
    blocks = [
        GraphNetwork(width, width, g, width, width, g, hidden=16).double()
        for _ in range(max(depths))
    ]
    nodes = torch.randn(size * size, width, dtype=torch.float64, requires_grad=True)
    edges = torch.randn(len(senders), width, dtype=torch.float64)
    readout = torch.randn(width, dtype=torch.float64)
    result = {}
    for depth in depths:
        v, e, u = nodes, edges, torch.zeros(g, dtype=torch.float64)
        for block in blocks[:depth]:
            v, e, u = block(v, e, senders, receivers, u)
        (grad,) = torch.autograd.grad(v[target[0] * size + target[1]] @ readout, nodes)
        norms = grad.norm(dim=1).reshape(size, size).numpy()
        result[depth] = norms / norms.max()
    return result
