"""Deterministic experiments that return arrays (no plotting); the figures draw their results.

Expensive functions are cached with ``functools.cache``: the build renders every figure twice
(light and dark scheme), and the second render reuses the first one's data.

Modules:
    cliff: the exploding-gradient cliff of a one-unit RNN, with and without clipping.
    gradient_descent: gradient descent on quadratics, its closed form and the stability limit.
    losses: MSE, MAE, cross-entropy and % correct as curves.
    minibatch: minibatch-gradient noise against batch size, and SGD with several batch sizes.
    momentum: heavy ball, Nesterov and the slides' EMA momentum on ill-conditioned quadratics.
    optimizer_paths: every optimizer's trajectory on a quadratic, Rosenbrock and a saddle.
    regularization: L2 against decoupled weight decay in Adam, and Powerpropagation.
    schedules: learning-rate schedules, and early stopping on an over-parametrised fit.
"""

from refimpl.experiments import (
    cliff,
    gradient_descent,
    losses,
    minibatch,
    momentum,
    optimizer_paths,
    regularization,
    schedules,
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
    "cliff",
    "closed_form_trajectory",
    "contraction_factor",
    "gd_trajectory",
    "gradient_descent",
    "losses",
    "minibatch",
    "momentum",
    "optimal_rate",
    "optimal_step_size",
    "optimizer_paths",
    "regularization",
    "schedules",
    "stability_sweep",
    "step_size_trajectories",
]
