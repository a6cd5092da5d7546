"""The linear-regions page's claims about random ReLU networks (figure ``relu-region-partition``):
the region counts in its caption, and that regions crowd near the origin, where the
hyperplanes cross, while far away the network is linear along rays."""

from __future__ import annotations

import numpy as np
import pytest

from refimpl.experiments import linear_regions as lr


@pytest.mark.parametrize(("hidden", "count"), [((24,), 227), ((8, 8, 8), 180)])
def test_caption_counts_and_regions_crowd_near_the_origin(hidden, count) -> None:
    rm = lr.region_map(hidden)
    assert rm.n_regions == count
    s = np.linspace(-3, 3, rm.labels.shape[0])
    x1, x2 = np.meshgrid(s, s)
    r = np.hypot(x1, x2)
    # a disk and an annulus of equal area: radius 2, and radii 2 to 2√2
    inner = len(np.unique(rm.labels[r < 2]))
    outer = len(np.unique(rm.labels[(r >= 2) & (r < 2 * np.sqrt(2))]))
    assert inner > 1.5 * outer


def test_a_ray_crosses_each_hidden_line_of_a_shallow_net_at_most_once() -> None:
    # every breakpoint of a one-hidden-layer net along a ray x = t u lies at t = -b_i / (w_i·u),
    # so beyond the largest one the pattern (and the affine piece) no longer changes
    rm = lr.region_map((24,))
    s = np.linspace(-3, 3, rm.labels.shape[0])
    for angle in np.linspace(0, 2 * np.pi, 16, endpoint=False):
        t = np.linspace(0, 3, 400)
        i = np.clip(np.searchsorted(s, t * np.sin(angle)), 0, len(s) - 1)
        j = np.clip(np.searchsorted(s, t * np.cos(angle)), 0, len(s) - 1)
        along = rm.labels[i, j]
        changes = np.flatnonzero(np.diff(along))
        assert len(changes) <= 24  # at most one crossing per hidden unit's line
