r"""Residual blocks, a small ResNet and a U-Net, built from ``refimpl.nn.Conv2d``.

A residual block adds a learned correction to an identity path (He et al.); here in the
pre-activation form, where nothing follows the addition,

$$
y = x + F(x), \qquad F(x) = W_2 * \mathrm{ReLU}\big(W_1 * \mathrm{ReLU}(x)\big),
$$

so a block whose last convolution is zero is exactly the identity, and the gradient reaches
early layers through the sum, $\partial y/\partial x = I + \partial F/\partial x$. A U-Net
(Ronneberger et al.) is an encoder-decoder whose decoder concatenates the encoder's feature
map of the same resolution (a skip connection) before each stage. Reading list:
``he2016resnet``, ``ronneberger2015``.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from refimpl.functional.conv import max_pool2d
from refimpl.nn.conv import Conv2d

__all__ = ["ResNet", "ResidualBlock", "UNet"]


# --8<-- [start:block]
class ResidualBlock(torch.nn.Module):
    """A pre-activation residual block, $y = P x + F(x)$, with two 3×3 convolutions in $F$.

    Args:
        in_channels: input channels.
        out_channels: output channels.
        stride: stride of the first convolution (2 halves the resolution).
        residual: keep the skip path; ``False`` gives the plain block $y = F(x)$ for comparison.
    """

    def __init__(
        self, in_channels: int, out_channels: int, stride: int = 1, residual: bool = True
    ) -> None:
        super().__init__()
        self.conv1 = Conv2d(in_channels, out_channels, 3, stride=stride, padding=1)
        self.conv2 = Conv2d(out_channels, out_channels, 3, padding=1)
        needs_projection = residual and (stride != 1 or in_channels != out_channels)
        # P: a strided 1×1 convolution where the shapes differ, the identity otherwise
        self.projection = (
            Conv2d(in_channels, out_channels, 1, stride=stride, bias=False)
            if needs_projection
            else None
        )
        self.residual = residual

    def forward(self, x: Tensor) -> Tensor:
        """Maps `(B, C_in, H, W)` to `(B, C_out, H / stride, W / stride)`."""
        # F(x) = W₂ * ReLU(W₁ * ReLU(x))
        branch = self.conv2(torch.relu(self.conv1(torch.relu(x))))
        if not self.residual:
            return branch
        skip = x if self.projection is None else self.projection(x)
        # y = P x + F(x)
        return skip + branch


# --8<-- [end:block]


class ResNet(torch.nn.Module):
    """A small residual network for image classification.

    A 3×3 stem convolution, then stages of residual blocks (the first block of every stage after
    the first halves the resolution and changes the width), a global average pool and a linear
    classifier.

    Args:
        in_channels: image channels.
        num_classes: number of output logits.
        widths: channels of each stage.
        blocks_per_stage: residual blocks per stage.
        residual: use skip paths (``False`` gives the same network without them).
    """

    def __init__(
        self,
        in_channels: int = 3,
        num_classes: int = 10,
        widths: tuple[int, ...] = (16, 32),
        blocks_per_stage: int = 2,
        residual: bool = True,
    ) -> None:
        super().__init__()
        self.stem = Conv2d(in_channels, widths[0], 3, padding=1)
        blocks = []
        for stage, width in enumerate(widths):
            for k in range(blocks_per_stage):
                first = k == 0 and stage > 0
                in_width = widths[stage - 1] if first else width
                blocks.append(ResidualBlock(in_width, width, 2 if first else 1, residual))
        self.blocks = torch.nn.ModuleList(blocks)
        bound = 1.0 / math.sqrt(widths[-1])
        self.fc_weight = torch.nn.Parameter(
            torch.empty(widths[-1], num_classes).uniform_(-bound, bound)
        )
        self.fc_bias = torch.nn.Parameter(torch.empty(num_classes).uniform_(-bound, bound))

    def forward(self, x: Tensor) -> Tensor:
        """Logits `(B, num_classes)` for images `(B, C, H, W)`."""
        h = self.stem(x)
        for block in self.blocks:
            h = block(h)
        h = torch.relu(h).mean(dim=(2, 3))  # global average pool: (B, C)
        return h @ self.fc_weight + self.fc_bias


class _DoubleConv(torch.nn.Module):
    """Two 3×3 convolutions with ReLUs, resolution kept (padding 1)."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.conv1 = Conv2d(in_channels, out_channels, 3, padding=1)
        self.conv2 = Conv2d(out_channels, out_channels, 3, padding=1)

    def forward(self, x: Tensor) -> Tensor:
        return torch.relu(self.conv2(torch.relu(self.conv1(x))))


class UNet(torch.nn.Module):
    """A U-Net: a convolutional encoder, a decoder, and skip connections between matching levels.

    Each encoder level applies two 3×3 convolutions and halves the resolution with 2×2 max
    pooling; each decoder level doubles the resolution (nearest-neighbour upsampling and a 3×3
    convolution), concatenates the encoder's map of the same size and applies two convolutions.
    Padded convolutions keep the output the size of the input (the original crops instead).

    Args:
        in_channels: input channels.
        out_channels: output channels (per-pixel predictions).
        base_channels: channels of the first level; each level below doubles them.
        depth: number of down-sampling steps; height and width must be multiples of
            $2^\\text{depth}$.
    """

    def __init__(
        self, in_channels: int = 1, out_channels: int = 1, base_channels: int = 8, depth: int = 2
    ) -> None:
        super().__init__()
        widths = [base_channels * 2**k for k in range(depth + 1)]
        self.down = torch.nn.ModuleList(
            [
                _DoubleConv(in_channels if k == 0 else widths[k - 1], widths[k])
                for k in range(depth + 1)
            ]
        )
        self.up_convs = torch.nn.ModuleList(
            [Conv2d(widths[k + 1], widths[k], 3, padding=1) for k in range(depth)]
        )
        self.up = torch.nn.ModuleList([_DoubleConv(2 * widths[k], widths[k]) for k in range(depth)])
        self.head = Conv2d(widths[0], out_channels, 1)

    # --8<-- [start:unet]
    def forward(self, x: Tensor) -> Tensor:
        """Per-pixel outputs `(B, out_channels, H, W)` for inputs `(B, in_channels, H, W)`."""
        skips = []
        for k, level in enumerate(self.down):
            if k > 0:
                x = max_pool2d(x, (2, 2), (2, 2))  # halve the resolution
            x = level(x)
            skips.append(x)
        for k in reversed(range(len(self.up))):
            x = x.repeat_interleave(2, dim=2).repeat_interleave(2, dim=3)  # (B, C, 2H, 2W)
            x = self.up_convs[k](x)
            x = self.up[k](torch.cat([skips[k], x], dim=1))  # the skip connection
        return self.head(x)

    # --8<-- [end:unet]
