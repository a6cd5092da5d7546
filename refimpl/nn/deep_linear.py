r"""A deep linear network: a product of weight matrices, with no non-linearity in between.

$$
h(x) = W_L W_{L-1} \cdots W_1\, x .
$$

It represents only linear maps, exactly like one layer, yet its gradient-descent dynamics are
non-linear in the weights. For whitened inputs and a target map with SVD $\Sigma^{yx} = U S
V^\top$, two layers started small and aligned with the singular vectors learn each mode
$u_\alpha$ on its own, along the sigmoid

$$
\tau\frac{du}{dt} = 2u(s - u),\qquad
u(t) = \frac{s\,e^{2st/\tau}}{e^{2st/\tau} - 1 + s/u_0},
$$

strong modes first: stage-like learning (``saxe2014``). A single layer instead learns every
mode exponentially, $u(t) = s + (u_0 - s)e^{-t/\tau}$.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor

from refimpl.nn.linear import Linear

__all__ = ["DeepLinearNetwork"]


class DeepLinearNetwork(torch.nn.Module):
    r"""$h(x) = W_L \cdots W_1 x$, bias-free linear layers of the given widths.

    Args:
        sizes: the widths $(n_0, n_1, \dots, n_L)$.
        device: where to create the parameters.
        dtype: their dtype.

    Example:
        >>> import torch
        >>> from refimpl.nn import DeepLinearNetwork
        >>> net = DeepLinearNetwork([3, 5, 2])
        >>> torch.allclose(net(torch.eye(3)), net.end_to_end().T)
        True
    """

    def __init__(
        self,
        sizes: Sequence[int],
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        if len(sizes) < 2:
            raise ValueError(f"need at least an input and an output size, got {sizes}")
        self.sizes = tuple(int(n) for n in sizes)
        self.layers = torch.nn.ModuleList(
            Linear(a, b, bias=False, device=device, dtype=dtype)
            for a, b in zip(self.sizes[:-1], self.sizes[1:], strict=True)
        )

    def forward(self, x: Tensor) -> Tensor:
        r"""$h(x) = W_L \cdots W_1 x$ for ``x`` of shape ``(..., n_0)``."""
        for layer in self.layers:
            x = layer(x)
        return x  # (..., n_L)

    def end_to_end(self) -> Tensor:
        r"""The product $W_L \cdots W_1$, shape ``(n_L, n_0)``."""
        product = self.layers[0].weight
        for layer in self.layers[1:]:
            product = layer.weight @ product
        return product
