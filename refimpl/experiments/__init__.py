"""Deterministic experiments that return arrays (no plotting); the figures draw their results.

Expensive functions are cached with ``functools.cache``: the build renders every figure twice
(light and dark scheme), and the second render reuses the first one's data.

Modules:
    cliff: the exploding-gradient cliff of a one-unit RNN, with and without clipping.
    attention: positional encodings, the softmax's scale and a one- versus two-head task.
    gtrxl: distance of a gated Transformer block from the identity at initialisation.
    linear_attention: FLOPs and memory of softmax attention, linear attention and RWKV.
    rims: which RIMs modules win the competition, step by step.
    transformers_as_gnns: permutation equivariance and attention as message passing.
    gradient_descent: gradient descent on quadratics, its closed form and the stability limit.
    losses: MSE, MAE, cross-entropy and % correct as curves.
    minibatch: minibatch-gradient noise against batch size, and SGD with several batch sizes.
    momentum: heavy ball, Nesterov and the slides' EMA momentum on ill-conditioned quadratics.
    optimizer_paths: every optimizer's trajectory on a quadratic, Rosenbrock and a saddle.
    regularization: L2 against decoupled weight decay in Adam, and Powerpropagation.
    schedules: learning-rate schedules, and early stopping on an over-parametrised fit.
    natural_gradient: natural gradient against gradient descent under reparametrisation, and
        the Fisher-based optimizers on a small classifier.
    second_order: gradient descent and the Newton family near a saddle point.
    sharpness: SAM against gradient descent, and the sharpness of rescaled minima.
"""

from refimpl.experiments import (
    attention,
    cliff,
    gradient_descent,
    gtrxl,
    linear_attention,
    losses,
    minibatch,
    momentum,
    natural_gradient,
    optimizer_paths,
    regularization,
    rims,
    schedules,
    second_order,
    sharpness,
    transformers_as_gnns,
)
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
from refimpl.experiments.gtrxl import identity_deviation
from refimpl.experiments.linear_attention import attention_costs, counted_flops
from refimpl.experiments.natural_gradient import (
    LossCurve,
    ReparamPath,
    classifier_curves,
    reparametrisation_paths,
)
from refimpl.experiments.rims import rims_activity
from refimpl.experiments.second_order import SaddleRun, saddle_function, saddle_runs
from refimpl.experiments.sharpness import SharpnessRun, rescaled_sharpness, sam_vs_gd
from refimpl.experiments.transformers_as_gnns import (
    equivariance_errors,
    graph_attention_weights,
    graph_edges,
)

__all__ = [
    "HeadsRun",
    "LossCurve",
    "ReparamPath",
    "SaddleRun",
    "SharpnessRun",
    "StabilitySweep",
    "Trajectory",
    "attention",
    "attention_costs",
    "classifier_curves",
    "cliff",
    "closed_form_trajectory",
    "contraction_factor",
    "counted_flops",
    "equivariance_errors",
    "gd_trajectory",
    "gradient_descent",
    "graph_attention_weights",
    "graph_edges",
    "gtrxl",
    "identity_deviation",
    "linear_attention",
    "losses",
    "minibatch",
    "momentum",
    "natural_gradient",
    "optimal_rate",
    "optimal_step_size",
    "optimizer_paths",
    "positional_similarity",
    "regularization",
    "reparametrisation_paths",
    "rescaled_sharpness",
    "rims",
    "rims_activity",
    "saddle_function",
    "saddle_runs",
    "sam_vs_gd",
    "schedules",
    "second_order",
    "sharpness",
    "softmax_entropy",
    "stability_sweep",
    "step_size_trajectories",
    "transformers_as_gnns",
    "two_offset_copy",
]
