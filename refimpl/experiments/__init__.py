"""Deterministic experiments that return arrays (no plotting); the figures draw their results.

Expensive functions are cached with ``functools.cache``: the build renders every figure twice
(light and dark scheme), and the second render reuses the first one's data.

Modules:
    choosing: tuned gradient descent, momentum and Adam on three small problems.
    flatness: the sharpness of SGD, GD and SAM solutions, and its change under rescaling.
    gradient_descent: gradient descent on quadratics, its closed form and the stability limit.
    regularisation: early stopping, an L2 penalty and dropout on an over-fitted regression.
    troubleshooting: six training failures on tiny networks, with their diagnostics and fixes.
"""

from refimpl.experiments import (
    choosing,
    flatness,
    gradient_descent,
    regularisation,
    troubleshooting,
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
    "StabilitySweep",
    "Trajectory",
    "choosing",
    "closed_form_trajectory",
    "contraction_factor",
    "flatness",
    "gd_trajectory",
    "gradient_descent",
    "optimal_rate",
    "optimal_step_size",
    "regularisation",
    "stability_sweep",
    "step_size_trajectories",
    "troubleshooting",
]
