r"""Counting the linear regions of ReLU networks: Zaslavsky's arrangement count and folding.

A one-hidden-layer ReLU network with $m$ units on $\mathbb R^d$ is linear on each cell of the
arrangement of the $m$ hyperplanes $w_i^\top x + b_i = 0$; a cell is identified by its
activation pattern $(\mathbf 1[w_i^\top x + b_i > 0])_i$. For hyperplanes in general position
Zaslavsky's theorem gives the number of cells,

$$
r(\mathcal A_m) = \sum_{j=0}^{d}\binom{m}{j},\qquad d = 2:\ \binom m2 + m + 1 .
$$

`count_arrangement_regions` checks it by visiting every vertex (every $d$ hyperplanes meet in
one point) and stepping into each of the $2^d$ cells around it: in general position every cell
has a vertex, so this finds all of them. Depth folds space instead: the tent map
$t(x) = 2\,\mathrm{ReLU}(x) - 4\,\mathrm{ReLU}(x - \tfrac12)$ maps $[0, 1]$ onto itself twice, and
$L$ compositions (a ReLU network of depth $L$ and width 2) have $2^L$ linear pieces, while one
hidden layer of $2L$ units has at most $2L + 1$. Reading list: ``zaslavsky1975``,
``montufar2014``.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass

import numpy as np
import torch

from refimpl.nn.mlp import MLP

__all__ = [
    "RegionMap",
    "count_arrangement_regions",
    "count_pieces",
    "region_map",
    "tent_network",
    "zaslavsky_count",
]


def zaslavsky_count(m: int, d: int) -> int:
    r"""$\sum_{j=0}^{d}\binom{m}{j}$: cells of $m$ generic hyperplanes in $\mathbb R^d$."""
    return sum(math.comb(m, j) for j in range(d + 1))


def count_arrangement_regions(m: int, d: int, seed: int = 0) -> int:
    r"""Count the distinct activation patterns of $m$ random ReLU units on $\mathbb R^d$.

    Samples $2^d$ points around every vertex of the arrangement: for hyperplanes $A x + c = 0$
    ($A$ the $d$ rows meeting at vertex $v$), the point $v + r A^{-1}\sigma$ lies on side
    $\sigma \in \{\pm 1\}^d$ of each of them, and for small $r$ on the same side of all others
    as $v$.

    Args:
        m: the number of units (hyperplanes), at least $d$.
        d: the input dimension.
        seed: for the random weights $w_i \sim \mathcal N(0, I)$, $b_i \sim \mathcal N(0, 1)$.

    Returns:
        The number of distinct activation patterns found.

    Raises:
        ValueError: if $m < d$ (the arrangement has no vertex).
    """
    if m < d:
        raise ValueError(f"need at least d = {d} hyperplanes for a vertex, got {m}")
    rng = np.random.default_rng(seed)
    W, b = rng.normal(size=(m, d)), rng.normal(size=m)
    points = []
    signs = np.array(list(itertools.product((-1.0, 1.0), repeat=d)))  # (2^d, d)
    for rows in itertools.combinations(range(m), d):
        A, c = W[list(rows)], b[list(rows)]
        vertex = np.linalg.solve(A, -c)
        # A (v + r A⁻¹σ) + c = r σ: exactly side σ of the d hyperplanes through v
        points.append(vertex + 1e-7 * np.linalg.solve(A, signs.T).T)
    x = np.concatenate(points)  # (C(m, d) · 2^d, d)
    patterns = (x @ W.T + b) > 0  # (points, m)
    return len({p.tobytes() for p in patterns})


def tent_network(depth: int) -> MLP:
    r"""An `refimpl.nn.MLP` of width 2 computing the $L$-fold tent map $t^{\circ L}$ on $[0, 1]$.

    Each hidden layer computes $h = \mathrm{ReLU}(t, t - \tfrac12)$ of the previous tent value
    $t = 2h_1 - 4h_2$; the output layer returns the last $t$.

    Args:
        depth: $L \ge 1$, the number of hidden layers (folds).

    Returns:
        The network, float64, sizes ``[1, 2, ..., 2, 1]``.
    """
    net = MLP([1] + [2] * depth + [1], activation="relu", dtype=torch.float64)
    layers = net.linear_layers()
    fold = torch.tensor([[2.0, -4.0]], dtype=torch.float64)  # t = 2 h1 − 4 h2
    split = torch.tensor([[1.0], [1.0]], dtype=torch.float64)  # (t, t) then shift by (0, ½)
    with torch.no_grad():
        for i, layer in enumerate(layers[:-1]):
            layer.weight.copy_(split if i == 0 else split @ fold)
            layer.bias.copy_(torch.tensor([0.0, -0.5], dtype=torch.float64))
        layers[-1].weight.copy_(fold)
        layers[-1].bias.zero_()
    return net


def count_pieces(values: np.ndarray, x: np.ndarray, tol: float = 1e-9) -> int:
    """The number of linear pieces of a sampled piecewise linear function.

    Args:
        values: $f$ at the sample points, shape ``(n,)``.
        x: the sorted sample points (every kink must be one of them), shape ``(n,)``.
        tol: slopes closer than this count as equal.

    Returns:
        One plus the number of slope changes.
    """
    slopes = np.diff(values) / np.diff(x)
    return 1 + int(np.sum(np.abs(np.diff(slopes)) > tol))


@dataclass(frozen=True)
class RegionMap:
    r"""The activation patterns of a ReLU network on a 2-D grid.

    Attributes:
        extent: the square $[-a, a]^2$ as ``(-a, a, -a, a)``.
        labels: the region index of every grid point, shape ``(G, G)`` (row = $x_2$).
        n_regions: the number of distinct patterns on the grid.
    """

    extent: tuple[float, float, float, float]
    labels: np.ndarray
    n_regions: int


@functools.cache
def region_map(hidden: tuple[int, ...], grid: int = 300, half_width: float = 3.0) -> RegionMap:
    r"""The linear regions of a random ReLU network with 2 inputs on $[-a, a]^2$.

    Args:
        hidden: the hidden widths, e.g. ``(24,)`` for a shallow or ``(8, 8, 8)`` for a deep net.
        grid: grid points per axis.
        half_width: $a$.

    Returns:
        The region labels (numbered in order of first appearance, read-only). Cached.
    """
    torch.manual_seed(0)
    net = MLP([2, *hidden, 1], activation="relu", dtype=torch.float64)
    for layer in net.linear_layers():
        torch.nn.init.normal_(layer.weight, std=(2.0 / layer.in_features) ** 0.5)
        torch.nn.init.normal_(layer.bias, std=0.5)
    s = np.linspace(-half_width, half_width, grid)
    X1, X2 = np.meshgrid(s, s)
    a = torch.tensor(np.stack([X1.ravel(), X2.ravel()], axis=1))  # (G², 2)
    bits = []
    with torch.no_grad():
        for layer in net.linear_layers()[:-1]:
            z = layer(a)
            bits.append(z > 0)
            a = torch.relu(z)
    pattern = torch.cat(bits, dim=1).numpy()  # (G², units)
    _, labels = np.unique(pattern, axis=0, return_inverse=True)
    labels = labels.reshape(grid, grid)
    labels.flags.writeable = False
    return RegionMap(
        (-half_width, half_width, -half_width, half_width), labels, int(labels.max()) + 1
    )
