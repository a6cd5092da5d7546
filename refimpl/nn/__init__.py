"""Models and layers: ``torch.nn.Module`` subclasses built from primitive tensor ops."""

from refimpl.nn.conv import AvgPool2d, Conv2d, MaxPool2d

__all__: list[str] = [
    "AvgPool2d",
    "Conv2d",
    "MaxPool2d",
]
