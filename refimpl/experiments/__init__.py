"""Deterministic experiments that return arrays (no plotting); the figures draw their results.

Expensive functions are cached with ``functools.cache``: the build renders every figure twice
(light and dark scheme), and the second render reuses the first one's data.

Modules:
    gradient_descent: gradient descent on quadratics, its closed form and the stability limit.
    hopfield: binary recall and continuous dynamics with symmetric and non-symmetric weights.
    continual: forgetting with and without EWC, tug-of-war, ray interference.
    bioplausible: backprop, feedback alignment and difference target propagation compared.
    bilevel: few-shot sinusoid regression meta-learned with MAML and iMAML.
    least_control: least-control learning against gradient descent on a small network.
    eqprop: the bias of equilibrium propagation's gradient estimate against beta.
    equilibrium: fixed-point solvers, unrolled vs implicit memory, recurrent-backprop convergence.
"""

from refimpl.experiments import (
    bilevel,
    bioplausible,
    continual,
    eqprop,
    equilibrium,
    gradient_descent,
    hopfield,
    least_control,
)
from refimpl.experiments.bilevel import (
    MetaRun,
    meta_learning_curves,
    sinusoid_features,
    sinusoid_task,
    unrolled_vs_implicit,
)
from refimpl.experiments.bioplausible import credit_assignment_comparison, teacher_task
from refimpl.experiments.continual import (
    forgetting_curves,
    make_task,
    ray_interference,
    tug_of_war,
)
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
from refimpl.experiments.least_control import free_loss, lcp_problem, lcp_training

__all__ = [
    "BinaryRecall",
    "MemoryCurve",
    "MetaRun",
    "StabilitySweep",
    "Trajectory",
    "bilevel",
    "binary_recall",
    "bioplausible",
    "closed_form_trajectory",
    "continual",
    "continuous_dynamics",
    "contraction_factor",
    "credit_assignment_comparison",
    "demo_equilibrium_rnn",
    "ep_error_vs_beta",
    "eqprop",
    "equilibrium",
    "forgetting_curves",
    "free_loss",
    "gd_trajectory",
    "gradient_descent",
    "hopfield",
    "lcp_problem",
    "lcp_training",
    "least_control",
    "make_task",
    "memory_vs_iterations",
    "meta_learning_curves",
    "optimal_rate",
    "optimal_step_size",
    "ray_interference",
    "rbp_convergence",
    "sinusoid_features",
    "sinusoid_task",
    "solver_convergence",
    "stability_sweep",
    "step_size_trajectories",
    "teacher_task",
    "tug_of_war",
    "unrolled_vs_implicit",
]
