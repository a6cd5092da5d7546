r"""Newton's method and damped Newton, as ``torch.optim.Optimizer`` subclasses.

Each step minimises the second-order Taylor model of the loss around the current point,

$$
\theta_{t+1} = \theta_t - \gamma\, H^{-1} g \quad\text{(Newton)},\qquad
\theta_{t+1} = \theta_t - \gamma\, (\eta I + H)^{-1} g \quad\text{(damped Newton)},
$$

with $g$ and $H$ the gradient and Hessian over all parameters flattened. With $\gamma = 1$
Newton solves a quadratic in one step; damping interpolates towards gradient descent with
learning rate $\gamma/\eta$. The Hessian comes from autograd, one backward pass per parameter
entry, so these optimizers are for small models. Reading list: ``dauphin2014``,
``nocedal2006numerical``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import torch
from torch import Tensor

from refimpl.functional.second_order import (
    damped_newton_direction,
    flat_gradient_and_hessian,
    newton_direction,
)

__all__ = ["DampedNewton", "Newton"]

Params = Iterable[Tensor] | Iterable[dict[str, Any]]


class Newton(torch.optim.Optimizer):
    r"""Newton's method: $\theta \leftarrow \theta - \gamma H^{-1}\nabla L$.

    The step needs the loss itself, not just its gradient, so ``step`` takes a closure (as
    ``torch.optim.LBFGS`` does) that recomputes and **returns** the loss; it need not call
    ``backward`` (the optimizer differentiates the loss twice itself, and leaves the gradient
    in each parameter's ``.grad``). The Hessian is formed over the parameters of all groups
    together; each group's slice of the step is scaled by that group's ``lr``.

    Newton's step goes to the critical point of the local quadratic model, whatever its type:
    near a saddle it converges to the saddle (see ``SaddleFreeNewton``).

    Args:
        params: parameters to optimise, or dicts defining parameter groups.
        lr: step size $\gamma$ (default ``1.0``, the full Newton step).

    Example:
        >>> import torch
        >>> from refimpl.optim import Newton
        >>> w = torch.nn.Parameter(torch.tensor([3.0, -1.0], dtype=torch.float64))
        >>> A = torch.tensor([[2.0, 1.0], [1.0, 4.0]], dtype=torch.float64)
        >>> opt = Newton([w])
        >>> _ = opt.step(lambda: 0.5 * w @ A @ w - w.sum())
        >>> torch.allclose(w.detach(), torch.linalg.solve(A, torch.ones(2, dtype=A.dtype)))
        True
    """

    def __init__(self, params: Params, lr: float = 1.0, **extra: float) -> None:
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        super().__init__(params, {"lr": lr, **extra})

    def _direction(self, grad: Tensor, hessian: Tensor) -> Tensor:
        """The unscaled step $\\Delta$ from the flat gradient and Hessian."""
        return newton_direction(grad, hessian)

    def _shared(self, key: str) -> float:
        """A hyperparameter that acts on the joint step, so it must agree across groups."""
        values = {group[key] for group in self.param_groups}
        if len(values) != 1:
            raise ValueError(f"all parameter groups must share the same {key}, got {values}")
        return values.pop()

    @torch.no_grad()
    def step(self, closure: Callable[[], Tensor] | None = None) -> Tensor:  # type: ignore[override]
        """Perform one step.

        Args:
            closure: a function that recomputes the loss and returns it (required).

        Returns:
            The loss at the parameters before the step.
        """
        if closure is None:
            raise RuntimeError(f"{type(self).__name__} needs a closure that returns the loss")
        groups = [[p for p in g["params"] if p.requires_grad] for g in self.param_groups]
        params = [p for ps in groups for p in ps]
        with torch.enable_grad():
            loss = closure()
            grad, hessian = flat_gradient_and_hessian(loss, params)
        direction = self._direction(grad, hessian)  # (d,)
        offset = 0
        for group, ps in zip(self.param_groups, groups, strict=True):
            for p in ps:
                n = p.numel()
                p.grad = grad[offset : offset + n].view_as(p).clone()
                # θ ← θ + γ Δ
                p.add_(direction[offset : offset + n].view_as(p), alpha=group["lr"])
                offset += n
        return loss.detach()


class DampedNewton(Newton):
    r"""Damped (regularised) Newton: $\theta \leftarrow \theta - \gamma(\eta I + H)^{-1}\nabla L$.

    Adding $\eta I$ to the Hessian shifts every eigenvalue by $\eta$: with $\eta >
    -\lambda_{\min}(H)$ the matrix is positive definite and the step descends even near a
    saddle. $\eta \to 0$ recovers Newton; $\eta \to \infty$ gives $-\gamma\nabla L/\eta$, gradient
    descent with learning rate $\gamma/\eta$. Same closure convention as ``Newton``.

    Args:
        params: parameters to optimise, or dicts defining parameter groups.
        lr: step size $\gamma$ (default ``1.0``).
        damping: $\eta \ge 0$ (default ``1.0``); shared by all groups.
    """

    def __init__(self, params: Params, lr: float = 1.0, damping: float = 1.0) -> None:
        if damping < 0.0:
            raise ValueError(f"Invalid damping: {damping}")
        super().__init__(params, lr=lr, damping=damping)

    def _direction(self, grad: Tensor, hessian: Tensor) -> Tensor:
        return damped_newton_direction(grad, hessian, self._shared("damping"))
