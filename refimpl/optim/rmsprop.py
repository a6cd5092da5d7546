r"""RMSprop, a drop-in replacement for ``torch.optim.RMSprop`` (centred and momentum variants).

$$
s_t = \alpha s_{t-1} + (1-\alpha) g_t^2,\qquad
b_t = \mu b_{t-1} + \frac{g_t}{\sqrt{s_t} + \epsilon},\qquad
\theta_t = \theta_{t-1} - \gamma b_t .
$$

The class keeps the ``step``, ``square_avg``, ``momentum_buffer`` and ``grad_avg`` state; the
update is ``refimpl.functional.rmsprop_step``. Reading list: ``tieleman2012rmsprop``,
``goodfellow2016``.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from refimpl.functional.rmsprop import rmsprop_step
from refimpl.optim._base import ElementwiseOptimizer
from refimpl.optim._common import Params, check_lr, check_nonnegative, new_step, step_as_tensor

__all__ = ["RMSprop"]


class RMSprop(ElementwiseOptimizer):
    r"""RMSprop, matching ``torch.optim.RMSprop`` (arguments, defaults, state, trajectory).

    Divides the gradient by the root of a moving average of its square,
    $s \leftarrow \alpha s + (1-\alpha)g^2$, $\theta \leftarrow \theta - \gamma g/(\sqrt s +
    \epsilon)$; the centred variant subtracts the squared moving average of the gradient
    inside the root, and momentum accumulates the scaled steps in a buffer.

    Args:
        params: parameters, parameter groups, or ``(name, parameter)`` pairs.
        lr: learning rate $\gamma$ (default ``1e-2``).
        alpha: smoothing constant $\alpha$ (default ``0.99``).
        eps: $\epsilon$, added outside the root (default ``1e-8``).
        weight_decay: L2 coefficient $\lambda$ (default ``0``).
        momentum: $\mu$ (default ``0``).
        centered: normalise by an estimate of the variance instead of the second moment.
        capturable: accepted for compatibility; the result does not depend on it.
        foreach: update all tensors at once with ``torch._foreach_*`` kernels (``None``, the
            default, or ``True``) or one at a time (``False``); the result is the same.
        maximize: maximise instead of minimise (default ``False``).
        differentiable: accepted for compatibility; the step runs under ``no_grad``.
    """

    sparse_error = "RMSprop does not support sparse gradients"

    def __init__(
        self,
        params: Params,
        lr: float | Tensor = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_lr(lr)
        check_nonnegative(eps, "epsilon value")
        check_nonnegative(momentum, "momentum value")
        check_nonnegative(weight_decay, "weight_decay value")
        check_nonnegative(alpha, "alpha value")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "capturable": capturable,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a pickled optimizer, filling group keys that older versions lacked."""
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("momentum", 0)
            group.setdefault("centered", False)
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("capturable", False)
        step_as_tensor(self.state)

    def init_state(self, param: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        """``step`` and ``square_avg``, plus ``momentum_buffer`` and ``grad_avg`` when used."""
        state = {"step": new_step(), "square_avg": torch.zeros_like(param)}
        if group["momentum"] > 0:
            state["momentum_buffer"] = torch.zeros_like(param)
        if group["centered"]:
            state["grad_avg"] = torch.zeros_like(param)
        return state

    def update_group(
        self, group: dict[str, Any], params: list[Tensor], states: list[dict[str, Any]]
    ) -> None:
        """One RMSprop step of a parameter group, by `refimpl.functional.rmsprop_step`."""
        rmsprop_step(
            params,
            [p.grad for p in params],
            [s["square_avg"] for s in states],
            [s["grad_avg"] if group["centered"] else None for s in states],
            [s["momentum_buffer"] if group["momentum"] > 0 else None for s in states],
            [s["step"] for s in states],
            lr=group["lr"],
            alpha=group["alpha"],
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            momentum=group["momentum"],
            maximize=group["maximize"],
            foreach=group["foreach"],
        )
