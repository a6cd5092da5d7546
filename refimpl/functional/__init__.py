"""Pure update rules and helpers: plain functions on lists of tensors that the classes call.

Each function holds the math of one algorithm, with the equation above the line computing it;
the ``torch.optim.Optimizer`` and ``torch.nn.Module`` classes in ``refimpl.optim`` and
``refimpl.nn`` are thin shells that keep state and call these.
"""

from refimpl.functional.second_order import (
    damped_newton_direction,
    flat_gradient_and_hessian,
    newton_direction,
    saddle_free_newton_direction,
)
from refimpl.functional.sgd import sgd_step, sgd_update

__all__ = [
    "damped_newton_direction",
    "flat_gradient_and_hessian",
    "newton_direction",
    "saddle_free_newton_direction",
    "sgd_step",
    "sgd_update",
]
