"""Deterministic experiments that return arrays (no plotting); the figures draw their results.

Expensive functions are cached with ``functools.cache``: the build renders every figure twice
(light and dark scheme), and the second render reuses the first one's data.

Modules:
    gradient_descent: gradient descent on quadratics, its closed form and the stability limit.
    echo_state: memory and forgetting of echo-state reservoirs against the spectral radius.
    gated_memory: the adding problem for the RNN, LSTM and GRU, and the trained LSTM's gates.
    recurrent_depth: input sensitivity of shallow, stacked and deep-transition RNNs.
    recurrent_gradients: Jacobian norms through time, truncated BPTT, BPTT and RTRL costs.
    ssm_lru: discretised SSM eigenvalues, LRU ring initialisation and the effect of gamma.
"""

from refimpl.experiments import (
    echo_state,
    gated_memory,
    gradient_descent,
    recurrent_depth,
    recurrent_gradients,
    ssm_lru,
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
    "closed_form_trajectory",
    "contraction_factor",
    "echo_state",
    "gated_memory",
    "gd_trajectory",
    "gradient_descent",
    "optimal_rate",
    "optimal_step_size",
    "recurrent_depth",
    "recurrent_gradients",
    "ssm_lru",
    "stability_sweep",
    "step_size_trajectories",
]
