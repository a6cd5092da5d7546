r"""AdaGrad, a drop-in replacement for ``torch.optim.Adagrad``.

$$
r_t = r_{t-1} + g_t^2,\qquad \theta_t = \theta_{t-1} - \frac{\gamma}{1+(t-1)\eta}\,
\frac{g_t}{\sqrt{r_t} + \delta}.
$$

The class keeps the ``step`` and ``sum`` state; the update is
``refimpl.functional.adagrad_step``. Reading list: ``duchi2011adagrad``, ``goodfellow2016``.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from refimpl.functional.adagrad import adagrad_step
from refimpl.optim._base import ElementwiseOptimizer
from refimpl.optim._common import Params, check_lr, check_nonnegative, new_step, step_as_tensor

__all__ = ["Adagrad"]


class Adagrad(ElementwiseOptimizer):
    r"""AdaGrad, matching ``torch.optim.Adagrad`` (arguments, defaults, state, trajectory).

    Each coordinate's step is divided by the root of the sum of its squared gradients:
    $r \leftarrow r + g^2$, $\theta \leftarrow \theta - \tilde\gamma\, g/(\sqrt r + \delta)$ with
    $\tilde\gamma = \gamma/(1 + (t-1)\eta)$ and $g = \pm\nabla L + \lambda\theta$. As in torch,
    the state (``step``, ``sum``) is created for every parameter at construction.

    Args:
        params: parameters, parameter groups, or ``(name, parameter)`` pairs.
        lr: learning rate $\gamma$ (default ``1e-2``).
        lr_decay: $\eta$ (default ``0``).
        weight_decay: L2 coefficient $\lambda$ (default ``0``).
        initial_accumulator_value: $r_0$ (default ``0``).
        eps: $\delta$ (default ``1e-10``).
        foreach: accepted for compatibility; the result does not depend on it.
        maximize: maximise instead of minimise (default ``False``).
        differentiable: accepted for compatibility; the step runs under ``no_grad``.
        fused: accepted for compatibility; no fused kernel is used.
    """

    def __init__(
        self,
        params: Params,
        lr: float | Tensor = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        check_lr(lr)
        check_nonnegative(lr_decay, "lr_decay value")
        check_nonnegative(weight_decay, "weight_decay value")
        check_nonnegative(initial_accumulator_value, "initial_accumulator_value value")
        check_nonnegative(eps, "epsilon value")
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = new_step()
                # r_0: the initial accumulator
                state["sum"] = torch.full_like(p, initial_accumulator_value)

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a pickled optimizer, filling group keys that older versions lacked."""
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("fused", None)
        step_as_tensor(self.state)

    def update_group(
        self, group: dict[str, Any], params: list[Tensor], states: list[dict[str, Any]]
    ) -> None:
        """One Adagrad step of a parameter group, by `refimpl.functional.adagrad_step`."""
        adagrad_step(
            params,
            [p.grad for p in params],
            [s["sum"] for s in states],
            [s["step"] for s in states],
            lr=group["lr"],
            lr_decay=group["lr_decay"],
            weight_decay=group["weight_decay"],
            eps=group["eps"],
            maximize=group["maximize"],
        )
