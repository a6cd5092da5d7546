"""Deterministic experiments that return arrays (no plotting); the figures draw their results.

Expensive functions are cached with ``functools.cache``: the build renders every figure twice
(light and dark scheme), and the second render reuses the first one's data.

Modules:
    gradient_descent: gradient descent on quadratics, its closed form and the stability limit.
    hopfield: binary recall and continuous dynamics with symmetric and non-symmetric weights.
    eqprop: the bias of equilibrium propagation's gradient estimate against beta.
    equilibrium: fixed-point solvers, unrolled vs implicit memory, recurrent-backprop convergence.
"""

from refimpl.experiments import eqprop, equilibrium, gradient_descent, hopfield
from refimpl.experiments.eqprop import ep_error_vs_beta
from refimpl.experiments.equilibrium import (
    MemoryCurve,
    demo_equilibrium_rnn,
    memory_vs_iterations,
    rbp_convergence,
    solver_convergence,
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
from refimpl.experiments.hopfield import BinaryRecall, binary_recall, continuous_dynamics

__all__ = [
    "BinaryRecall",
    "MemoryCurve",
    "StabilitySweep",
    "Trajectory",
    "binary_recall",
    "closed_form_trajectory",
    "continuous_dynamics",
    "contraction_factor",
    "demo_equilibrium_rnn",
    "ep_error_vs_beta",
    "eqprop",
    "equilibrium",
    "gd_trajectory",
    "gradient_descent",
    "hopfield",
    "memory_vs_iterations",
    "optimal_rate",
    "optimal_step_size",
    "rbp_convergence",
    "solver_convergence",
    "stability_sweep",
    "step_size_trajectories",
]
