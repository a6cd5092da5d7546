"""Continual learning: learning tasks in sequence, and remedies for forgetting and for the loss
of plasticity.

Modules:
    ewc: elastic weight consolidation, the diagonal Fisher and its quadratic penalty.
    plasticity: dead units, effective rank and weight norm; shrink-and-perturb, resetting dead
        units and L2 penalties towards zero or the initialisation.
"""

from refimpl.continual.ewc import EWCPenalty, fisher_diagonal
from refimpl.continual.plasticity import (
    dead_unit_fraction,
    dead_units,
    effective_rank,
    l2_penalty,
    reset_dead_units,
    shrink_and_perturb,
    srank,
    weight_norm,
)

__all__ = [
    "EWCPenalty",
    "dead_unit_fraction",
    "dead_units",
    "effective_rank",
    "fisher_diagonal",
    "l2_penalty",
    "reset_dead_units",
    "shrink_and_perturb",
    "srank",
    "weight_norm",
]
