r"""The least-control principle (Meulemans et al. 2022) for an equilibrium network.

The free network settles where its dynamics vanish, $\dot\phi = f(\phi, \theta) = 0$; here
$f(\phi, \theta) = -\phi + W\tanh(\phi) + Ux + b$, whose last `n_out` units are the outputs.
During learning an optimal controller adds an input $\psi$ to every unit and steers the network
to an equilibrium whose outputs equal the target $y$, using as little control as possible:

$$
\mathcal H(\theta) = \min_{\phi, \psi}\ \tfrac12\lVert\psi\rVert^2
\quad\text{s.t.}\quad f(\phi, \theta) + \psi = 0,\quad \phi_{\text{out}} = y .
$$

Learning minimises $\mathcal H$. At the optimum $(\phi^\star, \psi^\star)$ the envelope theorem
gives the local rule $\partial\mathcal H/\partial\theta = -\psi^{\star\top}\,\partial f/\partial
\theta$, i.e. $\Delta W \propto \psi^\star\tanh(\phi^\star)^\top$ and $\Delta b \propto \psi^\star$:
each synapse multiplies the control its postsynaptic unit receives with its presynaptic rate.
$\mathcal H = 0$ exactly when the free equilibrium already produces the target
(`meulemans2022lcp`).
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from refimpl.equilibrium.solvers import _solve_each, fixed_point_iteration

__all__ = ["LeastControlNetwork"]


class LeastControlNetwork(nn.Module):
    r"""An equilibrium network $\dot\phi = -\phi + W\tanh(\phi) + Ux + b$ trained by least control.

    Args:
        n_in: input features.
        n_units: units $\phi$; the last `n_out` of them are the outputs.
        n_out: output units.
        gain: initial spectral scale of $W$ (below one keeps the free dynamics contractive).

    Attributes:
        W: recurrent weights `(n_units, n_units)`.
        U: input weights `(n_units, n_in)`.
        b: biases `(n_units,)`.
    """

    def __init__(self, n_in: int, n_units: int, n_out: int, gain: float = 0.5) -> None:
        super().__init__()
        self.n_out = n_out
        self.W = nn.Parameter(torch.randn(n_units, n_units) * gain / (2 * math.sqrt(n_units)))
        self.U = nn.Parameter(torch.randn(n_units, n_in) / math.sqrt(n_in))
        self.b = nn.Parameter(torch.zeros(n_units))

    def f(self, phi: Tensor, x: Tensor) -> Tensor:
        r"""The free dynamics $f(\phi) = -\phi + W\tanh(\phi) + Ux + b$, `phi` `(B, N)`."""
        return -phi + torch.tanh(phi) @ self.W.T + x @ self.U.T + self.b

    @torch.no_grad()
    def free_equilibrium(self, x: Tensor, steps: int = 500) -> Tensor:
        r"""$\phi$ with $f(\phi) = 0$, by iterating $\phi \leftarrow W\tanh(\phi) + Ux + b$."""
        phi0 = x.new_zeros(x.shape[0], self.W.shape[0])
        return fixed_point_iteration(lambda p: p + self.f(p, x), phi0, 1e-14, steps).z

    # --8<-- [start:control]
    @torch.no_grad()
    def optimal_control(self, x: Tensor, y: Tensor, steps: int = 50) -> tuple[Tensor, Tensor]:
        r"""Solve the least-control problem for $\phi^\star$ (controlled) and $\psi^\star$.

        With the outputs clamped to `y`, $\psi = -f(\phi)$, so we minimise
        $\frac12\lVert f(\phi)\rVert^2$ over the hidden units by Gauss–Newton steps.

        Returns:
            `(phi_star, psi_star)`, each `(B, n_units)`.
        """
        n_hidden = self.W.shape[0] - self.n_out
        phi = self.free_equilibrium(x)
        phi[:, n_hidden:] = y  # clamp the outputs to the target
        eye = torch.eye(self.W.shape[0], dtype=x.dtype, device=x.device)
        for _ in range(steps):
            r = self.f(phi, x)  # (B, N), the control needed is psi = -r
            # d f / d phi = -I + W diag(1 - tanh^2 phi); keep the hidden columns
            J = (-eye + self.W * (1 - torch.tanh(phi) ** 2)[:, None, :])[:, :, :n_hidden]
            # Gauss-Newton: (J^T J) delta = -J^T r  (sums, not batched matmuls: tiny sizes)
            JtJ = (J[:, :, :, None] * J[:, :, None, :]).sum(1)  # (B, n_hidden, n_hidden)
            JtJ = JtJ + 1e-12 * eye[:n_hidden, :n_hidden]
            Jtr = (J * r[:, :, None]).sum(1)  # (B, n_hidden)
            delta = _solve_each(JtJ, -Jtr)  # (B, n_hidden)
            phi[:, :n_hidden] += delta
            if delta.abs().max() <= 1e-13 * (1 + phi.abs().max()):
                break
        return phi, -self.f(phi, x)
        # --8<-- [end:control]

    def least_control_objective(self, x: Tensor, y: Tensor) -> Tensor:
        r"""$\mathcal H(\theta) = \frac12\lVert\psi^\star\rVert^2$ summed over the batch."""
        _, psi = self.optimal_control(x, y)
        return 0.5 * (psi**2).sum()

    # --8<-- [start:rule]
    def lcp_gradient(self, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor, Tensor, Tensor]:
        r"""$\partial\mathcal H/\partial(W, U, b) = -\psi^{\star\top}\partial f/\partial\theta$.

        Returns:
            Gradients shaped like `W`, `U`, `b`, each a product of the control $\psi^\star$ at
            the postsynaptic unit and a presynaptic quantity, and the objective $\mathcal H$.
        """
        phi, psi = self.optimal_control(x, y)
        # dH/dW = -psi tanh(phi)^T ; dH/dU = -psi x^T ; dH/db = -psi   (summed over the batch)
        return -psi.T @ torch.tanh(phi), -psi.T @ x, -psi.sum(0), 0.5 * (psi**2).sum()
        # --8<-- [end:rule]
