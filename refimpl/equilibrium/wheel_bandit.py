r"""The wheel bandit: a contextual bandit whose exploration difficulty is one number, $\delta$.

Contexts $X$ are uniform on the unit disc; there are five actions. Every action pays a Gaussian
reward of mean $\mu_a$ (1 for actions 1–4, 1.2 for action 5, the safe one) and small standard
deviation. When $\lVert X\rVert \ge \delta$, the action of $X$'s quadrant instead pays a mean of
$\mu_{\text{large}} = 50$: action 1 for $X_1 > 0, X_2 > 0$, action 2 for $X_1 > 0, X_2 \le 0$,
action 3 for $X_1 \le 0, X_2 > 0$, action 4 for $X_1 \le 0, X_2 \le 0$. A learner that never
explores settles on the safe action and loses
$\mathbb E[\text{regret}] = (1 - \delta^2)(\mu_{\text{large}} - 1.2)$ per step, since
$P(\lVert X\rVert\ge\delta) = 1 - \delta^2$; the larger $\delta$, the rarer and the more
valuable the outer regions are (`riquelme2018bandits`). In meta-learning, each task draws its
own $\delta$ and the slow weights learn where the boundary tends to be.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

__all__ = ["wheel_contexts", "wheel_expected_rewards", "wheel_rewards", "wheel_safe_regret"]

#: Mean reward of each action inside the disc of radius delta (action 5 is the safe one).
MEANS = (1.0, 1.0, 1.0, 1.0, 1.2)
#: Mean reward of the quadrant's action outside the disc.
MU_LARGE = 50.0


def wheel_contexts(
    n: int,
    generator: torch.Generator | None = None,
    dtype: torch.dtype = torch.float32,
    device: torch.device | None = None,
) -> Tensor:
    r"""`n` contexts uniform on the unit disc, shape `(n, 2)`.

    Radius $\sqrt U$ and angle $2\pi V$ with $U, V\sim\mathcal U(0, 1)$ give a uniform density
    on the disc (the area within radius $r$ is proportional to $r^2$).
    """
    u = torch.rand(2, n, generator=generator, dtype=dtype, device=device)
    radius, angle = u[0].sqrt(), 2 * math.pi * u[1]
    return torch.stack([radius * angle.cos(), radius * angle.sin()], 1)  # (n, 2)


# --8<-- [start:wheel]
def wheel_expected_rewards(
    contexts: Tensor, delta: float, means: tuple[float, ...] = MEANS, mu_large: float = MU_LARGE
) -> Tensor:
    """Expected reward of each of the five actions for each context, shape `(n, 5)`."""
    n = contexts.shape[0]
    mu = torch.tensor(means, dtype=contexts.dtype, device=contexts.device).expand(n, -1).clone()
    x1_pos, x2_pos = contexts[:, 0] > 0, contexts[:, 1] > 0
    # the quadrant's action: 0 for (+, +), 1 for (+, -), 2 for (-, +), 3 for (-, -)
    quadrant = 2 * (~x1_pos).long() + (~x2_pos).long()  # (n,)
    outside = contexts.norm(dim=1) >= delta
    rows = torch.arange(n, device=contexts.device)[outside]
    mu[rows, quadrant[outside]] = mu_large
    return mu
    # --8<-- [end:wheel]


def wheel_rewards(
    contexts: Tensor,
    delta: float,
    std: float = 0.01,
    std_large: float = 0.01,
    generator: torch.Generator | None = None,
) -> Tensor:
    """Sampled rewards of all five actions, shape `(n, 5)`: Gaussian around the expected ones."""
    mu = wheel_expected_rewards(contexts, delta)
    scale = torch.where(mu == MU_LARGE, std_large, std)
    noise = torch.randn(mu.shape, generator=generator, dtype=mu.dtype, device=mu.device)
    return mu + scale * noise


def wheel_safe_regret(delta: float, mu_large: float = MU_LARGE) -> float:
    r"""Per-step expected regret of always playing the safe action.

    Returns:
        $(1-\delta^2)(\mu_{\text{large}} - 1.2)$: the outer regions have probability
        $1 - \delta^2$ and there the safe action misses $\mu_{\text{large}} - 1.2$.
    """
    return (1 - delta**2) * (mu_large - max(MEANS))
