"""Pure update rules and helpers: plain functions on lists of tensors that the classes call.

Each function holds the math of one algorithm, with the equation above the line computing it;
the ``torch.optim.Optimizer`` and ``torch.nn.Module`` classes in ``refimpl.optim`` and
``refimpl.nn`` are thin shells that keep state and call these.
"""

from refimpl.functional.conv import avg_pool2d, conv2d, im2col, max_pool2d, pad2d
from refimpl.functional.sgd import sgd_step, sgd_update

__all__ = [
    "avg_pool2d",
    "conv2d",
    "im2col",
    "max_pool2d",
    "pad2d",
    "sgd_step",
    "sgd_update",
]
