r"""The slides' exponential-moving-average momentum as an optimizer.

$$
V_t = \alpha V_{t-1} + (1-\alpha)\nabla L(\theta_{t-1}),\quad V_0 = 0,\qquad
\theta_t = \theta_{t-1} - \gamma V_t .
$$

It takes exactly the steps of ``torch.optim.SGD(lr=γ(1−α), momentum=α)`` (heavy ball); the
class keeps the ``velocity`` state and calls ``refimpl.functional.ema_momentum_step``.
Reading list: ``polyak1964some``, ``sutskever2013init``, ``goodfellow2016``.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from refimpl.functional.ema_momentum import ema_momentum_step
from refimpl.optim._base import ElementwiseOptimizer
from refimpl.optim._common import Params, check_lr

__all__ = ["EMAMomentum"]


class EMAMomentum(ElementwiseOptimizer):
    r"""Momentum as the lecture slides write it: a step along a moving average of gradients.

    $V \leftarrow \alpha V + (1-\alpha)\nabla L$, $\theta \leftarrow \theta - \gamma V$, with
    $V_0 = 0$. The average has unit gain on a constant gradient, so $\gamma$ keeps the meaning
    of a learning rate whatever $\alpha$ is; the same steps are taken by heavy-ball momentum
    (``torch.optim.SGD(momentum=α)``) with learning rate $\gamma(1-\alpha)$.

    Args:
        params: parameters, parameter groups, or ``(name, parameter)`` pairs.
        lr: learning rate $\gamma$ (default ``1e-3``).
        alpha: decay $\alpha \in [0, 1)$ of the average (default ``0.9``).
        maximize: maximise instead of minimise (default ``False``).

    Example:
        >>> import torch
        >>> w = torch.nn.Parameter(torch.tensor([1.0]))
        >>> opt = EMAMomentum([w], lr=0.5, alpha=0.9)
        >>> (w**2).sum().backward()   # ∇ = 2
        >>> opt.step()                # V = 0.1 * 2 = 0.2, θ = 1 − 0.5 * 0.2
        >>> w.detach()
        tensor([0.9000])
    """

    def __init__(
        self,
        params: Params,
        lr: float | Tensor = 1e-3,
        alpha: float = 0.9,
        *,
        maximize: bool = False,
    ) -> None:
        check_lr(lr)
        if not 0.0 <= alpha < 1.0:
            raise ValueError(f"Invalid alpha value: {alpha}")
        super().__init__(params, {"lr": lr, "alpha": alpha, "maximize": maximize})

    def init_state(self, param: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        """The velocity, $V_0 = 0$."""
        return {"velocity": torch.zeros_like(param)}

    def update_group(
        self, group: dict[str, Any], params: list[Tensor], states: list[dict[str, Any]]
    ) -> None:
        """One step of a parameter group, by `refimpl.functional.ema_momentum_step`."""
        ema_momentum_step(
            params,
            [p.grad for p in params],
            [s["velocity"] for s in states],
            lr=group["lr"],
            alpha=group["alpha"],
            maximize=group["maximize"],
        )
