r"""Adam and AdamW, the pure update rule shared by ``refimpl.optim.Adam`` and ``AdamW``.

Adam keeps exponential moving averages of the gradient (first moment, a momentum) and of its
square (second moment, a per-coordinate scale as in RMSprop), corrects both for their start at
zero, and steps along their ratio. AdamW applies weight decay directly to the parameters instead
of adding it to the gradient. This is ``torch.optim.Adam`` / ``AdamW`` exactly:

$$
\begin{aligned}
g_t &= \pm\nabla_\theta L(\theta_{t-1}) \;(+\,\lambda\theta_{t-1} \text{ for L2 decay}), \qquad
\theta_{t-1} \leftarrow (1-\gamma\lambda)\,\theta_{t-1} \ \text{(decoupled decay)}, \\
m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t, \qquad
v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2, \\
\hat m_t &= \frac{m_t}{1-\beta_1^t}, \qquad
\hat v_t = \frac{v_t}{1-\beta_2^t} \quad
(\text{AMSGrad: } \hat v_t = \max_{s \le t} v_s/(1-\beta_2^t)), \\
\theta_t &= \theta_{t-1} - \gamma\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}.
\end{aligned}
$$

Reading list: ``kingma2015adam``, ``loshchilov2019decoupled``, ``reddi2018amsgrad``.
"""

from __future__ import annotations

import torch
from torch import Tensor

from refimpl.functional._utils import scalar

__all__ = ["adam_step", "adam_update"]


# --8<-- [start:adam]
def adam_update(
    param: Tensor,
    grad: Tensor,
    exp_avg: Tensor,
    exp_avg_sq: Tensor,
    max_exp_avg_sq: Tensor | None,
    step: int | float,
    *,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float,
    decoupled_weight_decay: bool,
    maximize: bool,
) -> None:
    """One parameter's Adam (or AdamW) step, in place.

    Args:
        param: the parameter θ, updated in place.
        grad: its gradient ∇L (not modified).
        exp_avg: the first moment m, updated in place.
        exp_avg_sq: the second moment v, updated in place.
        max_exp_avg_sq: the running maximum of v for AMSGrad, updated in place (else ``None``).
        step: the step number t, counting from 1 (this step included).
        lr: the learning rate γ.
        beta1: β₁, the decay of m.
        beta2: β₂, the decay of v.
        eps: ϵ, added to the root (outside it).
        weight_decay: λ.
        decoupled_weight_decay: shrink θ by (1 − γλ) (AdamW) instead of adding λθ to g (Adam).
        maximize: ascend instead of descend.
    """
    g = -grad if maximize else grad
    if weight_decay != 0:
        if decoupled_weight_decay:
            # AdamW: θ ← (1 − γλ) θ, outside the adaptive scaling
            param.mul_(1 - lr * weight_decay)
        else:
            # Adam with L2: g ← g + λθ, which is then rescaled like the loss gradient
            g = g.add(param, alpha=weight_decay)
    # m_t = β₁ m_{t−1} + (1 − β₁) g
    exp_avg.lerp_(g, 1 - beta1)
    # v_t = β₂ v_{t−1} + (1 − β₂) g²
    exp_avg_sq.mul_(beta2).addcmul_(g, g, value=1 - beta2)
    # bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ (the averages start at zero)
    bias_correction1 = 1 - beta1**step
    bias_correction2 = 1 - beta2**step
    if max_exp_avg_sq is not None:
        # AMSGrad: normalise by the largest second moment so far
        max_exp_avg_sq.copy_(max_exp_avg_sq.maximum(exp_avg_sq))
        second = max_exp_avg_sq
    else:
        second = exp_avg_sq
    # √v̂_t + ϵ = √v_t / √(1 − β₂ᵗ) + ϵ
    denom = (second.sqrt() / bias_correction2**0.5).add_(eps)
    # θ_t = θ_{t−1} − γ m̂_t / (√v̂_t + ϵ),  m̂_t = m_t / (1 − β₁ᵗ)
    param.addcdiv_(exp_avg, denom, value=-lr / bias_correction1)


# --8<-- [end:adam]


