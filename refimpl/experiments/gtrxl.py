r"""How far a GTrXL block is from the identity map at initialisation, against the gate bias.

For a freshly initialised block $f$ and random inputs $x$ we measure
$\lVert f(x) - x\rVert / \lVert x\rVert$ as a function of the gate bias $b_g$, averaged over
seeds, next to the pre-norm residual block $x + \mathrm{ReLU}(y)$ that the gates replace.
With the update gate near $\sigma(-b_g)$ the deviation shrinks like $\sigma(-b_g)$.
Reading list: `parisotto2020`.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from refimpl.nn.gtrxl import GatedTransformerBlock

__all__ = ["identity_deviation"]


def _deviation(block: GatedTransformerBlock, x: torch.Tensor) -> float:
    with torch.no_grad():
        return float((block(x) - x).norm() / x.norm())


@functools.cache
def identity_deviation(
    gate_biases: tuple[float, ...] = tuple(float(b) for b in np.linspace(-2.0, 10.0, 13)),
    seeds: int = 3,
    d_model: int = 32,
) -> dict[str, np.ndarray]:
    """Relative deviation from the identity of gated and residual blocks at initialisation.

    Returns:
        ``{"gate_bias", "gated" (mean over seeds), "gated_min", "gated_max", "residual"}``;
        ``"residual"`` holds one value per seed.
    """
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(4, 12, d_model, generator=gen, dtype=torch.float64)
    gated = np.zeros((len(gate_biases), seeds))
    residual = np.zeros(seeds)
    for s in range(seeds):
        for i, b_g in enumerate(gate_biases):
            torch.manual_seed(s)
            block = GatedTransformerBlock(d_model, 4, 4 * d_model, gate_bias=b_g).double()
            gated[i, s] = _deviation(block, x)
        torch.manual_seed(s)
        plain = GatedTransformerBlock(d_model, 4, 4 * d_model, gated=False).double()
        residual[s] = _deviation(plain, x)
    return {
        "gate_bias": np.array(gate_biases),
        "gated": gated.mean(1),
        "gated_min": gated.min(1),
        "gated_max": gated.max(1),
        "residual": residual,
    }
