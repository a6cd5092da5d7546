r"""Adam (with AMSGrad), a drop-in replacement for ``torch.optim.Adam``.

$$
m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\quad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2,\quad
\theta_t = \theta_{t-1} - \gamma\,\frac{m_t/(1-\beta_1^t)}{\sqrt{v_t/(1-\beta_2^t)} + \epsilon}.
$$

The class keeps the ``step``, ``exp_avg``, ``exp_avg_sq`` (and ``max_exp_avg_sq``) state; the
update is ``refimpl.functional.adam_step``. Reading list: ``kingma2015adam``,
``reddi2018amsgrad``.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from refimpl.functional.adam import adam_step
from refimpl.optim._base import ElementwiseOptimizer
from refimpl.optim._common import Params, check_lr, check_nonnegative, new_step, step_as_tensor

__all__ = ["Adam"]


class Adam(ElementwiseOptimizer):
    r"""Adam, matching ``torch.optim.Adam`` (arguments, defaults, state, trajectory).

    Steps along the bias-corrected first moment divided by the root of the bias-corrected
    second moment of the gradients, $\theta \leftarrow \theta - \gamma\,\hat m/(\sqrt{\hat v} +
    \epsilon)$. With ``amsgrad`` the denominator uses the largest second moment seen so far;
    with ``decoupled_weight_decay`` the decay shrinks the weights directly (AdamW).

    Args:
        params: parameters, parameter groups, or ``(name, parameter)`` pairs.
        lr: learning rate $\gamma$ (default ``1e-3``).
        betas: $(\beta_1, \beta_2)$ (default ``(0.9, 0.999)``).
        eps: $\epsilon$, added outside the root (default ``1e-8``).
        weight_decay: $\lambda$ (default ``0``).
        amsgrad: use the AMSGrad maximum of the second moment (default ``False``).
        foreach: update all tensors at once with ``torch._foreach_*`` kernels (``None``, the
            default, or ``True``) or one at a time (``False``); the result is the same.
        maximize: maximise instead of minimise (default ``False``).
        capturable: accepted for compatibility; the result does not depend on it.
        differentiable: accepted for compatibility; the step runs under ``no_grad``.
        fused: accepted for compatibility; no fused kernel is used.
        decoupled_weight_decay: decay the weights directly, as AdamW (default ``False``).
    """

    sparse_error = "Adam does not support sparse gradients, please consider SparseAdam instead"

    def __init__(
        self,
        params: Params,
        lr: float | Tensor = 1e-3,
        betas: tuple[float | Tensor, float | Tensor] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        if isinstance(lr, Tensor) and foreach and not capturable:
            raise ValueError(
                "lr as a Tensor is not supported for capturable=False and foreach=True"
            )
        check_lr(lr)
        check_nonnegative(eps, "epsilon value")
        for i in (0, 1):
            if not 0.0 <= betas[i] < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {betas[i]}")
        check_nonnegative(weight_decay, "weight_decay value")
        if not (
            (isinstance(betas[0], float) and isinstance(betas[1], float))
            or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))
        ):
            raise ValueError("betas must be either both floats or both Tensors")
        defaults = {
            "lr": lr,
            "betas": tuple(betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
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
            group.setdefault("amsgrad", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("capturable", False)
            group.setdefault("differentiable", False)
            group.setdefault("decoupled_weight_decay", False)
            group.setdefault("fused", None)
        step_as_tensor(self.state)

    def init_state(self, param: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        """``step``, ``exp_avg``, ``exp_avg_sq`` (and ``max_exp_avg_sq`` for AMSGrad), as torch."""
        state = {
            "step": new_step(),
            "exp_avg": torch.zeros_like(param),
            "exp_avg_sq": torch.zeros_like(param),
        }
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = torch.zeros_like(param)
        return state

    def update_group(
        self, group: dict[str, Any], params: list[Tensor], states: list[dict[str, Any]]
    ) -> None:
        """One Adam step of a parameter group, by `refimpl.functional.adam_step`."""
        beta1, beta2 = (float(b) for b in group["betas"])
        adam_step(
            params,
            [p.grad for p in params],
            [s["exp_avg"] for s in states],
            [s["exp_avg_sq"] for s in states],
            [s["max_exp_avg_sq"] if group["amsgrad"] else None for s in states],
            [s["step"] for s in states],
            lr=group["lr"],
            beta1=beta1,
            beta2=beta2,
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            decoupled_weight_decay=group["decoupled_weight_decay"],
            maximize=group["maximize"],
            foreach=group["foreach"],
        )
