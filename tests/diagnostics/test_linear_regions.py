"""Region counts against the analytic breakpoints of a one-hidden-layer ReLU net and Zaslavsky."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from refimpl.diagnostics import (
    activation_patterns,
    count_regions_along_line,
    count_regions_on_plane,
)


def shallow(m: int, d: int, seed: int) -> nn.Sequential:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(d, m), nn.ReLU(), nn.Linear(m, 1)).double()


def test_patterns_are_the_signs_of_the_pre_activations():
    net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 5), nn.ReLU()).double()
    x = torch.randn(10, 3, dtype=torch.float64)
    z1 = net[0](x)
    z2 = net[2](torch.relu(z1))
    expected = torch.cat([z1 > 0, z2 > 0], dim=1)
    assert torch.equal(activation_patterns(net, x), expected)


@pytest.mark.parametrize("seed", range(5))
def test_line_count_matches_analytic_breakpoints(seed):
    m, d = 12, 3
    net = shallow(m, d, seed)
    x0 = torch.randn(d, dtype=torch.float64) * 2
    x1 = torch.randn(d, dtype=torch.float64) * 2
    W, b = net[0].weight.detach(), net[0].bias.detach()
    # unit i switches where w_i·x(t) + b_i = 0, i.e. t_i = −(w_i·x0 + b_i) / (w_i·(x1 − x0))
    t = -(W @ x0 + b) / (W @ (x1 - x0))
    inside = torch.sort(t[(t > 0) & (t < 1)]).values
    res = count_regions_along_line(net, x0, x1, samples=200_001)
    assert res.count == inside.numel() + 1
    torch.testing.assert_close(res.breakpoints, inside, atol=1e-5, rtol=0)
    assert res.labels[0] == 0 and res.labels[-1] == res.count - 1


@pytest.mark.parametrize("m", [1, 3, 5, 8])
def test_plane_count_is_zaslavsky_for_one_hidden_layer(m):
    net = shallow(m, 2, seed=m)
    W, b = net[0].weight.detach(), net[0].bias.detach()
    # a window holding every pairwise intersection of the m lines w_i·x + b_i = 0
    pts = [torch.linalg.solve(W[[i, j]], -b[[i, j]]) for i in range(m) for j in range(i + 1, m)]
    r = max([1.0] + [float(p.abs().max()) for p in pts]) * 1.5
    res = count_regions_on_plane(
        net,
        torch.zeros(2, dtype=torch.float64),
        torch.tensor([1.0, 0.0], dtype=torch.float64),
        torch.tensor([0.0, 1.0], dtype=torch.float64),
        extent=(-r, r, -r, r),
        resolution=1000,
    )
    assert res.count == math.comb(m, 2) + m + 1
    assert res.labels.shape == (1000, 1000)
    assert int(res.labels.max()) == res.count - 1


def test_deep_tent_map_has_two_to_the_depth_pieces():
    # t(x) = 2 ReLU(x) − 4 ReLU(x − ½) folds [0, 1] onto itself; L folds give 2^L pieces
    layers = []
    for _ in range(4):
        first = nn.Linear(1, 2).double()
        first.weight.data = torch.tensor([[1.0], [1.0]], dtype=torch.float64)
        first.bias.data = torch.tensor([0.0, -0.5], dtype=torch.float64)
        second = nn.Linear(2, 1).double()
        second.weight.data = torch.tensor([[2.0, -4.0]], dtype=torch.float64)
        second.bias.data = torch.zeros(1, dtype=torch.float64)
        layers += [first, nn.ReLU(), second]
    net = nn.Sequential(*layers)
    # sample off the kinks (which sit on the dyadic grid)
    eps = torch.tensor([1e-7], dtype=torch.float64)
    res = count_regions_along_line(net, eps, 1 - eps, samples=100_000)
    assert res.count == 2**4


def test_plane_count_with_many_units_agrees_with_unique_rows():
    # more than 62 units: the patterns are packed into several words
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(2, 40), nn.ReLU(), nn.Linear(40, 40), nn.ReLU()).double()
    o, e1, e2 = (
        torch.zeros(2).double(),
        torch.tensor([1.0, 0]).double(),
        torch.tensor([0, 1.0]).double(),
    )
    res = count_regions_on_plane(net, o, e1, e2, extent=(-3, 3, -3, 3), resolution=120)
    a = torch.linspace(-3, 3, 120, dtype=torch.float64)
    B, A = torch.meshgrid(a, a, indexing="ij")
    x = torch.stack([A.reshape(-1), B.reshape(-1)], dim=1)
    patterns = activation_patterns(net, x)
    assert patterns.shape[1] == 80
    assert res.count == torch.unique(patterns, dim=0).shape[0]
    # same region id ⇔ same pattern
    flat = res.labels.reshape(-1)
    for i, j in [(0, 1), (0, 5000), (77, 14000), (9000, 9001)]:
        assert (flat[i] == flat[j]) == bool((patterns[i] == patterns[j]).all())
