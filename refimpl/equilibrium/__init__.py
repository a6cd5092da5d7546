"""Equilibrium computation and learning: fixed-point solvers and gradients through fixed points.

Modules:
    solvers: plain fixed-point iteration and Anderson acceleration.
    bilevel: meta-learning as bilevel optimisation, unrolled (MAML) and implicit (iMAML).
    least_control: the least-control principle on a small equilibrium network.
    feedback_alignment: backprop with fixed random feedback weights.
    target_prop: difference target propagation.
    eqprop: equilibrium propagation on a layered Hopfield-energy network.
    implicit: implicit-function-theorem gradients as a `torch.autograd.Function`.
    declarative: robust pooling, a declarative node differentiated by the implicit function theorem.
    almeida_pineda: recurrent backpropagation, the Almeida–Pineda adjoint iteration.
    memory: deterministic count of the bytes autograd saves for backward.
    wheel_bandit: the wheel bandit, the meta-learning benchmark of the bilevel page.
"""

from refimpl.equilibrium.almeida_pineda import adjoint_iteration, recurrent_backprop
from refimpl.equilibrium.bilevel import (
    imaml_hypergradient,
    inner_solution,
    maml_hypergradient,
    unrolled_adaptation,
)
from refimpl.equilibrium.declarative import (
    RobustPool,
    pseudo_huber,
    robust_pool,
    robust_pool_weights,
)
from refimpl.equilibrium.eqprop import EPNetwork
from refimpl.equilibrium.feedback_alignment import two_layer_updates
from refimpl.equilibrium.implicit import (
    ImplicitFixedPoint,
    adjoint_solve,
    implicit_fixed_point,
    unrolled_fixed_point,
)
from refimpl.equilibrium.least_control import LeastControlNetwork
from refimpl.equilibrium.memory import saved_tensor_bytes
from refimpl.equilibrium.solvers import (
    SolverResult,
    anderson,
    fixed_point_iteration,
    relative_residual,
)
from refimpl.equilibrium.target_prop import dtp_targets
from refimpl.equilibrium.wheel_bandit import (
    wheel_contexts,
    wheel_expected_rewards,
    wheel_rewards,
    wheel_safe_regret,
)

__all__ = [
    "EPNetwork",
    "ImplicitFixedPoint",
    "LeastControlNetwork",
    "RobustPool",
    "SolverResult",
    "adjoint_iteration",
    "adjoint_solve",
    "anderson",
    "dtp_targets",
    "fixed_point_iteration",
    "imaml_hypergradient",
    "implicit_fixed_point",
    "inner_solution",
    "maml_hypergradient",
    "pseudo_huber",
    "recurrent_backprop",
    "relative_residual",
    "robust_pool",
    "robust_pool_weights",
    "saved_tensor_bytes",
    "two_layer_updates",
    "unrolled_adaptation",
    "unrolled_fixed_point",
    "wheel_contexts",
    "wheel_expected_rewards",
    "wheel_rewards",
    "wheel_safe_regret",
]
