"""Pure update rules and helpers: plain functions on lists of tensors that the classes call.

Each function holds the math of one algorithm, with the equation above the line computing it;
the ``torch.optim.Optimizer`` and ``torch.nn.Module`` classes in ``refimpl.optim`` and
``refimpl.nn`` are thin shells that keep state and call these.
"""

from refimpl.functional.activations import (
    gelu,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    softmax,
    tanh,
    tanh_derivative,
)
from refimpl.functional.affine import linear
from refimpl.functional.backprop import ForwardCache, mlp_backward, mlp_forward
from refimpl.functional.init import (
    calculate_gain,
    fan_in_and_fan_out,
    kaiming_normal_,
    kaiming_uniform_,
    orthogonal_,
    xavier_normal_,
    xavier_uniform_,
)
from refimpl.functional.losses import cross_entropy, huber_loss, l1_loss, mse_loss
from refimpl.functional.normalization import batch_norm, layer_norm, standardize_weight
from refimpl.functional.regression import least_squares, least_squares_gd, polynomial_features
from refimpl.functional.sgd import sgd_step, sgd_update

__all__ = [
    "ForwardCache",
    "batch_norm",
    "calculate_gain",
    "cross_entropy",
    "fan_in_and_fan_out",
    "gelu",
    "huber_loss",
    "kaiming_normal_",
    "kaiming_uniform_",
    "l1_loss",
    "layer_norm",
    "least_squares",
    "least_squares_gd",
    "linear",
    "mlp_backward",
    "mlp_forward",
    "mse_loss",
    "orthogonal_",
    "polynomial_features",
    "relu",
    "relu_derivative",
    "sgd_step",
    "sgd_update",
    "sigmoid",
    "sigmoid_derivative",
    "softmax",
    "standardize_weight",
    "tanh",
    "tanh_derivative",
    "xavier_normal_",
    "xavier_uniform_",
]
