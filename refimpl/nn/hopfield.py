r"""Hopfield networks, binary (1982) and continuous (1984), with their energy functions.

Binary units $s_i \in \{-1, +1\}$ with symmetric weights $W = W^\top$, zero diagonal and bias
$b$ have the energy

$$
E(s) = -\tfrac12 s^\top W s - b^\top s ,
$$

and the asynchronous update of one unit, $s_i \leftarrow \mathrm{sign}(\sum_j W_{ij}s_j + b_i)$,
never increases it (`hopfield1982`). Hebbian storage $W = \frac1N\sum_\mu \xi^\mu\xi^{\mu\top}$
(diagonal zeroed) makes random patterns $\xi^\mu$ fixed points while their number stays well
below about $0.14N$.

Graded-response units with potential $u$ and output $V = \rho(u)$ ($\rho$ strictly increasing,
here the logistic sigmoid) follow $\dot u = -u + W\rho(u) + b$. For symmetric $W$

$$
E(V) = -\tfrac12 V^\top W V - b^\top V + \sum_i \int_0^{V_i}\rho^{-1}(v)\,dv
$$

is a Lyapunov function: $\dot E = -\sum_i \rho'(u_i)\,\dot u_i^2 \le 0$ (`hopfield1984`).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

__all__ = ["HopfieldNetwork"]


class HopfieldNetwork(nn.Module):
    r"""A fully connected Hopfield network of `size` units, binary or continuous.

    Args:
        size: number of units $N$.
        mode: `"binary"` ($\pm1$ units, asynchronous sign updates) or `"continuous"`
            (graded sigmoid units, Euler-integrated dynamics).

    Attributes:
        weight: $W$, shape `(N, N)`. The energy is a Lyapunov function only when it is
            symmetric with zero diagonal; it is not forced to be, so that the page can show what
            goes wrong otherwise.
        bias: $b$, shape `(N,)`.
    """

    def __init__(self, size: int, mode: str = "binary") -> None:
        super().__init__()
        if mode not in ("binary", "continuous"):
            raise ValueError("mode must be 'binary' or 'continuous'")
        self.size, self.mode = size, mode
        self.weight = nn.Parameter(torch.zeros(size, size))
        self.bias = nn.Parameter(torch.zeros(size))

    @torch.no_grad()
    def store(self, patterns: Tensor) -> None:
        r"""Hebbian storage $W = \frac1N\sum_\mu \xi^\mu\xi^{\mu\top}$, zero diagonal, $b = 0$.

        Args:
            patterns: $\pm1$ patterns, shape `(P, N)`.
        """
        # W = (1/N) sum_mu xi^mu xi^mu^T
        W = patterns.T @ patterns / self.size  # (N, N)
        self.weight.copy_(W.fill_diagonal_(0.0))
        self.bias.zero_()

    # --8<-- [start:energy]
    def energy(self, state: Tensor) -> Tensor:
        r"""The energy of `state` `(B, N)`, shape `(B,)`.

        Binary: $-\frac12 s^\top W s - b^\top s$. Continuous (`state` is the potential $u$):
        $-\frac12 V^\top W V - b^\top V + \sum_i [V_i\log V_i + (1-V_i)\log(1-V_i)]$ with
        $V = \sigma(u)$; the bracket is $\int_0^{V_i}\sigma^{-1}$ for the logistic sigmoid.
        """
        v = state if self.mode == "binary" else torch.sigmoid(state)
        # -1/2 v^T W v - b^T v
        e = -0.5 * ((v @ self.weight.T) * v).sum(-1) - v @ self.bias
        if self.mode == "continuous":
            # sum_i int_0^{V_i} logit(t) dt = V log V + (1 - V) log(1 - V), logs via softplus
            log_v, log_1mv = -nn.functional.softplus(-state), -nn.functional.softplus(state)
            e = e + (v * log_v + (1 - v) * log_1mv).sum(-1)
        return e
        # --8<-- [end:energy]

    # --8<-- [start:async]
    @torch.no_grad()
    def update_unit(self, s: Tensor, i: int) -> Tensor:
        r"""Asynchronous update of unit `i` in every row of `s` `(B, N)`, in place.

        $s_i \leftarrow \mathrm{sign}(\sum_j W_{ij} s_j + b_i)$; a zero field leaves $s_i$ as is.
        """
        field = s @ self.weight[i] + self.bias[i]  # (B,)
        s[:, i] = torch.where(field == 0, s[:, i], torch.sign(field))
        return s
        # --8<-- [end:async]

    @torch.no_grad()
    def sweep(self, s: Tensor, order: Tensor | None = None) -> Tensor:
        """One asynchronous sweep: update every unit once, in `order` (default `0..N-1`)."""
        for i in order.tolist() if order is not None else range(self.size):
            self.update_unit(s, i)
        return s

    # --8<-- [start:flow]
    def velocity(self, u: Tensor) -> Tensor:
        r"""$\dot u = -u + W\sigma(u) + b$ for potentials `u` `(B, N)` (continuous mode)."""
        return -u + torch.sigmoid(u) @ self.weight.T + self.bias
        # --8<-- [end:flow]

    def forward(self, state: Tensor, steps: int = 100, dt: float = 0.1) -> Tensor:
        """Run the dynamics from `state` `(B, N)`: `steps` asynchronous sweeps (binary) or
        `steps` Euler steps of size `dt` (continuous). Returns the final state."""
        if self.mode == "binary":
            s = state.clone()
            for _ in range(steps):
                self.sweep(s)
            return s
        u = state
        for _ in range(steps):
            # u <- u + dt * (-u + W sigma(u) + b)
            u = u + dt * self.velocity(u)
        return u
