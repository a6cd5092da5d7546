r"""Stochastic gradient descent, the pure update rule shared by ``refimpl.optim.SGD``.

Gradient descent moves the parameters against the gradient with step size (learning rate)
$\gamma$; it is the minimiser of the first-order model of the loss plus a squared-norm penalty
(see the gradient-descent page). With a minibatch gradient it is *stochastic* gradient descent.
This module implements exactly the variant in ``torch.optim.SGD``: optional L2 weight decay
$\lambda$, momentum $\mu$ with dampening $\tau$, Nesterov momentum and maximisation,

$$
\begin{aligned}
g_t &= \pm\nabla_\theta L(\theta_{t-1}) + \lambda\,\theta_{t-1}, \\
b_t &= \begin{cases} g_t & t = 1 \\ \mu\, b_{t-1} + (1-\tau)\, g_t & t > 1 \end{cases}, \\
d_t &= \begin{cases} g_t + \mu\, b_t & \text{Nesterov} \\ b_t & \text{otherwise} \end{cases}
\quad (d_t = g_t \text{ when } \mu = 0), \\
\theta_t &= \theta_{t-1} - \gamma\, d_t .
\end{aligned}
$$

The momentum buffer starts at the first gradient itself (not at zero), so dampening only acts
from the second step on. Reading list: ``goodfellow2016`` (sections 4.3 and 8.3),
``bottou2018optimization``.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["sgd_step", "sgd_update"]


# --8<-- [start:sgd]
def sgd_update(
    param: Tensor,
    grad: Tensor,
    buf: Tensor | None,
    *,
    lr: float | Tensor,
    momentum: float,
    dampening: float,
    weight_decay: float | Tensor,
    nesterov: bool,
    maximize: bool,
) -> Tensor | None:
    """One parameter's SGD step, in place.

    Args:
        param: the parameter θ, updated in place.
        grad: its gradient ∇L (not modified).
        buf: its momentum buffer b, or ``None`` before the first step with momentum.
        lr: the learning rate γ.
        momentum: μ; ``0`` gives plain gradient descent.
        dampening: τ.
        weight_decay: λ.
        nesterov: use Nesterov momentum.
        maximize: ascend instead of descend.

    Returns:
        The momentum buffer after the step (``None`` when ``momentum == 0``).
    """
    # g = ∇L, or −∇L when maximising
    g = -grad if maximize else grad
    if weight_decay != 0:
        # g ← g + λθ   (the gradient of the L2 penalty λ/2 ‖θ‖²)
        g = g.add(param, alpha=weight_decay)
    if momentum != 0:
        if buf is None:
            # b_1 = g_1   (the buffer starts at the first gradient: no dampening yet)
            buf = g.detach().clone()
        else:
            # b_t = μ b_{t-1} + (1 − τ) g_t
            buf.mul_(momentum).add_(g, alpha=1 - dampening)
        # d_t = g_t + μ b_t with Nesterov (look ahead along the buffer), else d_t = b_t
        g = g.add(buf, alpha=momentum) if nesterov else buf
    # θ_t = θ_{t-1} − γ d_t
    param.add_(g, alpha=-lr)
    return buf


# --8<-- [end:sgd]


def sgd_step(
    params: list[Tensor],
    grads: list[Tensor],
    momentum_buffers: list[Tensor | None],
    *,
    lr: float | Tensor,
    momentum: float = 0.0,
    dampening: float = 0.0,
    weight_decay: float | Tensor = 0.0,
    nesterov: bool = False,
    maximize: bool = False,
    foreach: bool | None = None,
) -> None:
    r"""Apply one SGD step to every tensor of ``params``, in place.

    For each parameter $\theta$ with gradient $\nabla L$ and momentum buffer $b$:

    $$
    g = \pm\nabla L + \lambda\theta,\qquad
    b \leftarrow \mu b + (1-\tau) g \ (\text{or } b = g \text{ on the first step}),\qquad
    \theta \leftarrow \theta - \gamma\,(g + \mu b \ \text{if Nesterov, else } b).
    $$

    Args:
        params: the parameters $\theta$, updated in place.
        grads: their gradients $\nabla_\theta L$, one per parameter (not modified).
        momentum_buffers: the momentum buffers $b$, one entry per parameter; ``None`` where no
            buffer exists yet. When ``momentum`` is non-zero, missing buffers are created (as a
            copy of the first search direction) and written back into this list; the existing
            ones are updated in place. Ignored when ``momentum == 0``.
        lr: the learning rate (step size) $\gamma$; a float or a one-element tensor.
        momentum: the momentum factor $\mu \ge 0$; ``0`` gives plain (stochastic) gradient descent.
        dampening: $\tau$, scales the new gradient's share of the buffer by $1 - \tau$.
        weight_decay: $\lambda$, the coefficient of the L2 penalty $\tfrac{\lambda}{2}\|\theta\|^2$
            whose gradient $\lambda\theta$ is added to the loss gradient.
        nesterov: use Nesterov momentum, $d = g + \mu b$ (requires $\mu > 0$, $\tau = 0$).
        maximize: ascend instead of descend, i.e. use $-\nabla L$.
        foreach: update all tensors at once with ``torch._foreach_*`` kernels (the default,
            ``None``, does so); ``False`` runs ``sgd_update`` one tensor at a time. Both give
            the same numbers.

    Raises:
        ValueError: if ``grads`` or ``momentum_buffers`` do not have one entry per parameter.

    Example:
        >>> import torch
        >>> theta, grad = torch.tensor([1.0, -2.0]), torch.tensor([0.5, 0.5])
        >>> buffers = [None]
        >>> sgd_step([theta], [grad], buffers, lr=0.1, momentum=0.9)
        >>> theta
        tensor([ 0.9500, -2.0500])
        >>> buffers[0]
        tensor([0.5000, 0.5000])
    """
    if len(grads) != len(params) or len(momentum_buffers) != len(params):
        raise ValueError(
            f"expected one gradient and one momentum buffer per parameter, got {len(params)} "
            f"parameters, {len(grads)} gradients and {len(momentum_buffers)} buffers"
        )
    if isinstance(lr, Tensor) and lr.dim() != 0:
        lr = lr.squeeze()  # a one-element tensor becomes a scalar tensor
    if foreach is not False and params:
        _sgd_foreach(
            params,
            grads,
            momentum_buffers,
            lr=float(lr),
            momentum=momentum,
            dampening=dampening,
            weight_decay=float(weight_decay),
            nesterov=nesterov,
            maximize=maximize,
        )
        return
    for i, (param, grad) in enumerate(zip(params, grads, strict=True)):
        momentum_buffers[i] = sgd_update(
            param,
            grad,
            momentum_buffers[i] if momentum != 0 else None,
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
        )


def _sgd_foreach(
    params: list[Tensor],
    grads: list[Tensor],
    momentum_buffers: list[Tensor | None],
    *,
    lr: float,
    momentum: float,
    dampening: float,
    weight_decay: float,
    nesterov: bool,
    maximize: bool,
) -> None:
    """``sgd_update`` on all tensors at once: the same operations, one kernel per list."""
    g = torch._foreach_neg(grads) if maximize else grads
    if weight_decay != 0:
        # g ← g + λθ
        g = torch._foreach_add(g, params, alpha=weight_decay)
    if momentum != 0:
        old = [i for i, b in enumerate(momentum_buffers) if b is not None]
        if old:
            # b_t = μ b_{t−1} + (1 − τ) g_t
            bufs = [momentum_buffers[i] for i in old]
            torch._foreach_mul_(bufs, momentum)
            torch._foreach_add_(bufs, [g[i] for i in old], alpha=1 - dampening)
        for i, b in enumerate(momentum_buffers):
            if b is None:
                # b_1 = g_1
                momentum_buffers[i] = g[i].detach().clone()
        # d_t = g_t + μ b_t (Nesterov), else d_t = b_t
        bufs = [b for b in momentum_buffers if b is not None]
        g = torch._foreach_add(g, bufs, alpha=momentum) if nesterov else bufs
    # θ_t = θ_{t−1} − γ d_t
    torch._foreach_add_(params, g, alpha=-lr)
