r"""Learning-rate schedules as ``torch.optim.lr_scheduler.LRScheduler`` subclasses.

``StepLR``, ``ExponentialLR``, ``CosineAnnealingLR`` and ``LinearLR`` take torch's arguments and
produce torch's learning rates; ``WarmupCosineLR`` (linear warm-up, then cosine decay) has no
single torch counterpart. Each computes the rate of step $t$ in closed form with
``refimpl.functional.schedules`` (torch uses equivalent recursive updates), so every scheduler
works with any ``torch.optim.Optimizer``, ours or torch's:

$$
\gamma_t = \gamma_0\,d^{\lfloor t/s\rfloor},\quad \gamma_0\,d^t,\quad
\gamma_{\min} + \tfrac12(\gamma_0-\gamma_{\min})(1+\cos(\pi t/T)),\ \dots
$$

Unlike torch's chainable schedulers, these set the rate from the base rate and $t$ alone, so
two of them should not drive the same optimizer at once. Reading list: ``goodfellow2016``,
``loshchilov2017sgdr``, ``goyal2017accurate``.
"""

from __future__ import annotations

import torch
from torch.optim.lr_scheduler import LRScheduler

from refimpl.functional import schedules

__all__ = ["CosineAnnealingLR", "ExponentialLR", "LinearLR", "StepLR", "WarmupCosineLR"]


class _ClosedFormScheduler(LRScheduler):
    """A scheduler whose rate for each group is ``self._rate(t, base_lr)``."""

    def _rate(self, t: int, base_lr: float) -> float:  # pragma: no cover - overridden
        raise TypeError("subclasses define _rate")

    def get_lr(self) -> list[float]:
        """The learning rate of every parameter group at the current step ``last_epoch``."""
        return [self._rate(self.last_epoch, float(base)) for base in self.base_lrs]

    def _get_closed_form_lr(self) -> list[float]:
        return self.get_lr()


class StepLR(_ClosedFormScheduler):
    r"""Multiply the learning rate by ``gamma`` every ``step_size`` steps, as torch's ``StepLR``.

    $\gamma_t = \gamma_0\,d^{\lfloor t/s\rfloor}$.

    Args:
        optimizer: the optimizer whose groups' ``lr`` is set.
        step_size: $s$.
        gamma: $d$ (default ``0.1``).
        last_epoch: the index of the last step, ``-1`` to start.
    """

    def __init__(
        self,
        optimizer: torch.optim.Optimizer,
        step_size: int,
        gamma: float = 0.1,
        last_epoch: int = -1,
    ) -> None:
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer, last_epoch)

    def _rate(self, t: int, base_lr: float) -> float:
        return schedules.step_lr(t, base_lr, self.step_size, self.gamma)


class ExponentialLR(_ClosedFormScheduler):
    r"""Multiply the learning rate by ``gamma`` every step, as torch's ``ExponentialLR``.

    $\gamma_t = \gamma_0\,d^t$.

    Args:
        optimizer: the optimizer whose groups' ``lr`` is set.
        gamma: $d$.
        last_epoch: the index of the last step, ``-1`` to start.
    """

    def __init__(
        self, optimizer: torch.optim.Optimizer, gamma: float, last_epoch: int = -1
    ) -> None:
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def _rate(self, t: int, base_lr: float) -> float:
        return schedules.exponential_lr(t, base_lr, self.gamma)


class CosineAnnealingLR(_ClosedFormScheduler):
    r"""Half a cosine from the base rate to ``eta_min`` over ``T_max`` steps, as torch's.

    $\gamma_t = \gamma_{\min} + \tfrac12(\gamma_0-\gamma_{\min})(1+\cos(\pi t/T_{\max}))$; past
    $T_{\max}$ the cosine continues (the rate rises again), as in torch.

    Args:
        optimizer: the optimizer whose groups' ``lr`` is set.
        T_max: $T_{\max}$, the steps to reach ``eta_min``.
        eta_min: $\gamma_{\min}$ (default ``0``).
        last_epoch: the index of the last step, ``-1`` to start.
    """

    def __init__(
        self,
        optimizer: torch.optim.Optimizer,
        T_max: int,
        eta_min: float = 0.0,
        last_epoch: int = -1,
    ) -> None:
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer, last_epoch)

    def _rate(self, t: int, base_lr: float) -> float:
        return schedules.cosine_lr(t, base_lr, self.T_max, self.eta_min)


class LinearLR(_ClosedFormScheduler):
    r"""Ramp the factor on the base rate linearly, as torch's ``LinearLR`` (used for warm-up).

    $\gamma_t = \gamma_0\,(f_0 + (f_1 - f_0)\min(t, T)/T)$.

    Args:
        optimizer: the optimizer whose groups' ``lr`` is set.
        start_factor: $f_0 \in (0, 1]$ (default ``1/3``).
        end_factor: $f_1 \in [0, 1]$ (default ``1``).
        total_iters: $T$, the steps of the ramp (default ``5``).
        last_epoch: the index of the last step, ``-1`` to start.

    Raises:
        ValueError: for factors outside those ranges, with torch's messages.
    """

    def __init__(
        self,
        optimizer: torch.optim.Optimizer,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        if start_factor > 1.0 or start_factor <= 0:
            raise ValueError(
                "Starting multiplicative factor expected to be greater than 0 and less "
                "or equal to 1."
            )
        if end_factor > 1.0 or end_factor < 0:
            raise ValueError("Ending multiplicative factor expected to be between 0 and 1.")
        self.start_factor, self.end_factor, self.total_iters = start_factor, end_factor, total_iters
        super().__init__(optimizer, last_epoch)

    def _rate(self, t: int, base_lr: float) -> float:
        return schedules.linear_lr(t, base_lr, self.start_factor, self.end_factor, self.total_iters)


class WarmupCosineLR(_ClosedFormScheduler):
    r"""Linear warm-up to the base rate, then cosine decay to ``eta_min``.

    $\gamma_t = \gamma_0 (t+1)/T_w$ for $t < T_w$, then
    $\gamma_{\min} + \tfrac12(\gamma_0-\gamma_{\min})(1+\cos(\pi (t-T_w)/(T-T_w)))$, and
    $\gamma_{\min}$ after $T$ steps.

    Args:
        optimizer: the optimizer whose groups' ``lr`` is set.
        warmup_steps: $T_w \ge 1$.
        total_steps: $T > T_w$.
        eta_min: $\gamma_{\min}$ (default ``0``).
        last_epoch: the index of the last step, ``-1`` to start.

    Raises:
        ValueError: unless $1 \le T_w < T$.
    """

    def __init__(
        self,
        optimizer: torch.optim.Optimizer,
        warmup_steps: int,
        total_steps: int,
        eta_min: float = 0.0,
        last_epoch: int = -1,
    ) -> None:
        if not 1 <= warmup_steps < total_steps:
            raise ValueError(
                f"need 1 <= warmup_steps < total_steps, got {warmup_steps}, {total_steps}"
            )
        self.warmup_steps, self.total_steps, self.eta_min = warmup_steps, total_steps, eta_min
        super().__init__(optimizer, last_epoch)

    def _rate(self, t: int, base_lr: float) -> float:
        return schedules.warmup_cosine_lr(
            t, base_lr, self.warmup_steps, self.total_steps, self.eta_min
        )
