r"""Early stopping: stop training when a validation metric has not improved for a while.

After each evaluation $t$ with validation loss $v_t$, keep the best value
$v^\star = \min_{s \le t} v_s$ and count the evaluations since it last improved by more than
$\delta$; stop when the count reaches the patience $P$ and restore the parameters saved at the
best evaluation. Seen as a regulariser, the number of steps plays the role of an inverse penalty:
for gradient descent with learning rate $\epsilon$ from zero on a quadratic, $\tau$ steps act like
an L2 penalty with $\alpha \approx 1/(\tau\epsilon)$. Reading list: ``goodfellow2016``
(section 7.8), ``prechelt1998early``.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["EarlyStopping"]


class EarlyStopping:
    r"""Track a validation metric and say when to stop.

    Call ``step(value)`` after every evaluation; it returns ``True`` once the metric has gone
    ``patience`` evaluations without improving on the best value by more than ``min_delta``.

    Args:
        patience: $P$, evaluations without improvement before stopping (default ``10``).
        min_delta: $\delta \ge 0$, the smallest change that counts as an improvement.
        mode: ``"min"`` (a loss) or ``"max"`` (an accuracy).

    Attributes:
        best: the best value so far (``inf`` or ``-inf`` before the first call).
        best_step: the index of the evaluation that gave it (``-1`` before the first call).
        num_bad: evaluations since the last improvement.
        should_stop: whether ``patience`` has been exhausted.

    Example:
        >>> stopper = EarlyStopping(patience=2)
        >>> for v in (3.0, 2.0, 2.5, 2.1):
        ...     stop = stopper.step(v)
        >>> stop, stopper.best, stopper.best_step
        (True, 2.0, 1)
    """

    def __init__(self, patience: int = 10, min_delta: float = 0.0, mode: str = "min") -> None:
        if patience < 1:
            raise ValueError(f"patience must be >= 1, got {patience}")
        if min_delta < 0:
            raise ValueError(f"min_delta must be >= 0, got {min_delta}")
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        self.patience, self.min_delta, self.mode = patience, min_delta, mode
        self.best = math.inf if mode == "min" else -math.inf
        self.best_step = -1
        self.num_bad = 0
        self.should_stop = False
        self._count = 0

    def is_improvement(self, value: float) -> bool:
        """Whether ``value`` beats the best so far by more than ``min_delta``."""
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    # --8<-- [start:early_stopping]
    def step(self, value: float) -> bool:
        """Record one evaluation of the metric.

        Args:
            value: the validation metric.

        Returns:
            ``True`` if training should stop (and from then on).
        """
        if self.is_improvement(value):
            # a new best: remember it (the caller saves the parameters now) and reset the count
            self.best, self.best_step, self.num_bad = value, self._count, 0
        else:
            self.num_bad += 1
        self._count += 1
        # stop after P evaluations without improvement
        self.should_stop = self.should_stop or self.num_bad >= self.patience
        return self.should_stop

    # --8<-- [end:early_stopping]

    def state_dict(self) -> dict[str, Any]:
        """The tracker's state, for checkpoints."""
        return {
            k: getattr(self, k) for k in ("best", "best_step", "num_bad", "should_stop", "_count")
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore the state saved by ``state_dict``."""
        for k, v in state.items():
            setattr(self, k, v)
