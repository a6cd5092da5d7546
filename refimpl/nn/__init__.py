"""Models and layers: ``torch.nn.Module`` subclasses built from primitive tensor ops."""

from refimpl.nn.activations import GELU, ReLU, Sigmoid, Softmax, Tanh
from refimpl.nn.deep_linear import DeepLinearNetwork
from refimpl.nn.dropout import Dropout
from refimpl.nn.knn import KNeighborsClassifier
from refimpl.nn.linear import Linear
from refimpl.nn.mlp import MLP
from refimpl.nn.normalization import BatchNorm1d, BatchNorm2d, LayerNorm, WSLinear
from refimpl.nn.polynomial_regression import PolynomialRegression

__all__: list[str] = [
    "GELU",
    "MLP",
    "BatchNorm1d",
    "BatchNorm2d",
    "DeepLinearNetwork",
    "Dropout",
    "KNeighborsClassifier",
    "LayerNorm",
    "Linear",
    "PolynomialRegression",
    "ReLU",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "WSLinear",
]
