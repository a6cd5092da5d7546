r"""AdaDelta, a drop-in replacement for ``torch.optim.Adadelta``.

$$
v_t = \rho v_{t-1} + (1-\rho) g_t^2,\quad
\Delta_t = \frac{\sqrt{u_{t-1}+\epsilon}}{\sqrt{v_t+\epsilon}}\, g_t,\quad
u_t = \rho u_{t-1} + (1-\rho)\Delta_t^2,\quad \theta_t = \theta_{t-1} - \gamma\Delta_t .
$$

The class keeps the ``step``, ``square_avg`` and ``acc_delta`` state; the update is
``refimpl.functional.adadelta_step``. Reading list: ``zeiler2012adadelta``.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from refimpl.functional.adadelta import adadelta_step
from refimpl.optim._base import ElementwiseOptimizer
from refimpl.optim._common import Params, check_lr, check_nonnegative, new_step, step_as_tensor

__all__ = ["Adadelta"]


class Adadelta(ElementwiseOptimizer):
    r"""AdaDelta, matching ``torch.optim.Adadelta`` (arguments, defaults, state, trajectory).

    The step is the gradient scaled by the ratio of two moving root-mean-squares, of past
    updates and of gradients: $\Delta = \sqrt{u + \epsilon}/\sqrt{v + \epsilon}\; g$.

    Args:
        params: parameters, parameter groups, or ``(name, parameter)`` pairs.
        lr: $\gamma$, a factor on the update (default ``1.0``, as in the paper).
        rho: decay $\rho$ of both averages (default ``0.9``).
        eps: $\epsilon$, inside both roots (default ``1e-6``).
        weight_decay: L2 coefficient $\lambda$ (default ``0``).
        foreach: accepted for compatibility; the result does not depend on it.
        capturable: accepted for compatibility; the result does not depend on it.
        maximize: maximise instead of minimise (default ``False``).
        differentiable: accepted for compatibility; the step runs under ``no_grad``.
    """

    sparse_error = "Adadelta does not support sparse gradients"

    def __init__(
        self,
        params: Params,
        lr: float | Tensor = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        check_nonnegative(eps, "epsilon value")
        check_nonnegative(weight_decay, "weight_decay value")
        defaults = {
            "lr": lr,
            "rho": rho,
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
            "capturable": capturable,
            "foreach": foreach,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a pickled optimizer, filling group keys that older versions lacked."""
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("capturable", False)
        step_as_tensor(self.state)

    def init_state(self, param: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        """``step``, ``square_avg`` and ``acc_delta``, as torch keeps them."""
        return {
            "step": new_step(),
            "square_avg": torch.zeros_like(param),
            "acc_delta": torch.zeros_like(param),
        }

    def update_group(
        self, group: dict[str, Any], params: list[Tensor], states: list[dict[str, Any]]
    ) -> None:
        """One Adadelta step of a parameter group, by `refimpl.functional.adadelta_step`."""
        adadelta_step(
            params,
            [p.grad for p in params],
            [s["square_avg"] for s in states],
            [s["acc_delta"] for s in states],
            [s["step"] for s in states],
            lr=group["lr"],
            rho=group["rho"],
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            maximize=group["maximize"],
        )
