"""Models and layers: ``torch.nn.Module`` subclasses built from primitive tensor ops."""

from refimpl.nn.conv import AvgPool2d, Conv2d, MaxPool2d
from refimpl.nn.graph_network import GraphNetwork, segment_sum

__all__: list[str] = [
    "AvgPool2d",
    "Conv2d",
    "GraphNetwork",
    "MaxPool2d",
    "segment_sum",
]
