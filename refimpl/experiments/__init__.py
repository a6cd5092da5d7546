"""Deterministic experiments that return arrays (no plotting); the figures draw their results.

Expensive functions are cached with ``functools.cache``: the build renders every figure twice
(light and dark scheme), and the second render reuses the first one's data.

Modules:
    gradient_descent: gradient descent on quadratics, its closed form and the stability limit.
    natural_gradient: natural gradient against gradient descent under reparametrisation, and
        the Fisher-based optimizers on a small classifier.
    second_order: gradient descent and the Newton family near a saddle point.
    sharpness: SAM against gradient descent, and the sharpness of rescaled minima.
"""

from refimpl.experiments import gradient_descent, natural_gradient, second_order, sharpness
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
from refimpl.experiments.natural_gradient import (
    LossCurve,
    ReparamPath,
    classifier_curves,
    reparametrisation_paths,
)
from refimpl.experiments.second_order import SaddleRun, saddle_function, saddle_runs
from refimpl.experiments.sharpness import SharpnessRun, rescaled_sharpness, sam_vs_gd

__all__ = [
    "LossCurve",
    "ReparamPath",
    "SaddleRun",
    "SharpnessRun",
    "StabilitySweep",
    "Trajectory",
    "classifier_curves",
    "closed_form_trajectory",
    "contraction_factor",
    "gd_trajectory",
    "gradient_descent",
    "natural_gradient",
    "optimal_rate",
    "optimal_step_size",
    "reparametrisation_paths",
    "rescaled_sharpness",
    "saddle_function",
    "saddle_runs",
    "sam_vs_gd",
    "second_order",
    "sharpness",
    "stability_sweep",
    "step_size_trajectories",
]
