r"""An autoencoder: an encoder to a low-dimensional code and a decoder back, trained to reconstruct.

With encoder $f$ and decoder $g$ the model minimises the reconstruction error

$$
\mathcal L = \frac1n\sum_{i=1}^n \big\lVert x_i - g\big(f(x_i)\big)\big\rVert^2 .
$$

With linear $f$ and $g$ and a $k$-dimensional code, every minimum spans the same subspace as
the top $k$ principal components (Baldi and Hornik); nonlinear maps can follow curved data.
Reading list: ``hinton2006``, ``baldi1989``, ``ozair2014``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import torch
from torch import Tensor

__all__ = ["Autoencoder"]


class _Stack(torch.nn.Module):
    """Affine maps (parameters and matmuls) with an activation between them, none after the last."""

    def __init__(self, sizes: Sequence[int], activation: str | None) -> None:
        super().__init__()
        pairs = list(itertools.pairwise(sizes))
        self.weights = torch.nn.ParameterList(
            [torch.nn.Parameter(torch.randn(a, b) / math.sqrt(a)) for a, b in pairs]
        )
        self.biases = torch.nn.ParameterList([torch.nn.Parameter(torch.zeros(b)) for _, b in pairs])
        self.activation = activation

    def forward(self, x: Tensor) -> Tensor:
        for k, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            x = x @ w + b
            if self.activation is not None and k < len(self.weights) - 1:
                x = torch.tanh(x) if self.activation == "tanh" else torch.relu(x)
        return x


# --8<-- [start:autoencoder]
class Autoencoder(torch.nn.Module):
    """A symmetric MLP autoencoder.

    Args:
        sizes: layer widths from the input to the code, e.g. `(2, 32, 32, 1)`; the decoder
            mirrors them.
        activation: ``"tanh"``, ``"relu"`` or ``None`` (a linear autoencoder; then only the
            first and last size matter for what it can represent).
    """

    def __init__(
        self, sizes: Sequence[int] = (2, 32, 32, 1), activation: str | None = "tanh"
    ) -> None:
        super().__init__()
        if activation not in ("tanh", "relu", None):
            raise ValueError(f"unknown activation {activation!r}")
        self.encoder = _Stack(sizes, activation)
        self.decoder = _Stack(list(reversed(sizes)), activation)

    def encode(self, x: Tensor) -> Tensor:
        """The code $f(x)$, `(B, sizes[-1])`."""
        return self.encoder(x)

    def decode(self, code: Tensor) -> Tensor:
        """The reconstruction $g(h)$ of a code, `(B, sizes[0])`."""
        return self.decoder(code)

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor]:
        """Returns `(reconstruction, code)` for a batch `(B, sizes[0])`."""
        code = self.encode(x)
        return self.decode(code), code


# --8<-- [end:autoencoder]
