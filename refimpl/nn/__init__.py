"""Models and layers: ``torch.nn.Module`` subclasses built from primitive tensor ops."""

from refimpl.nn.activations import GELU, ReLU, Sigmoid, Softmax, Tanh
from refimpl.nn.linear import Linear
from refimpl.nn.mlp import MLP

__all__: list[str] = [
    "GELU",
    "MLP",
    "Linear",
    "ReLU",
    "Sigmoid",
    "Softmax",
    "Tanh",
]
