r"""Equilibrium propagation (Scellier & Bengio 2017) on a layered Hopfield-energy network.

Units $s = (h, y)$ (hidden, output) are driven by an input $x$ and settle to a minimum of the
energy (with $\rho$ the logistic sigmoid and each pair of layers coupled symmetrically)

$$
E(s) = \tfrac12\lVert h\rVert^2 + \tfrac12\lVert y\rVert^2 - \rho(h)^\top W_1 x
- \rho(y)^\top W_2\,\rho(h) - b_1^\top\rho(h) - b_2^\top\rho(y).
$$

The total energy $F = E + \beta C$ adds the cost $C = \frac12\lVert y - t\rVert^2$ with a
nudging strength $\beta$. The *free phase* finds $s^0 = \arg\min E$, the *nudged phase*
$s^\beta = \arg\min F$, and

$$
\frac{d\,C(s^0)}{d\theta} = \lim_{\beta\to0}\frac1\beta\Big(\frac{\partial F}{\partial\theta}
(s^\beta) - \frac{\partial F}{\partial\theta}(s^0)\Big),
$$

which for the weights is a contrastive Hebbian rule: the estimate for $W_2$ is
$-\frac1\beta(\rho(y^\beta)\rho(h^\beta)^\top - \rho(y^0)\rho(h^0)^\top)$, so a descent step
strengthens co-activity of the nudged phase and weakens that of the free phase
(`scellier2017ep`, `zucchet2022bilevel`). The one-sided estimate has an $O(\beta)$ bias; the
symmetric one, with phases at $\pm\beta$, an $O(\beta^2)$ bias.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from refimpl.equilibrium.implicit import implicit_fixed_point
from refimpl.equilibrium.solvers import fixed_point_iteration

__all__ = ["EPNetwork"]


class EPNetwork(nn.Module):
    r"""A two-layer Hopfield-energy network trained by equilibrium propagation.

    Args:
        n_in: input features.
        n_hidden: hidden units $h$.
        n_out: output units $y$.
        step: step size $\eta$ of the relaxation $s \leftarrow s - \eta\nabla_s F$, whose fixed
            points are the equilibria (found by plain iteration of this relaxation).

    Attributes:
        W1, b1: input-to-hidden coupling `(n_hidden, n_in)` and hidden bias.
        W2, b2: hidden-to-output coupling `(n_out, n_hidden)` and output bias.
    """

    def __init__(self, n_in: int, n_hidden: int, n_out: int, step: float = 0.5) -> None:
        super().__init__()
        self.n_hidden, self.n_out, self.step = n_hidden, n_out, step
        self.W1 = nn.Parameter(torch.randn(n_hidden, n_in) / math.sqrt(n_in))
        self.b1 = nn.Parameter(torch.zeros(n_hidden))
        self.W2 = nn.Parameter(torch.randn(n_out, n_hidden) / math.sqrt(n_hidden))
        self.b2 = nn.Parameter(torch.zeros(n_out))

    def split(self, s: Tensor) -> tuple[Tensor, Tensor]:
        """`(h, y)` from the concatenated state `s` `(B, n_hidden + n_out)`."""
        return s[:, : self.n_hidden], s[:, self.n_hidden :]

    # --8<-- [start:energy]
    def energy(self, s: Tensor, x: Tensor) -> Tensor:
        """$E(s)$ per example, shape `(B,)`."""
        h, y = self.split(s)
        rh, ry = torch.sigmoid(h), torch.sigmoid(y)
        quad = 0.5 * (s**2).sum(-1)  # 1/2 |h|^2 + 1/2 |y|^2
        # - rho(h)^T W1 x - rho(y)^T W2 rho(h) - b1^T rho(h) - b2^T rho(y)
        coupling = (rh * (x @ self.W1.T)).sum(-1) + (ry * (rh @ self.W2.T)).sum(-1)
        return quad - coupling - rh @ self.b1 - ry @ self.b2

    def cost(self, s: Tensor, target: Tensor) -> Tensor:
        r"""$C = \frac12\lVert y - t\rVert^2$ per example, shape `(B,)`."""
        return 0.5 * ((self.split(s)[1] - target) ** 2).sum(-1)
        # --8<-- [end:energy]

    # --8<-- [start:grad]
    def energy_grad(self, s: Tensor, x: Tensor, target: Tensor, beta: float) -> Tensor:
        r"""$\nabla_s(E + \beta C)$ in closed form, shape `(B, n_hidden + n_out)`.

        $\partial F/\partial h = h - \rho'(h)\odot(W_1x + W_2^\top\rho(y) + b_1)$ and
        $\partial F/\partial y = y - \rho'(y)\odot(W_2\rho(h) + b_2) + \beta(y - t)$: each unit
        needs only its own state and the input it receives through symmetric connections.
        """
        h, y = self.split(s)
        rh, ry = torch.sigmoid(h), torch.sigmoid(y)
        # dF/dh = h - rho'(h) * (W1 x + W2^T rho(y) + b1)
        gh = h - rh * (1 - rh) * (x @ self.W1.T + ry @ self.W2 + self.b1)
        # dF/dy = y - rho'(y) * (W2 rho(h) + b2) + beta (y - t)
        gy = y - ry * (1 - ry) * (rh @ self.W2.T + self.b2) + beta * (y - target)
        return torch.cat([gh, gy], -1)
        # --8<-- [end:grad]

    def relaxation(self, target: Tensor, beta: float):
        r"""The map $s \mapsto s - \eta\,\nabla_s(E + \beta C)$ whose fixed point is $s^\beta$."""
        return lambda s, x: s - self.step * self.energy_grad(s, x, target, beta)

    @torch.no_grad()
    def equilibrium(self, x: Tensor, target: Tensor, beta: float = 0.0) -> Tensor:
        r"""$s^\beta = \arg\min_s E(s) + \beta C(s)$ for a batch `x` `(B, n_in)`."""
        s0 = x.new_zeros(x.shape[0], self.n_hidden + self.n_out)
        f = self.relaxation(target, beta)
        return fixed_point_iteration(lambda s: f(s, x), s0, tol=1e-14, max_iter=5000).z

    def loss_at_equilibrium(self, x: Tensor, target: Tensor) -> Tensor:
        r"""$\mathcal{L}(\theta) = \sum_b C(s^0_b)$ with implicit-function-theorem gradients."""
        s0 = x.new_zeros(x.shape[0], self.n_hidden + self.n_out)
        s = implicit_fixed_point(
            self.relaxation(target, 0.0),
            x,
            s0,
            tuple(self.parameters()),
            solver="iteration",
            tol=1e-14,
            max_iter=5000,
        )
        return self.cost(s, target).sum()

    # --8<-- [start:ep]
    def ep_gradient(
        self, x: Tensor, target: Tensor, beta: float, symmetric: bool = False
    ) -> list[Tensor]:
        r"""The equilibrium-propagation estimate of $d\mathcal{L}/d\theta$ for every parameter.

        Args:
            x: inputs `(B, n_in)`.
            target: targets `(B, n_out)`.
            beta: nudging strength $\beta > 0$.
            symmetric: contrast $s^{\beta}$ with $s^{-\beta}$ (bias $O(\beta^2)$) instead of
                $s^\beta$ with the free state $s^0$ (bias $O(\beta)$).

        Returns:
            Estimates shaped like `W1, b1, W2, b2`.
        """
        s_plus = self.equilibrium(x, target, beta)
        s_minus = self.equilibrium(x, target, -beta if symmetric else 0.0)
        span = 2 * beta if symmetric else beta
        (h_p, y_p), (h_m, y_m) = self.split(s_plus), self.split(s_minus)
        hp, yp, hm, ym = (torch.sigmoid(t) for t in (h_p, y_p, h_m, y_m))
        # dE/dW1 = -rho(h) x^T ; dE/dW2 = -rho(y) rho(h)^T ; dE/db = -rho(.)  (summed over batch)
        # estimate = (1/beta) (dF/dtheta(s^beta) - dF/dtheta(s^0)): contrastive Hebbian terms
        gW1 = -((hp - hm).T @ x) / span
        gb1 = -(hp - hm).sum(0) / span
        gW2 = -(yp.T @ hp - ym.T @ hm) / span
        gb2 = -(yp - ym).sum(0) / span
        return [gW1, gb1, gW2, gb2]
        # --8<-- [end:ep]
