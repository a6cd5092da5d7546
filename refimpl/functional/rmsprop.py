r"""RMSprop, the pure update rule shared by ``refimpl.optim.RMSprop``.

RMSprop divides the gradient by the root of an exponential moving average of its square, a
running estimate of the gradient's scale per coordinate; unlike AdaGrad's sum, the average
forgets, so the step size does not decay to zero. This is ``torch.optim.RMSprop`` exactly,
including its centred and momentum variants:

$$
\begin{aligned}
g_t &= \pm\nabla_\theta L(\theta_{t-1}) + \lambda\theta_{t-1}, \\
s_t &= \alpha s_{t-1} + (1-\alpha)\, g_t^2, \qquad
\bar g_t = \alpha \bar g_{t-1} + (1-\alpha)\, g_t \ \ (\text{centred only}), \\
d_t &= \frac{g_t}{\sqrt{s_t - \bar g_t^2} + \epsilon} \ \text{(centred) or }
\frac{g_t}{\sqrt{s_t} + \epsilon}, \\
b_t &= \mu b_{t-1} + d_t \ \ (b_0 = 0), \qquad
\theta_t = \theta_{t-1} - \gamma\, b_t \ \ (\text{or } \gamma d_t \text{ when } \mu = 0).
\end{aligned}
$$

Note that torch adds $\epsilon$ *outside* the square root; the slides' form puts it inside (see
``refimpl.functional.slide_adam``). Reading list: ``tieleman2012rmsprop``, ``goodfellow2016``
(section 8.5.2).
"""

from __future__ import annotations

import torch
from torch import Tensor

from refimpl.functional._utils import scalar

__all__ = ["rmsprop_step", "rmsprop_update"]


# --8<-- [start:rmsprop]
def rmsprop_update(
    param: Tensor,
    grad: Tensor,
    square_avg: Tensor,
    grad_avg: Tensor | None,
    momentum_buffer: Tensor | None,
    *,
    lr: float,
    alpha: float,
    eps: float,
    weight_decay: float,
    momentum: float,
    maximize: bool,
) -> None:
    """One parameter's RMSprop step, in place.

    Args:
        param: the parameter θ, updated in place.
        grad: its gradient ∇L (not modified).
        square_avg: the average s of squared gradients, updated in place.
        grad_avg: the average ḡ of gradients for the centred variant (else ``None``).
        momentum_buffer: the buffer b when ``momentum > 0`` (else ``None``).
        lr: the learning rate γ.
        alpha: the smoothing constant α of both averages.
        eps: ϵ, added to the root.
        weight_decay: λ, the L2 coefficient added to the gradient.
        momentum: μ.
        maximize: ascend instead of descend.
    """
    g = -grad if maximize else grad
    if weight_decay != 0:
        # g ← g + λθ
        g = g.add(param, alpha=weight_decay)
    # s_t = α s_{t−1} + (1 − α) g²
    square_avg.mul_(alpha).addcmul_(g, g, value=1 - alpha)
    if grad_avg is not None:
        # ḡ_t = α ḡ_{t−1} + (1 − α) g;  the root of the variance estimate s_t − ḡ_t²
        grad_avg.lerp_(g, 1 - alpha)
        avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
    else:
        avg = square_avg.sqrt()
    avg = avg.add_(eps)
    if momentum_buffer is not None:
        # b_t = μ b_{t−1} + g / (√s_t + ϵ);  θ_t = θ_{t−1} − γ b_t
        momentum_buffer.mul_(momentum).addcdiv_(g, avg)
        param.add_(momentum_buffer, alpha=-lr)
    else:
        # θ_t = θ_{t−1} − γ g / (√s_t + ϵ)
        param.addcdiv_(g, avg, value=-lr)


# --8<-- [end:rmsprop]


