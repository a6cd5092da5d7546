"""Pure update rules and helpers: plain functions on lists of tensors that the classes call.

Each function holds the math of one algorithm, with the equation above the line computing it;
the ``torch.optim.Optimizer`` and ``torch.nn.Module`` classes in ``refimpl.optim`` and
``refimpl.nn`` are thin shells that keep state and call these.
"""

from refimpl.functional.kfac import kfac_direction, kronecker_factors
from refimpl.functional.natural_gradient import (
    categorical_output_fisher,
    empirical_fisher,
    fisher_from_jacobians,
    gaussian_output_fisher,
    natural_gradient_direction,
    per_example_jacobians,
)
from refimpl.functional.path_sgd import path_norm, path_sgd_scales
from refimpl.functional.sam import sam_perturbation
from refimpl.functional.second_order import (
    damped_newton_direction,
    flat_gradient_and_hessian,
    newton_direction,
    saddle_free_newton_direction,
)
from refimpl.functional.sgd import sgd_step, sgd_update
from refimpl.functional.woodfisher import woodfisher_inverse

__all__ = [
    "categorical_output_fisher",
    "damped_newton_direction",
    "empirical_fisher",
    "fisher_from_jacobians",
    "flat_gradient_and_hessian",
    "gaussian_output_fisher",
    "kfac_direction",
    "kronecker_factors",
    "natural_gradient_direction",
    "newton_direction",
    "path_norm",
    "path_sgd_scales",
    "per_example_jacobians",
    "saddle_free_newton_direction",
    "sam_perturbation",
    "sgd_step",
    "sgd_update",
    "woodfisher_inverse",
]
