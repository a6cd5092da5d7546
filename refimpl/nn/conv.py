r"""``Conv2d``, ``MaxPool2d`` and ``AvgPool2d``: drop-in replacements for their torch.nn namesakes.

The layers keep torch's constructor arguments, defaults and ``state_dict`` keys; the arithmetic
is ``refimpl.functional.conv``: im2col with ``Tensor.unfold`` and one matrix product,

$$
y_{o,i,j} = b_o + \sum_{c,p,q} w_{o,c,p,q}\, x_{c,\, s_h i + d_h p,\, s_w j + d_w q}.
$$

Reading list: ``goodfellow2016`` (chapter 9), ``zeiler2013``, ``lee2009cdbn``.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from refimpl.functional.conv import avg_pool2d, conv2d, max_pool2d, pair

__all__ = ["AvgPool2d", "Conv2d", "MaxPool2d"]

IntPair = int | tuple[int, int]


class Conv2d(torch.nn.Module):
    """A 2-D convolution over `(B, C_in, H, W)` inputs, matching `torch.nn.Conv2d`.

    Args:
        in_channels: input channels $C_\\text{in}$.
        out_channels: output channels $C_\\text{out}$.
        kernel_size: kernel height and width.
        stride: step between windows (default 1).
        padding: rows/columns added on each side, or ``"valid"`` (none) or ``"same"`` (output as
            large as the input; stride 1 only, extra padding on the bottom/right as in torch).
        dilation: spacing between kernel taps (default 1).
        groups: channel groups; both channel counts must be divisible by it (default 1).
        bias: learn an additive bias per output channel (default ``True``).
        padding_mode: ``"zeros"``, ``"reflect"``, ``"replicate"`` or ``"circular"``.
        device: where to create the parameters.
        dtype: their dtype.

    Shape:
        `(B, C_in, H, W)` to `(B, C_out, H_out, W_out)` with
        $H_\\text{out} = \\lfloor (H + 2p - d(k-1) - 1)/s \\rfloor + 1$.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntPair,
        stride: IntPair = 1,
        padding: IntPair | str = 0,
        dilation: IntPair = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        if in_channels % groups or out_channels % groups:
            raise ValueError("in_channels and out_channels must be divisible by groups")
        if padding_mode not in ("zeros", "reflect", "replicate", "circular"):
            raise ValueError(f"unknown padding_mode {padding_mode!r}")
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size, self.stride, self.dilation = (
            pair(kernel_size),
            pair(stride),
            pair(dilation),
        )
        self.padding = padding if isinstance(padding, str) else pair(padding)
        if self.padding == "same" and self.stride != (1, 1):
            raise ValueError("padding='same' needs stride 1")
        self.padding_mode = padding_mode
        kh, kw = self.kernel_size
        factory = {"device": device, "dtype": dtype}
        self.weight = torch.nn.Parameter(
            torch.empty(out_channels, in_channels // groups, kh, kw, **factory)
        )
        self.bias = torch.nn.Parameter(torch.empty(out_channels, **factory)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """torch's default: every weight and bias uniform in $\\pm 1/\\sqrt{\\text{fan-in}}$."""
        fan_in = self.weight[0].numel()
        bound = 1.0 / math.sqrt(fan_in)
        with torch.no_grad():
            self.weight.uniform_(-bound, bound)
            if self.bias is not None:
                self.bias.uniform_(-bound, bound)

    def _padding(self) -> tuple[int, int, int, int]:
        """`(top, bottom, left, right)` from the ``padding`` argument."""
        if self.padding == "valid":
            return (0, 0, 0, 0)
        if self.padding == "same":
            (kh, kw), (dh, dw) = self.kernel_size, self.dilation
            th, tw = dh * (kh - 1), dw * (kw - 1)
            return (th // 2, th - th // 2, tw // 2, tw - tw // 2)
        ph, pw = self.padding
        return (ph, ph, pw, pw)

    def forward(self, input: Tensor) -> Tensor:
        """Convolves a `(B, C_in, H, W)` batch (or one `(C_in, H, W)` image)."""
        unbatched = input.dim() == 3
        x = input[None] if unbatched else input
        y = conv2d(
            x,
            self.weight,
            self.bias,
            self.stride,
            self._padding(),
            self.dilation,
            self.groups,
            self.padding_mode,
        )
        return y[0] if unbatched else y

    @classmethod
    def from_torch(cls, module: torch.nn.Conv2d) -> Conv2d:
        """A copy of a `torch.nn.Conv2d` with the same configuration and weights."""
        ours = cls(
            module.in_channels,
            module.out_channels,
            module.kernel_size,
            module.stride,
            module.padding,
            module.dilation,
            module.groups,
            module.bias is not None,
            module.padding_mode,
            device=module.weight.device,
            dtype=module.weight.dtype,
        )
        ours.load_state_dict(module.state_dict())
        return ours

    def extra_repr(self) -> str:
        return (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, padding={self.padding}, groups={self.groups}"
        )


class _Pool2d(torch.nn.Module):
    """Shared argument handling of the two pooling layers."""

    def __init__(
        self, kernel_size: IntPair, stride: IntPair | None, padding: IntPair, ceil_mode: bool
    ) -> None:
        super().__init__()
        if ceil_mode:
            raise ValueError("ceil_mode=True is not supported; pad the input instead")
        self.kernel_size = pair(kernel_size)
        self.stride = self.kernel_size if stride is None else pair(stride)
        self.padding = pair(padding)
        self.ceil_mode = ceil_mode

    @staticmethod
    def _batched(input: Tensor) -> tuple[Tensor, bool]:
        return (input[None], True) if input.dim() == 3 else (input, False)


class MaxPool2d(_Pool2d):
    """Maximum over sliding windows, matching `torch.nn.MaxPool2d` (without ``ceil_mode``).

    Args:
        kernel_size: window height and width.
        stride: step between windows (default: the kernel size).
        padding: implicit $-\\infty$ rows/columns on each side (default 0).
        dilation: spacing between window taps (default 1).
        return_indices: must be ``False`` (argmax indices are not computed here).
        ceil_mode: must be ``False``.
    """

    def __init__(
        self,
        kernel_size: IntPair,
        stride: IntPair | None = None,
        padding: IntPair = 0,
        dilation: IntPair = 1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__(kernel_size, stride, padding, ceil_mode)
        if return_indices:
            raise ValueError("return_indices=True is not supported")
        self.dilation = pair(dilation)
        self.return_indices = return_indices

    def forward(self, input: Tensor) -> Tensor:
        """Pools a `(B, C, H, W)` batch or a `(C, H, W)` image."""
        x, unbatched = self._batched(input)
        y = max_pool2d(x, self.kernel_size, self.stride, self.padding, self.dilation)
        return y[0] if unbatched else y

    @classmethod
    def from_torch(cls, module: torch.nn.MaxPool2d) -> MaxPool2d:
        """The same pooling as a `torch.nn.MaxPool2d`."""
        return cls(
            module.kernel_size,
            module.stride,
            module.padding,
            module.dilation,
            module.return_indices,
        )


class AvgPool2d(_Pool2d):
    """Mean over sliding windows, matching `torch.nn.AvgPool2d` (without ``ceil_mode``).

    Args:
        kernel_size: window height and width.
        stride: step between windows (default: the kernel size).
        padding: zero rows/columns on each side (default 0).
        ceil_mode: must be ``False``.
        count_include_pad: count the padding zeros in the divisor (default ``True``).
        divisor_override: divide by this number instead of the window size.
    """

    def __init__(
        self,
        kernel_size: IntPair,
        stride: IntPair | None = None,
        padding: IntPair = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override: int | None = None,
    ) -> None:
        super().__init__(kernel_size, stride, padding, ceil_mode)
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input: Tensor) -> Tensor:
        """Pools a `(B, C, H, W)` batch or a `(C, H, W)` image."""
        x, unbatched = self._batched(input)
        y = avg_pool2d(
            x,
            self.kernel_size,
            self.stride,
            self.padding,
            self.count_include_pad,
            self.divisor_override,
        )
        return y[0] if unbatched else y

    @classmethod
    def from_torch(cls, module: torch.nn.AvgPool2d) -> AvgPool2d:
        """The same pooling as a `torch.nn.AvgPool2d`."""
        return cls(
            module.kernel_size,
            module.stride,
            module.padding,
            module.ceil_mode,
            module.count_include_pad,
            module.divisor_override,
        )
