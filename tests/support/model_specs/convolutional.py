"""Convolutional, residual and multiplicative layers in the shared model contract."""

from __future__ import annotations

import torch

from model_specs.spec import ModelSpec
from refimpl import nn


def images(channels: int, size: int = 9, batch: int = 2, requires_grad: bool = False):
    """Random `(batch, channels, size, size + 1)` images (layers without parameters need
    ``requires_grad`` for the contract's backward pass)."""

    def make(dtype: torch.dtype, device: torch.device) -> tuple:
        x = torch.randn(batch, channels, size, size + 1, dtype=dtype, device=device)
        return (x.requires_grad_(requires_grad),)

    return make


CONV_CONFIGS = {
    "conv2d-plain": dict(in_channels=3, out_channels=4, kernel_size=3),
    "conv2d-stride-pad": dict(
        in_channels=3, out_channels=5, kernel_size=(3, 2), stride=(2, 1), padding=(1, 2)
    ),
    "conv2d-dilation-groups": dict(
        in_channels=4, out_channels=6, kernel_size=3, dilation=2, groups=2, bias=False
    ),
    "conv2d-same-circular": dict(
        in_channels=2, out_channels=3, kernel_size=4, padding="same", padding_mode="circular"
    ),
    "conv2d-reflect": dict(
        in_channels=2, out_channels=2, kernel_size=3, padding=1, padding_mode="reflect"
    ),
    "conv2d-replicate-depthwise": dict(
        in_channels=3, out_channels=6, kernel_size=3, padding=2, padding_mode="replicate", groups=3
    ),
}


def conv_spec(name: str, config: dict) -> ModelSpec:
    return ModelSpec(
        id=name,
        build=lambda: nn.Conv2d(**config),
        inputs=images(config["in_channels"]),
        torch_counterpart=lambda: torch.nn.Conv2d(**config),
    )


POOL_CONFIGS = {
    "maxpool2d": (nn.MaxPool2d, torch.nn.MaxPool2d, dict(kernel_size=2)),
    "maxpool2d-pad-dilation": (
        nn.MaxPool2d,
        torch.nn.MaxPool2d,
        dict(kernel_size=3, stride=2, padding=1, dilation=2),
    ),
    "avgpool2d": (nn.AvgPool2d, torch.nn.AvgPool2d, dict(kernel_size=(2, 3), stride=1)),
    "avgpool2d-pad-exclude": (
        nn.AvgPool2d,
        torch.nn.AvgPool2d,
        dict(kernel_size=3, stride=2, padding=1, count_include_pad=False),
    ),
    "avgpool2d-divisor": (
        nn.AvgPool2d,
        torch.nn.AvgPool2d,
        dict(kernel_size=2, padding=1, divisor_override=3),
    ),
}


def pool_spec(name: str, ours: type, theirs: type, config: dict) -> ModelSpec:
    return ModelSpec(
        id=name,
        build=lambda: ours(**config),
        inputs=images(3, requires_grad=True),
        torch_counterpart=lambda: theirs(**config),
    )


def two_vectors(dtype: torch.dtype, device: torch.device) -> tuple:
    return (
        torch.randn(4, 3, dtype=dtype, device=device),
        torch.randn(4, 5, dtype=dtype, device=device),
    )


class TorchSqueezeExcitation(torch.nn.Module):
    """torchvision.ops.SqueezeExcitation written with torch.nn layers (torchvision is not a
    dependency): same submodule names, so the same state_dict keys."""

    def __init__(self, input_channels: int, squeeze_channels: int) -> None:
        super().__init__()
        self.avgpool = torch.nn.AdaptiveAvgPool2d(1)
        self.fc1 = torch.nn.Conv2d(input_channels, squeeze_channels, 1)
        self.fc2 = torch.nn.Conv2d(squeeze_channels, input_channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = torch.sigmoid(self.fc2(torch.relu(self.fc1(self.avgpool(x)))))
        return s * x


SPECS = (
    [conv_spec(n, c) for n, c in CONV_CONFIGS.items()]
    + [pool_spec(n, *args) for n, args in POOL_CONFIGS.items()]
    + [
        ModelSpec(
            id="bilinear",
            build=lambda: nn.Bilinear(3, 5, 4),
            inputs=two_vectors,
            torch_counterpart=lambda: torch.nn.Bilinear(3, 5, 4),
        ),
        ModelSpec(
            id="bilinear-no-bias",
            build=lambda: nn.Bilinear(3, 5, 2, bias=False),
            inputs=two_vectors,
        ),
        ModelSpec(
            id="squeeze-excitation", build=lambda: nn.SqueezeExcitation(6, 2), inputs=images(6)
        ),
        ModelSpec(id="residual-block", build=lambda: nn.ResidualBlock(3, 3), inputs=images(3)),
        ModelSpec(
            id="residual-block-stride",
            build=lambda: nn.ResidualBlock(3, 5, stride=2),
            inputs=images(3),
        ),
        ModelSpec(id="resnet", build=lambda: nn.ResNet(3, 4, (4, 8), 1), inputs=images(3, size=8)),
        ModelSpec(
            id="unet",
            build=lambda: nn.UNet(2, 3, 4, 2),
            inputs=lambda d, dev: (torch.randn(2, 2, 8, 12, dtype=d, device=dev),),
        ),
    ]
)
