r"""Learning-rate schedules in closed form: the factor by which step $t$ scales the base rate.

$$
\begin{aligned}
\text{step:}\quad & \gamma_t = \gamma_0\, d^{\lfloor t/s \rfloor}, \\
\text{exponential:}\quad & \gamma_t = \gamma_0\, d^{t}, \\
\text{cosine:}\quad & \gamma_t = \gamma_{\min} + \tfrac12(\gamma_0 - \gamma_{\min})
\big(1 + \cos(\pi t / T)\big), \\
\text{linear (warm-up):}\quad & \gamma_t = \gamma_0\Big(f_0 + (f_1 - f_0)\,
\frac{\min(t, T_w)}{T_w}\Big), \\
\text{warm-up + cosine:}\quad & \gamma_t = \gamma_0\,\frac{t+1}{T_w} \ (t < T_w),\quad
\text{then cosine from } \gamma_0 \text{ to } \gamma_{\min} \text{ over } T - T_w \text{ steps}.
\end{aligned}
$$

Here $t$ counts scheduler steps (usually epochs) from $0$. The classes in
``refimpl.optim.lr_scheduler`` call these functions. Reading list: ``goodfellow2016``
(section 8.3.1), ``loshchilov2017sgdr``, ``goyal2017accurate``.
"""

from __future__ import annotations

import math

__all__ = ["cosine_lr", "exponential_lr", "linear_lr", "step_lr", "warmup_cosine_lr"]


# --8<-- [start:schedules]
def step_lr(t: int, base_lr: float, step_size: int, gamma: float = 0.1) -> float:
    """γ_t = γ₀ d^⌊t/s⌋: multiply by ``gamma`` every ``step_size`` steps."""
    return base_lr * gamma ** (t // step_size)


def exponential_lr(t: int, base_lr: float, gamma: float) -> float:
    """γ_t = γ₀ dᵗ: multiply by ``gamma`` every step."""
    return base_lr * gamma**t


def cosine_lr(t: int, base_lr: float, T_max: int, eta_min: float = 0.0) -> float:
    """γ_t = γ_min + ½ (γ₀ − γ_min)(1 + cos(π t / T)): half a cosine from γ₀ down to γ_min."""
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2


def linear_lr(
    t: int,
    base_lr: float,
    start_factor: float = 1 / 3,
    end_factor: float = 1.0,
    total_iters: int = 5,
) -> float:
    """γ_t = γ₀ (f₀ + (f₁ − f₀) min(t, T_w)/T_w): a linear ramp of the factor, then constant."""
    return base_lr * (
        start_factor + (end_factor - start_factor) * min(t, total_iters) / total_iters
    )


def warmup_cosine_lr(
    t: int, base_lr: float, warmup_steps: int, total_steps: int, eta_min: float = 0.0
) -> float:
    """Linear warm-up to γ₀ over ``warmup_steps``, then cosine decay to γ_min at ``total_steps``."""
    if t < warmup_steps:
        # γ_t = γ₀ (t + 1) / T_w: reaches γ₀ on the last warm-up step
        return base_lr * (t + 1) / warmup_steps
    return cosine_lr(
        min(t, total_steps) - warmup_steps, base_lr, total_steps - warmup_steps, eta_min
    )


# --8<-- [end:schedules]
