"""The shell shared by the elementwise optimizers: ``step`` around a pure update function.

SGD, Adagrad, RMSprop, Adadelta, Adam and the slides' forms all update each parameter from its
gradient and its own state only. What their ``step`` does around the math is the same as in
torch.optim: evaluate the closure with gradients enabled, skip parameters without a gradient
(they get neither an update nor state), reject sparse gradients where torch does, create each
parameter's state the first time it has a gradient, and hand one parameter group at a time to
the pure function in ``refimpl.functional``. A subclass says only which state a parameter
starts with (`init_state`) and how a group is updated (`update_group`).
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor

__all__ = ["ElementwiseOptimizer"]


class ElementwiseOptimizer(torch.optim.Optimizer, abc.ABC):
    """A `torch.optim.Optimizer` whose update is a pure function of a group's tensors.

    Subclasses implement `update_group` and, if a parameter carries state, `init_state`.
    """

    #: the ``RuntimeError`` message for a sparse gradient, as torch words it; ``None`` lets
    #: sparse gradients through to the update function
    sparse_error: str | None = None

    def init_state(self, param: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        """The state of a parameter at its first update (none by default).

        Args:
            param: the parameter.
            group: its parameter group, whose hyperparameters decide which buffers exist.

        Returns:
            The state entries, e.g. ``{"step": ..., "exp_avg": ...}``.
        """
        return {}

    @abc.abstractmethod
    def update_group(
        self, group: dict[str, Any], params: list[Tensor], states: list[dict[str, Any]]
    ) -> None:
        """Update the parameters of one group in place.

        Args:
            group: the parameter group (hyperparameters under their torch names).
            params: the group's parameters that have a gradient.
            states: their state dicts, in the same order; a parameter without state gets a
                fresh empty dict, so state created here must be stored in ``self.state``.
        """

    @torch.no_grad()
    def step(self, closure: Callable[[], Tensor] | None = None) -> Tensor | None:
        """Perform one optimisation step.

        Args:
            closure: optional function that re-evaluates the model and returns the loss; it is
                called with gradients enabled before the update.

        Returns:
            The loss returned by ``closure``, or ``None`` without one.
        """
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            for p in params:
                if self.sparse_error is not None and p.grad.is_sparse:
                    raise RuntimeError(self.sparse_error)
                if len(self.state.get(p, {})) == 0:
                    initial = self.init_state(p, group)
                    # torch keeps no entry at all for a parameter without state (plain SGD)
                    if initial:
                        self.state[p] = initial
            self.update_group(group, params, [self.state.get(p, {}) for p in params])
        return loss
