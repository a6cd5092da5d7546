r"""Dropout: randomly zero units during training, rescaling the survivors (inverted dropout).

$$
\tilde h = \frac{m \odot h}{1 - p},\qquad m_i \sim \mathrm{Bernoulli}(1 - p)\ \text{i.i.d.},
$$

so that $\mathbb E[\tilde h] = h$ and evaluation mode is the identity. Each step trains a
random sub-network that shares its weights with all the others; units cannot rely on specific
partners being present. Matches ``torch.nn.Dropout`` in arguments and in distribution (not in
the individual random draws). Reading list: ``goodfellow2016``
(section 7.12).
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["Dropout"]


class Dropout(torch.nn.Module):
    r"""Zero each entry with probability $p$ in training mode and scale the rest by $1/(1-p)$.

    Args:
        p: the drop probability, in $[0, 1]$.
        inplace: accepted for compatibility with ``torch.nn.Dropout``; the output is always a
            new tensor.

    Raises:
        ValueError: for $p$ outside $[0, 1]$.
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    # --8<-- [start:dropout]
    def forward(self, input: Tensor) -> Tensor:
        r"""$m \odot x / (1-p)$ with a fresh Bernoulli mask in training mode; $x$ otherwise."""
        if not self.training or self.p == 0.0:
            return input
        if self.p == 1.0:
            return torch.zeros_like(input)
        # m_i ~ Bernoulli(1 − p): keep each unit with probability 1 − p
        keep = torch.rand_like(input) >= self.p
        # h̃ = m ⊙ h / (1 − p), so that E[h̃] = h
        return input * keep / (1.0 - self.p)

    # --8<-- [end:dropout]

    @classmethod
    def from_torch(cls, module: torch.nn.Dropout) -> Dropout:
        """A `Dropout` with the same probability (and training mode) as ``module``."""
        return cls(module.p, module.inplace).train(module.training)
