"""The nearest-point task behind the relational-memory figure."""

from __future__ import annotations

import torch

from refimpl.experiments.relational_memory import NEAREST_ITEMS, nearest_point_batch


def test_targets_are_the_nearest_stored_point():
    x, y = nearest_point_batch(torch.Generator().manual_seed(0), 200)
    K = NEAREST_ITEMS
    assert x.shape == (200, K + 1, K + 3) and y.shape == (200,)
    for b in range(200):
        points, query = x[b, :K, :2], x[b, K, :2]
        distances = [float((p - query).norm()) for p in points]  # Euclidean, not dot products
        assert int(y[b]) == distances.index(min(distances))
        assert torch.equal(x[b, :K, 2 : 2 + K], torch.eye(K))  # labels in order
        assert x[b, K, -1] == 1 and x[b, :K, -1].sum() == 0  # the query flag
    torch.testing.assert_close(x[..., :2].norm(dim=-1), torch.ones(200, K + 1))
