r"""AdamW (Adam with decoupled weight decay), a drop-in replacement for ``torch.optim.AdamW``.

$$
\theta_{t-1} \leftarrow (1-\gamma\lambda)\,\theta_{t-1},\qquad
\theta_t = \theta_{t-1} - \gamma\,\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon},
$$

with the moments of Adam computed from the loss gradient alone. This is ``refimpl.optim.Adam``
with ``decoupled_weight_decay=True`` and a default decay of ``1e-2``, as in torch. Reading list:
``loshchilov2019decoupled``, ``kingma2015adam``.
"""

from __future__ import annotations

from typing import Any

from torch import Tensor

from refimpl.optim._common import Params
from refimpl.optim.adam import Adam

__all__ = ["AdamW"]


class AdamW(Adam):
    r"""AdamW, matching ``torch.optim.AdamW`` (arguments, defaults, state, trajectory).

    The weight decay multiplies the weights by $1 - \gamma\lambda$ before the Adam step instead
    of adding $\lambda\theta$ to the gradient, so it is not rescaled by $1/\sqrt{\hat v}$.

    Args:
        params: parameters, parameter groups, or ``(name, parameter)`` pairs.
        lr: learning rate $\gamma$ (default ``1e-3``).
        betas: $(\beta_1, \beta_2)$ (default ``(0.9, 0.999)``).
        eps: $\epsilon$ (default ``1e-8``).
        weight_decay: decoupled decay $\lambda$ (default ``1e-2``).
        amsgrad: use the AMSGrad maximum of the second moment (default ``False``).
        maximize: maximise instead of minimise (default ``False``).
        foreach: update all tensors at once with ``torch._foreach_*`` kernels (``None``, the
            default, or ``True``) or one at a time (``False``); the result is the same.
        capturable: accepted for compatibility; the result does not depend on it.
        differentiable: accepted for compatibility; the step runs under ``no_grad``.
        fused: accepted for compatibility; no fused kernel is used.
    """

    def __init__(
        self,
        params: Params,
        lr: float | Tensor = 1e-3,
        betas: tuple[float | Tensor, float | Tensor] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a pickled optimizer; AdamW always decouples its weight decay."""
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
