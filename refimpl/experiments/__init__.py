"""Deterministic experiments that return arrays (no plotting); the figures draw their results.

Expensive functions are cached with ``functools.cache``: the build renders every figure twice
(light and dark scheme), and the second render reuses the first one's data.

Modules:
    attention: positional encodings, the softmax's scale and a one- versus two-head task.
    gradient_descent: gradient descent on quadratics, its closed form and the stability limit.
"""

from refimpl.experiments import attention, gradient_descent
from refimpl.experiments.attention import (
    HeadsRun,
    positional_similarity,
    softmax_entropy,
    two_offset_copy,
)
from refimpl.experiments.gradient_descent import (
    StabilitySweep,
    Trajectory,
    closed_form_trajectory,
    contraction_factor,
    gd_trajectory,
    optimal_rate,
    optimal_step_size,
    stability_sweep,
    step_size_trajectories,
)

__all__ = [
    "HeadsRun",
    "StabilitySweep",
    "Trajectory",
    "attention",
    "closed_form_trajectory",
    "contraction_factor",
    "gd_trajectory",
    "gradient_descent",
    "optimal_rate",
    "optimal_step_size",
    "positional_similarity",
    "softmax_entropy",
    "stability_sweep",
    "step_size_trajectories",
    "two_offset_copy",
]
