r"""Monte Carlo checks of high-dimensional geometry for isotropic Gaussians and balls.

For $x, y \sim \mathcal N(0, \sigma^2 I_N)$ independent:

- $\cos\angle(x, y) = x^\top y/(\lVert x\rVert\lVert y\rVert)$ has mean $0$ and variance
  $1/N$, so the angle concentrates at $90°$ with spread about $(180/\pi)/\sqrt N$ degrees;
- $\lVert x\rVert^2/\sigma^2 \sim \chi^2_N$ has mean $N$ and variance $2N$, so
  $\lVert x\rVert \approx \sigma\sqrt N$ with a spread tending to $\sigma/\sqrt 2$, whatever $N$;
- in a ball of radius $r$, the fraction of the volume within $\delta$ of the surface is
  $1 - (1 - \delta/r)^N$, which tends to one.

Functions return samples (for histograms) and the closed forms they are compared against.
"""

from __future__ import annotations

import functools

import numpy as np

__all__ = ["gaussian_angles_deg", "gaussian_norms", "shell_fraction", "shell_fraction_mc"]


@functools.cache
def gaussian_angles_deg(n_dim: int, pairs: int = 4000, seed: int = 0) -> np.ndarray:
    """Angles in degrees between ``pairs`` pairs of independent standard Gaussian vectors.

    Args:
        n_dim: the dimension $N$.
        pairs: the number of pairs.
        seed: the random seed.

    Returns:
        The angles (read-only), shape ``(pairs,)``. Cached.
    """
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(2, pairs, n_dim))
    cos = (x * y).sum(-1) / (np.linalg.norm(x, axis=-1) * np.linalg.norm(y, axis=-1))
    out = np.degrees(np.arccos(np.clip(cos, -1, 1)))
    out.flags.writeable = False
    return out


@functools.cache
def gaussian_norms(n_dim: int, samples: int = 4000, seed: int = 1) -> np.ndarray:
    """Norms $\\lVert x\\rVert$ of ``samples`` standard Gaussian vectors (read-only). Cached."""
    rng = np.random.default_rng(seed)
    out = np.linalg.norm(rng.normal(size=(samples, n_dim)), axis=1)
    out.flags.writeable = False
    return out


def shell_fraction(n_dim: np.ndarray | int, delta: float) -> np.ndarray:
    r"""$1 - (1 - \delta)^N$: the fraction of the unit ball within $\delta$ of its surface."""
    return 1.0 - (1.0 - delta) ** np.asarray(n_dim, dtype=np.float64)


def shell_fraction_mc(n_dim: int, delta: float, samples: int = 200_000, seed: int = 2) -> float:
    r"""The same fraction by rejection sampling: uniform points in the cube $[-1, 1]^N$.

    Args:
        n_dim: the dimension $N$ (small: the ball fills a vanishing part of the cube).
        delta: the skin thickness $\delta$.
        samples: cube samples drawn.
        seed: the random seed.

    Returns:
        Among the samples inside the unit ball, the fraction with norm above $1 - \delta$.
    """
    rng = np.random.default_rng(seed)
    r = np.linalg.norm(rng.uniform(-1, 1, size=(samples, n_dim)), axis=1)
    inside = r[r <= 1]
    return float(np.mean(inside > 1 - delta))
