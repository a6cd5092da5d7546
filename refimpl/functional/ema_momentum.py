r"""Momentum in the slides' moving-average form, the rule of ``refimpl.optim.EMAMomentum``.

The velocity is an exponential moving average of the gradients, started at zero, and the step
follows it:

$$
V_t = \alpha V_{t-1} + (1-\alpha)\,\nabla L(\theta_{t-1}), \qquad V_0 = 0, \qquad
\theta_t = \theta_{t-1} - \gamma V_t .
$$

Unrolled, $V_t = (1-\alpha)\sum_{s \le t}\alpha^{t-s}\nabla L(\theta_{s-1})$, so this is the
heavy-ball method $b_t = \alpha b_{t-1} + g_t$, $\theta_t = \theta_{t-1} - \gamma(1-\alpha)b_t$
with $b = V/(1-\alpha)$: ``torch.optim.SGD(lr=γ(1−α), momentum=α)``. Reading list:
``polyak1964some``, ``sutskever2013init``, ``goodfellow2016`` (section 8.3.2).
"""

from __future__ import annotations

from torch import Tensor

from refimpl.functional._utils import scalar

__all__ = ["ema_momentum_step", "ema_momentum_update"]


# --8<-- [start:ema_momentum]
def ema_momentum_update(
    param: Tensor, grad: Tensor, velocity: Tensor, *, lr: float, alpha: float, maximize: bool
) -> None:
    """One parameter's EMA-momentum step, in place.

    Args:
        param: the parameter θ, updated in place.
        grad: its gradient ∇L (not modified).
        velocity: the moving average V, updated in place (zero before the first step).
        lr: the learning rate γ.
        alpha: the decay α of the average.
        maximize: ascend instead of descend.
    """
    g = -grad if maximize else grad
    # V_t = α V_{t−1} + (1 − α) ∇L
    velocity.lerp_(g, 1 - alpha)
    # θ_t = θ_{t−1} − γ V_t
    param.add_(velocity, alpha=-lr)


# --8<-- [end:ema_momentum]


def ema_momentum_step(
    params: list[Tensor],
    grads: list[Tensor],
    velocities: list[Tensor],
    *,
    lr: float | Tensor,
    alpha: float = 0.9,
    maximize: bool = False,
) -> None:
    r"""Apply one EMA-momentum step to every tensor of ``params``, in place.

    $$
    V \leftarrow \alpha V + (1-\alpha)\nabla L,\qquad \theta \leftarrow \theta - \gamma V .
    $$

    Args:
        params: the parameters $\theta$, updated in place.
        grads: their gradients (not modified).
        velocities: the averages $V$, one per parameter, updated in place.
        lr: the learning rate $\gamma$.
        alpha: the decay $\alpha \in [0, 1)$.
        maximize: ascend instead of descend.
    """
    lr = scalar(lr)
    for param, grad, velocity in zip(params, grads, velocities, strict=True):
        ema_momentum_update(param, grad, velocity, lr=lr, alpha=alpha, maximize=maximize)
