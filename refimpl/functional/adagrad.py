r"""AdaGrad, the pure update rule shared by ``refimpl.optim.Adagrad``.

AdaGrad gives every coordinate its own step size, shrinking it by the root of the sum of all
squared gradients that coordinate has seen, so that rarely-updated coordinates keep large steps
and frequently-updated ones slow down. This is ``torch.optim.Adagrad`` exactly:

$$
\begin{aligned}
g_t &= \pm\nabla_\theta L(\theta_{t-1}) + \lambda\theta_{t-1}, \qquad
\tilde\gamma_t = \frac{\gamma}{1 + (t-1)\,\eta}, \\
r_t &= r_{t-1} + g_t \odot g_t \quad (r_0 = \text{initial accumulator}), \\
\theta_t &= \theta_{t-1} - \tilde\gamma_t\, \frac{g_t}{\sqrt{r_t} + \delta}.
\end{aligned}
$$

Reading list: ``duchi2011adagrad``, ``goodfellow2016`` (section 8.5.1).
"""

from __future__ import annotations

from torch import Tensor

from refimpl.functional._utils import scalar

__all__ = ["adagrad_step", "adagrad_update"]


# --8<-- [start:adagrad]
def adagrad_update(
    param: Tensor,
    grad: Tensor,
    state_sum: Tensor,
    step: int | float,
    *,
    lr: float | Tensor,
    lr_decay: float,
    weight_decay: float,
    eps: float,
    maximize: bool,
) -> None:
    """One parameter's AdaGrad step, in place.

    Args:
        param: the parameter θ, updated in place.
        grad: its gradient ∇L (not modified).
        state_sum: the accumulator r of squared gradients, updated in place.
        step: the step number t, counting from 1 (this step included).
        lr: the learning rate γ.
        lr_decay: η, decays the learning rate as γ / (1 + (t − 1)η).
        weight_decay: λ, the L2 coefficient added to the gradient.
        eps: δ, added to √r for numerical stability.
        maximize: ascend instead of descend.
    """
    g = -grad if maximize else grad
    if weight_decay != 0:
        # g ← g + λθ
        g = g.add(param, alpha=weight_decay)
    # γ̃_t = γ / (1 + (t − 1) η)
    clr = lr / (1 + (step - 1) * lr_decay)
    # r_t = r_{t−1} + g ⊙ g
    state_sum.addcmul_(g, g, value=1)
    # θ_t = θ_{t−1} − γ̃_t g / (√r_t + δ)
    param.addcdiv_(g, state_sum.sqrt().add_(eps), value=-clr)


# --8<-- [end:adagrad]


def adagrad_step(
    params: list[Tensor],
    grads: list[Tensor],
    state_sums: list[Tensor],
    state_steps: list[Tensor],
    *,
    lr: float | Tensor,
    lr_decay: float = 0.0,
    weight_decay: float = 0.0,
    eps: float = 1e-10,
    maximize: bool = False,
) -> None:
    r"""Apply one AdaGrad step to every tensor of ``params``, in place.

    $$
    r \leftarrow r + g\odot g,\qquad
    \theta \leftarrow \theta - \frac{\gamma}{1 + (t-1)\eta}\,\frac{g}{\sqrt r + \delta},
    \qquad g = \pm\nabla L + \lambda\theta .
    $$

    Args:
        params: the parameters $\theta$, updated in place.
        grads: their gradients, one per parameter (not modified).
        state_sums: the accumulators $r$, one per parameter, updated in place.
        state_steps: the step counters $t$ (scalar tensors), incremented in place.
        lr: the learning rate $\gamma$.
        lr_decay: $\eta$.
        weight_decay: $\lambda$.
        eps: $\delta$.
        maximize: ascend instead of descend.
    """
    lr = scalar(lr)
    for param, grad, state_sum, step_t in zip(params, grads, state_sums, state_steps, strict=True):
        step_t += 1
        adagrad_update(
            param,
            grad,
            state_sum,
            step_t.item(),
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            eps=eps,
            maximize=maximize,
        )
