r"""Stochastic gradient descent with momentum, a drop-in replacement for ``torch.optim.SGD``.

The class keeps the parameter groups and the per-parameter ``momentum_buffer`` state; the
update itself is the pure function ``refimpl.functional.sgd_step``:

$$
g_t = \pm\nabla_\theta L(\theta_{t-1}) + \lambda\theta_{t-1},\quad
b_t = \mu b_{t-1} + (1-\tau) g_t \ (b_1 = g_1),\quad
\theta_t = \theta_{t-1} - \gamma\,(g_t + \mu b_t \text{ if Nesterov else } b_t).
$$

With ``momentum=0`` and the full-batch gradient this is plain gradient descent,
$\theta_{t+1} = \theta_t - \gamma\nabla L(\theta_t)$. Reading list: ``goodfellow2016``,
``bottou2018optimization``.
"""

from __future__ import annotations

from typing import Any

from torch import Tensor

from refimpl.functional.sgd import sgd_step
from refimpl.optim._base import ElementwiseOptimizer
from refimpl.optim._common import Params

__all__ = ["SGD"]


class SGD(ElementwiseOptimizer):
    r"""Stochastic gradient descent (optionally with momentum), matching ``torch.optim.SGD``.

    Same constructor, defaults, validation, state keys and trajectory as ``torch.optim.SGD``:
    swapping one for the other changes nothing but speed. Each step computes, per parameter,

    $$
    \begin{aligned}
    g_t &= \pm\nabla_\theta L(\theta_{t-1}) + \lambda\,\theta_{t-1}, \\
    b_t &= \mu\, b_{t-1} + (1-\tau)\, g_t \quad (b_1 = g_1), \\
    \theta_t &= \theta_{t-1} - \gamma\,(g_t + \mu b_t \ \text{if Nesterov, else } b_t),
    \end{aligned}
    $$

    where the momentum terms are skipped when $\mu = 0$.

    Args:
        params: parameters to optimise, or dicts defining parameter groups, or
            ``(name, parameter)`` pairs (as from ``model.named_parameters()``).
        lr: learning rate $\gamma$ (default ``1e-3``); a float or a one-element tensor.
        momentum: momentum factor $\mu$ (default ``0``).
        dampening: dampening $\tau$ of the momentum buffer (default ``0``).
        weight_decay: L2 penalty coefficient $\lambda$ (default ``0``).
        nesterov: use Nesterov momentum (default ``False``); needs $\mu > 0$ and $\tau = 0$.
        maximize: maximise the objective instead of minimising it (default ``False``).
        foreach: update all tensors at once with ``torch._foreach_*`` kernels (``None``, the
            default, or ``True``) or one at a time (``False``); the result is the same.
        differentiable: accepted for compatibility; the step always runs under ``no_grad`` here,
            so differentiating through the update is not supported. The math is unchanged.
        fused: accepted for compatibility; no fused kernel is used. The math is unchanged.

    Raises:
        ValueError: for a negative ``lr``, ``momentum`` or ``weight_decay``, a tensor ``lr``
            with more than one element, or ``nesterov`` without momentum or with dampening.
        RuntimeError: for ``fused=True`` together with ``foreach=True`` or
            ``differentiable=True`` (as torch does).

    Example:
        >>> import torch
        >>> from refimpl.optim import SGD
        >>> w = torch.nn.Parameter(torch.tensor([1.0, -1.0]))
        >>> opt = SGD([w], lr=0.1, momentum=0.9)
        >>> (w**2).sum().backward()
        >>> opt.step()
        >>> w.detach()
        tensor([ 0.8000, -0.8000])
    """

    def __init__(
        self,
        params: Params,
        lr: float | Tensor = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float | Tensor = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        # the same checks, in the same order and with the same messages, as torch.optim.SGD
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a pickled optimizer, filling group keys that older versions lacked."""
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("nesterov", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("differentiable", False)
            group.setdefault("fused", False)

    def update_group(
        self, group: dict[str, Any], params: list[Tensor], states: list[dict[str, Any]]
    ) -> None:
        """One SGD step of a parameter group, by `refimpl.functional.sgd_step`."""
        uses_momentum = group["momentum"] != 0
        # the buffer is created by the first step (b_1 = g_1), so it may be missing
        buffers = [s.get("momentum_buffer") if uses_momentum else None for s in states]
        sgd_step(
            params,
            [p.grad for p in params],
            buffers,
            lr=group["lr"],
            momentum=group["momentum"],
            dampening=group["dampening"],
            weight_decay=group["weight_decay"],
            nesterov=group["nesterov"],
            maximize=group["maximize"],
            foreach=group["foreach"],
        )
        if uses_momentum:
            for p, buf in zip(params, buffers, strict=True):
                self.state[p]["momentum_buffer"] = buf
