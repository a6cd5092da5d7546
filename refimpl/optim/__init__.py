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
from refimpl.optim.kfac import KFAC
from refimpl.optim.lr_scheduler import (
    CosineAnnealingLR,
    ExponentialLR,
    LinearLR,
    StepLR,
    WarmupCosineLR,
)
from refimpl.optim.natural_gradient import NaturalGradient
from refimpl.optim.newton import DampedNewton, Newton
from refimpl.optim.path_sgd import PathSGD
from refimpl.optim.rmsprop import RMSprop
from refimpl.optim.saddle_free_newton import SaddleFreeNewton
from refimpl.optim.sam import SAM
from refimpl.optim.sgd import SGD
from refimpl.optim.slide_adam import SlideAdam, SlideRMSprop
from refimpl.optim.woodfisher import WoodFisher

__all__ = [
    "KFAC",
    "SAM",
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "CosineAnnealingLR",
    "DampedNewton",
    "EMAMomentum",
    "EarlyStopping",
    "ExponentialLR",
    "LinearLR",
    "NaturalGradient",
    "Newton",
    "PathSGD",
    "RMSprop",
    "SaddleFreeNewton",
    "SlideAdam",
    "SlideRMSprop",
    "StepLR",
    "WarmupCosineLR",
    "WoodFisher",
]
