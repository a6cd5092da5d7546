"""Equilibrium computation and learning: fixed-point solvers and gradients through fixed points.

Modules:
    solvers: plain fixed-point iteration and Anderson acceleration.
    eqprop: equilibrium propagation on a layered Hopfield-energy network.
    implicit: implicit-function-theorem gradients as a `torch.autograd.Function`.
    almeida_pineda: recurrent backpropagation, the Almeida–Pineda adjoint iteration.
    memory: deterministic count of the bytes autograd saves for backward.
"""

from refimpl.equilibrium.almeida_pineda import adjoint_iteration, recurrent_backprop
from refimpl.equilibrium.eqprop import EPNetwork
from refimpl.equilibrium.implicit import (
    ImplicitFixedPoint,
    adjoint_solve,
    implicit_fixed_point,
    unrolled_fixed_point,
)
from refimpl.equilibrium.memory import saved_tensor_bytes
from refimpl.equilibrium.solvers import (
    SolverResult,
    anderson,
    fixed_point_iteration,
    relative_residual,
)

__all__ = [
    "EPNetwork",
    "ImplicitFixedPoint",
    "SolverResult",
    "adjoint_iteration",
    "adjoint_solve",
    "anderson",
    "fixed_point_iteration",
    "implicit_fixed_point",
    "recurrent_backprop",
    "relative_residual",
    "saved_tensor_bytes",
    "unrolled_fixed_point",
]
