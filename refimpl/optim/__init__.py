"""Optimizers and schedules: ``torch.optim.Optimizer`` subclasses with torch's interface.

Where torch has the same algorithm, the class name, constructor, defaults, state keys and
trajectory are torch's; the update rule itself lives in ``refimpl.functional``.
"""

from refimpl.optim.adadelta import Adadelta
from refimpl.optim.adagrad import Adagrad
from refimpl.optim.adam import Adam
from refimpl.optim.adamw import AdamW
from refimpl.optim.early_stopping import EarlyStopping
from refimpl.optim.ema_momentum import EMAMomentum
from refimpl.optim.lr_scheduler import (
    CosineAnnealingLR,
    ExponentialLR,
    LinearLR,
    StepLR,
    WarmupCosineLR,
)
from refimpl.optim.rmsprop import RMSprop
from refimpl.optim.sgd import SGD
from refimpl.optim.slide_adam import SlideAdam, SlideRMSprop

__all__ = [
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "CosineAnnealingLR",
    "EMAMomentum",
    "EarlyStopping",
    "ExponentialLR",
    "LinearLR",
    "RMSprop",
    "SlideAdam",
    "SlideRMSprop",
    "StepLR",
    "WarmupCosineLR",
]
