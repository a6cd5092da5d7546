r"""Deep equilibrium model (DEQ): the output of an infinitely deep weight-tied network.

Applying one layer $f_\theta(z, x)$ over and over with the same weights, a DEQ skips to the
limit and defines its output as the fixed point

$$
z^\star = f_\theta(z^\star, x),
$$

found by a root solver (Anderson acceleration here), and trains it with the implicit function
theorem, $\partial\ell/\partial\theta = \partial\ell/\partial z^\star\,
(I - \partial f_\theta/\partial z^\star)^{-1}\,\partial f_\theta/\partial\theta$, so training
memory does not depend on how many solver steps the forward pass took (`bai2019deq`).
"""

from __future__ import annotations

from torch import Tensor, nn

from refimpl.equilibrium.implicit import implicit_fixed_point

__all__ = ["DEQ"]


class DEQ(nn.Module):
    r"""Wrap a layer `f(z, x)` so that `forward(x)` returns its fixed point $z^\star$.

    Args:
        f: a module whose `forward(z, x)` maps a state `z` `(B, hidden_size)` and an input
            `x` to a new state of the same shape; it should be a contraction in `z`.
        hidden_size: features of the state $z$.
        solver: `"anderson"` or `"iteration"`.
        backward: `"solve"` (dense adjoint solve) or `"iterate"` (recurrent backprop, the
            scalable choice for large states).
        tol: relative-residual tolerance of the solvers.
        max_iter: iteration cap of the solvers.
    """

    def __init__(
        self,
        f: nn.Module,
        hidden_size: int,
        solver: str = "anderson",
        backward: str = "iterate",
        tol: float = 1e-12,
        max_iter: int = 500,
    ) -> None:
        super().__init__()
        self.f, self.hidden_size = f, hidden_size
        self.solver, self.backward, self.tol, self.max_iter = solver, backward, tol, max_iter

    def forward(self, x: Tensor, z0: Tensor | None = None) -> Tensor:
        """The equilibrium state for input `x` `(B, ...)`, shape `(B, hidden_size)`."""
        if z0 is None:
            z0 = x.new_zeros(x.shape[0], self.hidden_size)
        return implicit_fixed_point(
            self.f,
            x,
            z0,
            tuple(self.parameters()),
            solver=self.solver,
            backward=self.backward,
            tol=self.tol,
            max_iter=self.max_iter,
        )
