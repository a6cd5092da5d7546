"""Continual learning: learning tasks in sequence, and remedies for forgetting.

Modules:
    ewc: elastic weight consolidation, the diagonal Fisher and its quadratic penalty.
"""

from refimpl.continual.ewc import EWCPenalty, fisher_diagonal

__all__ = ["EWCPenalty", "fisher_diagonal"]
