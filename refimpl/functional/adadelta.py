r"""AdaDelta, the pure update rule shared by ``refimpl.optim.Adadelta``.

AdaDelta keeps RMSprop's moving average of squared gradients and replaces the global learning
rate by the root of a second moving average, of squared *updates*, so the step has the units of
the parameter (a diagonal approximation of a Newton step's units). This is
``torch.optim.Adadelta`` exactly:

$$
\begin{aligned}
g_t &= \pm\nabla_\theta L(\theta_{t-1}) + \lambda\theta_{t-1}, \\
v_t &= \rho v_{t-1} + (1-\rho)\, g_t^2, \\
\Delta_t &= \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}}\; g_t, \\
u_t &= \rho u_{t-1} + (1-\rho)\, \Delta_t^2, \\
\theta_t &= \theta_{t-1} - \gamma\, \Delta_t \qquad (\gamma = 1 \text{ in the paper}).
\end{aligned}
$$

Reading list: ``zeiler2012adadelta``.
"""

from __future__ import annotations

from torch import Tensor

from refimpl.functional._utils import scalar

__all__ = ["adadelta_step", "adadelta_update"]


# --8<-- [start:adadelta]
def adadelta_update(
    param: Tensor,
    grad: Tensor,
    square_avg: Tensor,
    acc_delta: Tensor,
    *,
    lr: float,
    rho: float,
    eps: float,
    weight_decay: float,
    maximize: bool,
) -> None:
    """One parameter's AdaDelta step, in place.

    Args:
        param: the parameter θ, updated in place.
        grad: its gradient ∇L (not modified).
        square_avg: the average v of squared gradients, updated in place.
        acc_delta: the average u of squared updates, updated in place.
        lr: γ, a factor on the update (1 in the paper).
        rho: the decay ρ of both averages.
        eps: ϵ, inside both roots.
        weight_decay: λ, the L2 coefficient added to the gradient.
        maximize: ascend instead of descend.
    """
    g = -grad if maximize else grad
    if weight_decay != 0:
        # g ← g + λθ
        g = g.add(param, alpha=weight_decay)
    # v_t = ρ v_{t−1} + (1 − ρ) g²
    square_avg.mul_(rho).addcmul_(g, g, value=1 - rho)
    # Δ_t = √(u_{t−1} + ϵ) / √(v_t + ϵ) · g
    delta = acc_delta.add(eps).sqrt_().div_(square_avg.add(eps).sqrt_()).mul_(g)
    # u_t = ρ u_{t−1} + (1 − ρ) Δ_t²
    acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho)
    # θ_t = θ_{t−1} − γ Δ_t
    param.add_(delta, alpha=-lr)


# --8<-- [end:adadelta]


def adadelta_step(
    params: list[Tensor],
    grads: list[Tensor],
    square_avgs: list[Tensor],
    acc_deltas: list[Tensor],
    state_steps: list[Tensor],
    *,
    lr: float | Tensor = 1.0,
    rho: float = 0.9,
    eps: float = 1e-6,
    weight_decay: float = 0.0,
    maximize: bool = False,
) -> None:
    r"""Apply one AdaDelta step to every tensor of ``params``, in place.

    $$
    v \leftarrow \rho v + (1-\rho) g^2,\quad
    \Delta = \frac{\sqrt{u+\epsilon}}{\sqrt{v+\epsilon}}\, g,\quad
    u \leftarrow \rho u + (1-\rho)\Delta^2,\quad
    \theta \leftarrow \theta - \gamma\Delta .
    $$

    Args:
        params: the parameters $\theta$, updated in place.
        grads: their gradients (not modified).
        square_avgs: the averages $v$ of squared gradients, updated in place.
        acc_deltas: the averages $u$ of squared updates, updated in place.
        state_steps: the step counters (scalar tensors), incremented in place.
        lr: $\gamma$.
        rho: $\rho$.
        eps: $\epsilon$.
        weight_decay: $\lambda$.
        maximize: ascend instead of descend.
    """
    lr = scalar(lr)
    for param, grad, v, u, step_t in zip(
        params, grads, square_avgs, acc_deltas, state_steps, strict=True
    ):
        step_t += 1
        adadelta_update(
            param, grad, v, u, lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize
        )
