r"""Squeeze-and-excitation and the bilinear layer: two multiplicative interactions.

A squeeze-and-excitation block (Hu et al.) re-weights the channels of a feature map $u$ by gates
computed from the map itself,

$$
z_c = \frac{1}{HW}\sum_{i,j} u_{c,i,j},\qquad s = \sigma\big(W_2\,\mathrm{ReLU}(W_1 z)\big),
\qquad \tilde u_{c,i,j} = s_c\, u_{c,i,j},
$$

so the output is a *product* of two functions of the input. A bilinear layer multiplies two
inputs through a three-way tensor, $y_k = x_1^\top A_k\, x_2 + b_k$, the simplest
multiplicative interaction of Jayakumar et al. Reading list: ``hu2018se``,
``jayakumar2020mi``.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from refimpl.functional.conv import avg_pool2d
from refimpl.functional.multiplicative import multiplicative_interaction
from refimpl.nn.conv import Conv2d

__all__ = ["Bilinear", "SqueezeExcitation"]


class SqueezeExcitation(torch.nn.Module):
    """Channel gating with the arguments and `state_dict` keys of torchvision's `SqueezeExcitation`.

    Args:
        input_channels: channels $C$ of the feature map.
        squeeze_channels: width of the bottleneck ($C/r$ for a reduction ratio $r$).
    """

    def __init__(self, input_channels: int, squeeze_channels: int) -> None:
        super().__init__()
        self.fc1 = Conv2d(input_channels, squeeze_channels, 1)  # W₁ (a 1×1 convolution)
        self.fc2 = Conv2d(squeeze_channels, input_channels, 1)  # W₂

    # --8<-- [start:se]
    def forward(self, input: Tensor) -> Tensor:
        """Gates the channels of `(B, C, H, W)` features; the output has the same shape."""
        # squeeze: z_c = mean over positions of u_c
        z = avg_pool2d(input, tuple(input.shape[-2:]), (1, 1))  # (B, C, 1, 1)
        # excitation: s = σ(W₂ ReLU(W₁ z))
        s = torch.sigmoid(self.fc2(torch.relu(self.fc1(z))))  # (B, C, 1, 1)
        # scale: ũ_c = s_c u_c
        return s * input

    # --8<-- [end:se]

    @classmethod
    def from_torch(cls, module: torch.nn.Module) -> SqueezeExcitation:
        """A copy of a `torchvision.ops.SqueezeExcitation` (ReLU and sigmoid) with its weights."""
        ours = cls(module.fc1.in_channels, module.fc1.out_channels)
        ours = ours.to(device=module.fc1.weight.device, dtype=module.fc1.weight.dtype)
        ours.load_state_dict(module.state_dict())
        return ours

    def gates(self, input: Tensor) -> Tensor:
        """The gates $s$ `(B, C)` for `(B, C, H, W)` features."""
        z = avg_pool2d(input, tuple(input.shape[-2:]), (1, 1))
        return torch.sigmoid(self.fc2(torch.relu(self.fc1(z))))[:, :, 0, 0]


class Bilinear(torch.nn.Module):
    """$y = x_1^\\top A\\, x_2 + b$, matching `torch.nn.Bilinear`.

    Args:
        in1_features: size of $x_1$.
        in2_features: size of $x_2$.
        out_features: size of $y$.
        bias: learn $b$ (default ``True``).
        device: where to create the parameters.
        dtype: their dtype.
    """

    def __init__(
        self,
        in1_features: int,
        in2_features: int,
        out_features: int,
        bias: bool = True,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        factory = {"device": device, "dtype": dtype}
        bound = 1.0 / math.sqrt(in1_features)  # torch's default initialisation
        self.weight = torch.nn.Parameter(
            torch.empty(out_features, in1_features, in2_features, **factory).uniform_(-bound, bound)
        )
        self.bias = (
            torch.nn.Parameter(torch.empty(out_features, **factory).uniform_(-bound, bound))
            if bias
            else None
        )
        self.in1_features, self.in2_features, self.out_features = (
            in1_features,
            in2_features,
            out_features,
        )

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        """`(..., in1)` and `(..., in2)` to `(..., out)`."""
        # y_k = Σ_{i,j} x1_i A_{k,i,j} x2_j + b_k: the multiplicative interaction with context
        # z = x1 acting on x = x2 and no additive terms (U = V = 0)
        return multiplicative_interaction(input2, input1, self.weight, bias=self.bias)

    @classmethod
    def from_torch(cls, module: torch.nn.Bilinear) -> Bilinear:
        """A copy of a `torch.nn.Bilinear` with the same weights."""
        ours = cls(
            module.in1_features,
            module.in2_features,
            module.out_features,
            module.bias is not None,
            device=module.weight.device,
            dtype=module.weight.dtype,
        )
        ours.load_state_dict(module.state_dict())
        return ours
