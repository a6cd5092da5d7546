"""GraphNetwork: permutation equivariance, the update equations written out per node, locality."""

from __future__ import annotations

import numpy as np
import torch

from refimpl.experiments.graph_networks import grid_graph, hop_distance, influence_maps
from refimpl.nn import GraphNetwork


def random_graph(n: int = 7, m: int = 15, seed: int = 0):
    gen = torch.Generator().manual_seed(seed)
    nodes = torch.randn(n, 3, generator=gen, dtype=torch.float64)
    edges = torch.randn(m, 2, generator=gen, dtype=torch.float64)
    senders = torch.randint(0, n, (m,), generator=gen)
    receivers = torch.randint(0, n, (m,), generator=gen)
    globals = torch.randn(4, generator=gen, dtype=torch.float64)
    return nodes, edges, senders, receivers, globals


def model() -> GraphNetwork:
    torch.manual_seed(0)
    return GraphNetwork(3, 2, 4, 5, 6, 3, hidden=16).double()


def test_node_and_edge_outputs_are_permutation_equivariant_and_global_is_invariant():
    gn = model()
    nodes, edges, senders, receivers, globals = random_graph()
    v, e, u = gn(nodes, edges, senders, receivers, globals)
    for seed in range(3):
        gen = torch.Generator().manual_seed(100 + seed)
        pi = torch.randperm(len(nodes), generator=gen)  # new node i is old node pi[i]
        sigma = torch.randperm(len(edges), generator=gen)  # new edge k is old edge sigma[k]
        inverse = torch.argsort(pi)  # old node index -> new node index
        v2, e2, u2 = gn(
            nodes[pi], edges[sigma], inverse[senders[sigma]], inverse[receivers[sigma]], globals
        )
        torch.testing.assert_close(v2, v[pi], rtol=1e-12, atol=1e-12)
        torch.testing.assert_close(e2, e[sigma], rtol=1e-12, atol=1e-12)
        torch.testing.assert_close(u2, u, rtol=1e-12, atol=1e-12)


def test_updates_match_the_equations_written_per_node():
    gn = model()
    nodes, edges, senders, receivers, globals = random_graph(seed=3)
    v, e, u = gn(nodes, edges, senders, receivers, globals)
    expected_e = torch.stack(
        [
            gn.edge_mlp(torch.cat([edges[k], nodes[receivers[k]], nodes[senders[k]], globals]))
            for k in range(len(edges))
        ]
    )
    torch.testing.assert_close(e, expected_e)
    for i in range(len(nodes)):
        incoming = sum(
            (expected_e[k] for k in range(len(edges)) if receivers[k] == i),
            torch.zeros(6, dtype=torch.float64),
        )
        torch.testing.assert_close(v[i], gn.node_mlp(torch.cat([incoming, nodes[i], globals])))
    torch.testing.assert_close(u, gn.global_mlp(torch.cat([expected_e.sum(0), v.sum(0), globals])))


def test_a_node_sees_only_its_l_hop_neighbourhood_without_a_global():
    maps = influence_maps(depths=(1, 2, 3), use_global=False, size=7, target=(2, 3))
    hops = hop_distance(7, 7, (2, 3))
    for depth, influence in maps.items():
        assert np.all(influence[hops > depth] == 0.0)
        assert np.all(influence[hops <= depth] > 0.0)


def test_the_global_attribute_connects_every_node_after_two_blocks():
    maps = influence_maps(depths=(1, 2), use_global=True, size=7, target=(2, 3))
    hops = hop_distance(7, 7, (2, 3))
    assert np.all(maps[1][hops > 1] == 0.0)
    assert np.all(maps[2] > 0.0)


def test_grid_graph_has_every_edge_both_ways():
    senders, receivers = grid_graph(3, 4)
    assert len(senders) == 2 * (3 * 3 + 2 * 4)
    pairs = set(zip(senders.tolist(), receivers.tolist(), strict=True))
    assert all((b, a) in pairs for a, b in pairs)
