r"""The slides' adaptive form ("~Adam") and its $\alpha = 0$ case (RMSprop) as optimizers.

$$
V_t = \alpha V_{t-1} + (1-\alpha) g_t,\quad S_t = \beta S_{t-1} + (1-\beta) g_t^2,\quad
\theta_t = \theta_{t-1} - \gamma\,\frac{V_t}{\sqrt{S_t + \epsilon}},
$$

with no bias correction and $\epsilon$ inside the root. The classes keep the ``velocity`` and
``square_avg`` state and call ``refimpl.functional.slide_adam_step``. Reading list:
``tieleman2012rmsprop``, ``kingma2015adam``.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from refimpl.functional.slide_adam import slide_adam_step
from refimpl.optim._base import ElementwiseOptimizer
from refimpl.optim._common import Params, check_lr, check_nonnegative

__all__ = ["SlideAdam", "SlideRMSprop"]


class SlideAdam(ElementwiseOptimizer):
    r"""The lecture notes' "~Adam": EMA momentum over the root of an EMA of squared gradients.

    $V \leftarrow \alpha V + (1-\alpha) g$, $S \leftarrow \beta S + (1-\beta) g^2$,
    $\theta \leftarrow \theta - \gamma V/\sqrt{S + \epsilon}$, from $V_0 = S_0 = 0$. Unlike
    ``torch.optim.Adam`` there is no bias correction (the first steps are scaled by
    $(1-\alpha^t)/\sqrt{1-\beta^t}$ relative to Adam's) and $\epsilon$ sits inside the root.

    Args:
        params: parameters, parameter groups, or ``(name, parameter)`` pairs.
        lr: learning rate $\gamma$ (default ``1e-3``).
        alpha: decay $\alpha$ of the gradient average (default ``0.9``).
        beta: decay $\beta$ of the squared-gradient average (default ``0.999``).
        eps: $\epsilon$, inside the root (default ``1e-8``).
        maximize: maximise instead of minimise (default ``False``).
    """

    def __init__(
        self,
        params: Params,
        lr: float | Tensor = 1e-3,
        alpha: float = 0.9,
        beta: float = 0.999,
        eps: float = 1e-8,
        *,
        maximize: bool = False,
    ) -> None:
        check_lr(lr)
        if not 0.0 <= alpha < 1.0:
            raise ValueError(f"Invalid alpha value: {alpha}")
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta value: {beta}")
        check_nonnegative(eps, "epsilon value")
        defaults = {"lr": lr, "alpha": alpha, "beta": beta, "eps": eps, "maximize": maximize}
        super().__init__(params, defaults)

    def init_state(self, param: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        """$S_0 = 0$, and $V_0 = 0$ unless $\\alpha = 0$ (the RMSprop form keeps no velocity)."""
        state = {"square_avg": torch.zeros_like(param)}
        if group["alpha"] != 0:
            state["velocity"] = torch.zeros_like(param)
        return state

    def update_group(
        self, group: dict[str, Any], params: list[Tensor], states: list[dict[str, Any]]
    ) -> None:
        """One step of a parameter group, by `refimpl.functional.slide_adam_step`."""
        with_velocity = group["alpha"] != 0
        slide_adam_step(
            params,
            [p.grad for p in params],
            [s["velocity"] if with_velocity else None for s in states],
            [s["square_avg"] for s in states],
            lr=group["lr"],
            alpha=group["alpha"],
            beta=group["beta"],
            eps=group["eps"],
            maximize=group["maximize"],
        )


class SlideRMSprop(SlideAdam):
    r"""The lecture notes' RMSprop: $\theta \leftarrow \theta - \gamma g/\sqrt{S + \epsilon}$.

    $S \leftarrow \beta S + (1-\beta)g^2$ is a moving average of squared gradients.

    ``SlideAdam`` with $\alpha = 0$. It differs from ``torch.optim.RMSprop(alpha=β)`` only in
    where $\epsilon$ sits: inside the root here, outside in torch (equal for $\epsilon = 0$).

    Args:
        params: parameters, parameter groups, or ``(name, parameter)`` pairs.
        lr: learning rate $\gamma$ (default ``1e-3``).
        beta: decay $\beta$ of the squared-gradient average (default ``0.9``).
        eps: $\epsilon$, inside the root (default ``1e-8``).
        maximize: maximise instead of minimise (default ``False``).
    """

    def __init__(
        self,
        params: Params,
        lr: float | Tensor = 1e-3,
        beta: float = 0.9,
        eps: float = 1e-8,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, lr, alpha=0.0, beta=beta, eps=eps, maximize=maximize)
