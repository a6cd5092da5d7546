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
from refimpl.functional.sgd import sgd_step, sgd_update

__all__ = [
    "ForwardCache",
    "calculate_gain",
    "fan_in_and_fan_out",
    "gelu",
    "kaiming_normal_",
    "kaiming_uniform_",
    "linear",
    "mlp_backward",
    "mlp_forward",
    "orthogonal_",
    "relu",
    "relu_derivative",
    "sgd_step",
    "sgd_update",
    "sigmoid",
    "sigmoid_derivative",
    "softmax",
    "tanh",
    "tanh_derivative",
    "xavier_normal_",
    "xavier_uniform_",
]
