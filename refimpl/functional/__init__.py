"""Pure update rules and helpers: plain functions on lists of tensors that the classes call.

Each function holds the math of one algorithm, with the equation above the line computing it;
the ``torch.optim.Optimizer`` and ``torch.nn.Module`` classes in ``refimpl.optim`` and
``refimpl.nn`` are thin shells that keep state and call these.
"""

from refimpl.functional.adadelta import adadelta_step, adadelta_update
from refimpl.functional.adagrad import adagrad_step, adagrad_update
from refimpl.functional.adam import adam_step, adam_update
from refimpl.functional.clipping import clip_by_norm, clip_grad_norm_, total_norm
from refimpl.functional.ema_momentum import ema_momentum_step, ema_momentum_update
from refimpl.functional.losses import accuracy, cross_entropy, l1_loss, mse_loss
from refimpl.functional.powerpropagation import powerprop, powerprop_inverse
from refimpl.functional.rmsprop import rmsprop_step, rmsprop_update
from refimpl.functional.schedules import (
    cosine_lr,
    exponential_lr,
    linear_lr,
    step_lr,
    warmup_cosine_lr,
)
from refimpl.functional.sgd import sgd_step, sgd_update
from refimpl.functional.slide_adam import slide_adam_step, slide_adam_update

__all__ = [
    "accuracy",
    "adadelta_step",
    "adadelta_update",
    "adagrad_step",
    "adagrad_update",
    "adam_step",
    "adam_update",
    "clip_by_norm",
    "clip_grad_norm_",
    "cosine_lr",
    "cross_entropy",
    "ema_momentum_step",
    "ema_momentum_update",
    "exponential_lr",
    "l1_loss",
    "linear_lr",
    "mse_loss",
    "powerprop",
    "powerprop_inverse",
    "rmsprop_step",
    "rmsprop_update",
    "sgd_step",
    "sgd_update",
    "slide_adam_step",
    "slide_adam_update",
    "step_lr",
    "total_norm",
    "warmup_cosine_lr",
]
