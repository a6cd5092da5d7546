r"""Equilibrium RNN: a recurrent network read out at its steady state under a constant input.

With the input $x$ held constant in time, the dynamics $\phi_{k+1} = \sigma(W\phi_k + Ux + b)$
settle, when they are contractive, to a fixed point

$$
\phi^\star = \sigma(W\phi^\star + Ux + b),
$$

and the network's output is a function of $\phi^\star$ alone. A feed-forward network is the
special case of a strictly block-lower-triangular $W$ (layer $l$ feeds only layer $l+1$): the
iteration then reaches its fixed point after as many steps as there are layers, and $\phi^\star$
holds the layer activations. Gradients come from the implicit function theorem
(`zucchet2022bilevel`, `almeida1987`, `pineda1987`).
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from refimpl.equilibrium.implicit import implicit_fixed_point

__all__ = ["EquilibriumRNN"]

_ACTIVATIONS = {"tanh": torch.tanh, "sigmoid": torch.sigmoid}


class EquilibriumRNN(nn.Module):
    r"""$\phi^\star = \sigma(W\phi^\star + Ux + b)$, found by a fixed-point solver.

    Args:
        input_size: features of $x$.
        hidden_size: units of $\phi$.
        nonlinearity: $\sigma$, `"tanh"` or `"sigmoid"`.
        solver: `"anderson"` (Anderson acceleration) or `"iteration"` (plain iteration).
        backward: `"solve"` (dense implicit-function-theorem solve) or `"iterate"`
            (recurrent backprop).
        tol: relative-residual tolerance of the solvers.
        max_iter: iteration cap of the solvers.
        gain: $W$ is drawn with spectral norm about `gain` (below one keeps the tanh map
            contractive, so the fixed point exists and is unique).

    Attributes:
        weight_hh: $W$, shape `(hidden_size, hidden_size)`.
        weight_ih: $U$, shape `(hidden_size, input_size)`.
        bias: $b$, shape `(hidden_size,)`.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        nonlinearity: str = "tanh",
        solver: str = "anderson",
        backward: str = "solve",
        tol: float = 1e-12,
        max_iter: int = 500,
        gain: float = 0.8,
    ) -> None:
        super().__init__()
        if nonlinearity not in _ACTIVATIONS:
            raise ValueError(f"nonlinearity must be one of {sorted(_ACTIVATIONS)}")
        self.input_size, self.hidden_size = input_size, hidden_size
        self.nonlinearity, self.solver, self.backward = nonlinearity, solver, backward
        self.tol, self.max_iter = tol, max_iter
        # a square Gaussian matrix with entry std s has spectral norm about 2 s sqrt(H)
        std = gain / (2.0 * math.sqrt(hidden_size))
        self.weight_hh = nn.Parameter(torch.randn(hidden_size, hidden_size) * std)
        bound = 1.0 / math.sqrt(input_size)
        self.weight_ih = nn.Parameter(torch.empty(hidden_size, input_size).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.zeros(hidden_size))

    # --8<-- [start:cell]
    def cell(self, phi: Tensor, x: Tensor) -> Tensor:
        r"""One step of the dynamics, $\sigma(W\phi + Ux + b)$; `phi` `(B, H)`, `x` `(B, I)`."""
        sigma = _ACTIVATIONS[self.nonlinearity]
        return sigma(phi @ self.weight_hh.T + x @ self.weight_ih.T + self.bias)
        # --8<-- [end:cell]

    def forward(self, x: Tensor, phi0: Tensor | None = None) -> Tensor:
        r"""The equilibrium $\phi^\star$ for input `x` `(B, input_size)`, shape `(B, hidden_size)`.

        `phi0` is the solver's starting state (zeros by default).
        """
        if phi0 is None:
            phi0 = x.new_zeros(x.shape[0], self.hidden_size)
        return implicit_fixed_point(
            self.cell,
            x,
            phi0,
            tuple(self.parameters()),
            solver=self.solver,
            backward=self.backward,
            tol=self.tol,
            max_iter=self.max_iter,
        )
