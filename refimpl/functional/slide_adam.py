r"""The slides' RMSprop / "~Adam" form, the rule of ``refimpl.optim.SlideAdam``/``SlideRMSprop``.

The lecture notes write an adaptive method with an EMA momentum in the numerator, an EMA of
squared gradients in the denominator, no bias correction, and $\epsilon$ *inside* the root:

$$
V_t = \alpha V_{t-1} + (1-\alpha)\, g_t, \qquad
S_t = \beta S_{t-1} + (1-\beta)\, g_t^2, \qquad
\theta_t = \theta_{t-1} - \gamma\,\frac{V_t}{\sqrt{S_t + \epsilon}},
$$

with $V_0 = S_0 = 0$. With $\alpha = 0$ ($V_t = g_t$) it is RMSprop as Tieleman and Hinton
wrote it (torch's ``RMSprop`` puts $\epsilon$ outside the root). With $\epsilon = 0$ it is Adam
run with the step-dependent learning rate $\gamma\,(1-\alpha^t)/\sqrt{1-\beta^t}$, i.e. Adam
without its bias corrections. Reading list: ``tieleman2012rmsprop``, ``kingma2015adam``.
"""

from __future__ import annotations

from torch import Tensor

from refimpl.functional._utils import scalar

__all__ = ["slide_adam_step", "slide_adam_update"]


# --8<-- [start:slide_adam]
def slide_adam_update(
    param: Tensor,
    grad: Tensor,
    velocity: Tensor | None,
    square_avg: Tensor,
    *,
    lr: float,
    alpha: float,
    beta: float,
    eps: float,
    maximize: bool,
) -> None:
    """One parameter's step of the slides' adaptive form, in place.

    Args:
        param: the parameter θ, updated in place.
        grad: its gradient ∇L (not modified).
        velocity: the EMA V of gradients, updated in place; ``None`` means α = 0 (V_t = g_t).
        square_avg: the EMA S of squared gradients, updated in place.
        lr: the learning rate γ.
        alpha: α, the decay of V.
        beta: β, the decay of S.
        eps: ϵ, inside the square root.
        maximize: ascend instead of descend.
    """
    g = -grad if maximize else grad
    # S_t = β S_{t−1} + (1 − β) g²
    square_avg.mul_(beta).addcmul_(g, g, value=1 - beta)
    if velocity is not None:
        # V_t = α V_{t−1} + (1 − α) g
        velocity.lerp_(g, 1 - alpha)
        g = velocity
    # θ_t = θ_{t−1} − γ V_t / √(S_t + ϵ)
    param.addcdiv_(g, square_avg.add(eps).sqrt_(), value=-lr)


# --8<-- [end:slide_adam]


def slide_adam_step(
    params: list[Tensor],
    grads: list[Tensor],
    velocities: list[Tensor | None],
    square_avgs: list[Tensor],
    *,
    lr: float | Tensor,
    alpha: float = 0.9,
    beta: float = 0.999,
    eps: float = 1e-8,
    maximize: bool = False,
) -> None:
    r"""Apply one step of the slides' form to every tensor of ``params``, in place.

    $$
    V \leftarrow \alpha V + (1-\alpha) g,\qquad S \leftarrow \beta S + (1-\beta) g^2,\qquad
    \theta \leftarrow \theta - \gamma\, V/\sqrt{S + \epsilon}.
    $$

    Args:
        params: the parameters $\theta$, updated in place.
        grads: their gradients (not modified).
        velocities: the averages $V$, or ``None`` entries for $\alpha = 0$ (RMSprop).
        square_avgs: the averages $S$, updated in place.
        lr: the learning rate $\gamma$.
        alpha: $\alpha$.
        beta: $\beta$.
        eps: $\epsilon$, inside the root.
        maximize: ascend instead of descend.
    """
    lr = scalar(lr)
    for param, grad, v, s in zip(params, grads, velocities, square_avgs, strict=True):
        slide_adam_update(
            param, grad, v, s, lr=lr, alpha=alpha, beta=beta, eps=eps, maximize=maximize
        )
