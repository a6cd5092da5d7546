r"""Echo state networks: a fixed random reservoir and a ridge-regression readout.

The reservoir is a recurrent network whose weights are drawn once and never trained,

$$
\tilde x(n) = \tanh\big(W x(n-1) + W^{in} u(n)\big),\qquad
x(n) = (1 - \alpha)\,x(n-1) + \alpha\,\tilde x(n),
$$

with $W$ rescaled to a chosen spectral radius $\rho(W)$ and a leak rate $\alpha \in (0, 1]$
($\alpha = 1$: no leak). Only the linear readout $y(n) = W^{out}x(n) + b$ is learned, by ridge
regression on the collected states, a convex problem with a closed-form solution:

$$
\min_{W^{out}, b}\ \sum_n \lVert W^{out}x(n) + b - y^{target}(n)\rVert^2
  + \beta\lVert W^{out}\rVert_F^2 .
$$

Reading list: ``jaeger2007esn``.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["esn_states", "ridge_readout"]


# --8<-- [start:esn]
def esn_states(
    u: Tensor, W_in: Tensor, W: Tensor, leak_rate: float = 1.0, x0: Tensor | None = None
) -> Tensor:
    r"""Run the reservoir: the states $x(1..T)$, shape `(T, B, N)`, for inputs `u` `(T, B, I)`."""
    x = u.new_zeros(u.shape[1], W.shape[0]) if x0 is None else x0  # (B, N)
    u_proj = u @ W_in.T  # (T, B, N): W_in u(n) for every step at once
    states = []
    for u_n in u_proj:
        # x̃(n) = tanh(W x(n−1) + W_in u(n)),  x(n) = (1 − α) x(n−1) + α x̃(n)
        x = (1 - leak_rate) * x + leak_rate * torch.tanh(x @ W.T + u_n)
        states.append(x)
    return torch.stack(states)


def ridge_readout(states: Tensor, targets: Tensor, ridge: float) -> tuple[Tensor, Tensor]:
    r"""The readout $(W^{out}, b)$ minimising squared error plus $\beta\lVert W^{out}\rVert_F^2$.

    Args:
        states: $x(n)$ stacked, `(S, N)`.
        targets: $y^{target}(n)$, `(S, P)`.
        ridge: $\beta \ge 0$ (the bias is not penalised).

    Returns:
        $W^{out}$ `(P, N)` and $b$ `(P,)`.
    """
    # centre: the unpenalised bias absorbs the means, b = ȳ − W_out x̄
    x_mean, y_mean = states.mean(0), targets.mean(0)
    X, Y = states - x_mean, targets - y_mean
    # W_out^T = (X^T X + β I)^{-1} X^T Y
    gram = X.T @ X + ridge * torch.eye(X.shape[1], dtype=X.dtype, device=X.device)
    W_out = torch.linalg.solve(gram, X.T @ Y).T
    return W_out, y_mean - W_out @ x_mean


# --8<-- [end:esn]
