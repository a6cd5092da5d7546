"""Optimizers and schedules: ``torch.optim.Optimizer`` subclasses with torch's interface.

Where torch has the same algorithm, the class name, constructor, defaults, state keys and
trajectory are torch's; the update rule itself lives in ``refimpl.functional``.
"""

from refimpl.optim.kfac import KFAC
from refimpl.optim.natural_gradient import NaturalGradient
from refimpl.optim.newton import DampedNewton, Newton
from refimpl.optim.path_sgd import PathSGD
from refimpl.optim.saddle_free_newton import SaddleFreeNewton
from refimpl.optim.sam import SAM
from refimpl.optim.sgd import SGD
from refimpl.optim.woodfisher import WoodFisher

__all__ = [
    "KFAC",
    "SAM",
    "SGD",
    "DampedNewton",
    "NaturalGradient",
    "Newton",
    "PathSGD",
    "SaddleFreeNewton",
    "WoodFisher",
]
