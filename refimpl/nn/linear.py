r"""The fully connected layer, $y = xW^\top + b$, matching ``torch.nn.Linear``.

Same constructor (``in_features``, ``out_features``, ``bias``, ``device``, ``dtype``), same
parameter names and shapes (``weight`` of shape ``(out, in)``, ``bias`` of shape ``(out,)``),
and the same default initialisation: $W_{ij}, b_i \sim U[-1/\sqrt{n_{\mathrm{in}}},
1/\sqrt{n_{\mathrm{in}}}]$ (torch's ``kaiming_uniform_`` with $a = \sqrt5$, which reduces to that
bound). The arithmetic is `refimpl.functional.linear`. Reading list: ``goodfellow2016``.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from refimpl.functional.affine import linear
from refimpl.functional.init import kaiming_uniform_

__all__ = ["Linear"]


class Linear(torch.nn.Module):
    r"""A fully connected layer $y = x W^\top + b$, a drop-in for ``torch.nn.Linear``.

    Args:
        in_features: $n_{\mathrm{in}}$, the size of the last input dimension.
        out_features: $n_{\mathrm{out}}$.
        bias: learn an additive bias $b$ (default ``True``).
        device: where to create the parameters.
        dtype: their dtype.

    Example:
        >>> import torch
        >>> from refimpl.nn import Linear
        >>> layer = Linear(3, 2)
        >>> layer(torch.ones(5, 3)).shape
        torch.Size([5, 2])
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        factory = {"device": device, "dtype": dtype}
        self.in_features = in_features
        self.out_features = out_features
        self.weight = torch.nn.Parameter(torch.empty(out_features, in_features, **factory))
        if bias:
            self.bias = torch.nn.Parameter(torch.empty(out_features, **factory))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        r"""Draw $W$ and $b$ from $U[-1/\sqrt{n}, 1/\sqrt{n}]$ (n = ``in_features``), as torch."""
        # kaiming_uniform_ with a = √5: bound = √(2/(1+5)) · √(3/n_in) = 1/√n_in
        kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0
            with torch.no_grad():
                self.bias.uniform_(-bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        r"""$y = x W^\top + b$ for ``input`` of shape ``(..., in_features)``."""
        return linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        """The layer's sizes, as printed by ``repr``."""
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )

    @classmethod
    def from_torch(cls, module: torch.nn.Linear) -> Linear:
        """A `Linear` with a copy of ``module``'s weights (same device and dtype).

        Args:
            module: a ``torch.nn.Linear``.

        Returns:
            The equivalent `Linear`.
        """
        ours = cls(
            module.in_features,
            module.out_features,
            bias=module.bias is not None,
            device=module.weight.device,
            dtype=module.weight.dtype,
        )
        ours.load_state_dict(module.state_dict())
        return ours