def adam_step(
    params: list[Tensor],
    grads: list[Tensor],
    exp_avgs: list[Tensor],
    exp_avg_sqs: list[Tensor],
    max_exp_avg_sqs: list[Tensor | None],
    state_steps: list[Tensor],
    *,
    lr: float | Tensor,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    decoupled_weight_decay: bool = False,
    maximize: bool = False,
    foreach: bool | None = None,
) -> None:
    r"""Apply one Adam (or AdamW) step to every tensor of ``params``, in place.

    $$
    m \leftarrow \beta_1 m + (1-\beta_1) g,\quad
    v \leftarrow \beta_2 v + (1-\beta_2) g^2,\quad
    \theta \leftarrow \theta - \gamma\,\frac{m/(1-\beta_1^t)}{\sqrt{v/(1-\beta_2^t)} + \epsilon}.
    $$

    Args:
        params: the parameters $\theta$, updated in place.
        grads: their gradients (not modified).
        exp_avgs: the first moments $m$, updated in place.
        exp_avg_sqs: the second moments $v$, updated in place.
        max_exp_avg_sqs: the AMSGrad maxima, or ``None`` entries without AMSGrad.
        state_steps: the step counters $t$ (scalar tensors), incremented in place.
        lr: the learning rate $\gamma$.
        beta1: $\beta_1$.
        beta2: $\beta_2$.
        eps: $\epsilon$.
        weight_decay: $\lambda$.
        decoupled_weight_decay: decay the parameters directly (AdamW) instead of the gradient.
        maximize: ascend instead of descend.
        foreach: update all tensors at once with ``torch._foreach_*`` kernels (the default,
            ``None``, does so); ``False`` runs ``adam_update`` one tensor at a time. Both give
            the same numbers.
    """
    lr = scalar(lr)
    if foreach is not False and params:
        _adam_foreach(
            params,
            grads,
            exp_avgs,
            exp_avg_sqs,
            max_exp_avg_sqs,
            state_steps,
            lr=lr,
            beta1=beta1,
            beta2=beta2,
            eps=eps,
            weight_decay=weight_decay,
            decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize,
        )
        return
    for i, param in enumerate(params):
        state_steps[i] += 1
        adam_update(
            param,
            grads[i],
            exp_avgs[i],
            exp_avg_sqs[i],
            max_exp_avg_sqs[i],
            state_steps[i].item(),
            lr=lr,
            beta1=beta1,
            beta2=beta2,
            eps=eps,
            weight_decay=weight_decay,
            decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize,
        )


def _adam_foreach(
    params: list[Tensor],
    grads: list[Tensor],
    exp_avgs: list[Tensor],
    exp_avg_sqs: list[Tensor],
    max_exp_avg_sqs: list[Tensor | None],
    state_steps: list[Tensor],
    *,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float,
    decoupled_weight_decay: bool,
    maximize: bool,
) -> None:
    """``adam_update`` on all tensors at once: the same operations, one kernel per list."""
    g = torch._foreach_neg(grads) if maximize else grads
    torch._foreach_add_(state_steps, 1)
    if weight_decay != 0:
        if decoupled_weight_decay:
            # θ ← (1 − γλ) θ
            torch._foreach_mul_(params, 1 - lr * weight_decay)
        else:
            # g ← g + λθ
            g = torch._foreach_add(g, params, alpha=weight_decay)
    # m_t = β₁ m_{t−1} + (1 − β₁) g;  v_t = β₂ v_{t−1} + (1 − β₂) g²
    torch._foreach_lerp_(exp_avgs, g, 1 - beta1)
    torch._foreach_mul_(exp_avg_sqs, beta2)
    torch._foreach_addcmul_(exp_avg_sqs, g, g, 1 - beta2)
    steps = [step.item() for step in state_steps]
    second = exp_avg_sqs
    if max_exp_avg_sqs and max_exp_avg_sqs[0] is not None:
        maxima = [m for m in max_exp_avg_sqs if m is not None]
        torch._foreach_maximum_(maxima, exp_avg_sqs)
        second = maxima
    # √v̂_t + ϵ = √v_t / √(1 − β₂ᵗ) + ϵ
    denom = torch._foreach_sqrt(second)
    torch._foreach_div_(denom, [(1 - beta2**t) ** 0.5 for t in steps])
    torch._foreach_add_(denom, eps)
    # θ_t = θ_{t−1} − γ/(1 − β₁ᵗ) · m_t / (√v̂_t + ϵ)
    torch._foreach_addcdiv_(params, exp_avgs, denom, [-lr / (1 - beta1**t) for t in steps])