def rmsprop_step(
    params: list[Tensor],
    grads: list[Tensor],
    square_avgs: list[Tensor],
    grad_avgs: list[Tensor | None],
    momentum_buffers: list[Tensor | None],
    state_steps: list[Tensor],
    *,
    lr: float | Tensor,
    alpha: float = 0.99,
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    momentum: float = 0.0,
    maximize: bool = False,
    foreach: bool | None = None,
) -> None:
    r"""Apply one RMSprop step to every tensor of ``params``, in place.

    $$
    s \leftarrow \alpha s + (1-\alpha) g^2,\qquad
    b \leftarrow \mu b + \frac{g}{\sqrt{s} + \epsilon},\qquad
    \theta \leftarrow \theta - \gamma b .
    $$

    Args:
        params: the parameters $\theta$, updated in place.
        grads: their gradients (not modified).
        square_avgs: the averages $s$ of squared gradients, updated in place.
        grad_avgs: the averages $\bar g$ of the centred variant, or ``None`` entries.
        momentum_buffers: the buffers $b$ when $\mu > 0$, or ``None`` entries.
        state_steps: the step counters (scalar tensors), incremented in place.
        lr: the learning rate $\gamma$.
        alpha: the smoothing constant $\alpha$.
        eps: $\epsilon$, added outside the root.
        weight_decay: $\lambda$.
        momentum: $\mu$.
        maximize: ascend instead of descend.
        foreach: update all tensors at once with ``torch._foreach_*`` kernels (the default,
            ``None``, does so); ``False`` runs ``rmsprop_update`` one tensor at a time. Both
            give the same numbers.
    """
    lr = scalar(lr)
    if foreach is not False and params:
        torch._foreach_add_(state_steps, 1)
        _rmsprop_foreach(
            params,
            grads,
            square_avgs,
            grad_avgs,
            momentum_buffers,
            lr=lr,
            alpha=alpha,
            eps=eps,
            weight_decay=weight_decay,
            momentum=momentum,
            maximize=maximize,
        )
        return
    for i, param in enumerate(params):
        state_steps[i] += 1
        rmsprop_update(
            param,
            grads[i],
            square_avgs[i],
            grad_avgs[i],
            momentum_buffers[i],
            lr=lr,
            alpha=alpha,
            eps=eps,
            weight_decay=weight_decay,
            momentum=momentum,
            maximize=maximize,
        )


def _rmsprop_foreach(
    params: list[Tensor],
    grads: list[Tensor],
    square_avgs: list[Tensor],
    grad_avgs: list[Tensor | None],
    momentum_buffers: list[Tensor | None],
    *,
    lr: float,
    alpha: float,
    eps: float,
    weight_decay: float,
    momentum: float,
    maximize: bool,
) -> None:
    """``rmsprop_update`` on all tensors at once: the same operations, one kernel per list."""
    g = torch._foreach_neg(grads) if maximize else grads
    if weight_decay != 0:
        # g ← g + λθ
        g = torch._foreach_add(g, params, alpha=weight_decay)
    # s_t = α s_{t−1} + (1 − α) g²
    torch._foreach_mul_(square_avgs, alpha)
    torch._foreach_addcmul_(square_avgs, g, g, 1 - alpha)
    if grad_avgs and grad_avgs[0] is not None:
        averages = [a for a in grad_avgs if a is not None]
        # ḡ_t = α ḡ_{t−1} + (1 − α) g;  √(s_t − ḡ_t²)
        torch._foreach_lerp_(averages, g, 1 - alpha)
        avg = torch._foreach_addcmul(square_avgs, averages, averages, -1)
        torch._foreach_sqrt_(avg)
    else:
        avg = torch._foreach_sqrt(square_avgs)
    torch._foreach_add_(avg, eps)
    if momentum_buffers and momentum_buffers[0] is not None:
        buffers = [b for b in momentum_buffers if b is not None]
        # b_t = μ b_{t−1} + g / (√s_t + ϵ);  θ_t = θ_{t−1} − γ b_t
        torch._foreach_mul_(buffers, momentum)
        torch._foreach_addcdiv_(buffers, g, avg)
        torch._foreach_add_(params, buffers, alpha=-lr)
    else:
        # θ_t = θ_{t−1} − γ g / (√s_t + ϵ)
        torch._foreach_addcdiv_(params, g, avg, -lr)
