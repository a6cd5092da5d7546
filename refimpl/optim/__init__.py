"""Optimizers and schedules: ``torch.optim.Optimizer`` subclasses with torch's interface.

Where torch has the same algorithm, the class name, constructor, defaults, state keys and
trajectory are torch's; the update rule itself lives in ``refimpl.functional``.
"""

from refimpl.optim.newton import DampedNewton, Newton
from refimpl.optim.saddle_free_newton import SaddleFreeNewton
from refimpl.optim.sgd import SGD

__all__ = [
    "SGD",
    "DampedNewton",
    "Newton",
    "SaddleFreeNewton",
]
