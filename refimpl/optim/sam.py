r"""SAM (Foret et al. 2021): a wrapper that feeds any base optimizer the sharpness-aware gradient.

$$
\hat\epsilon = \rho\,\frac{\nabla L(w)}{\lVert\nabla L(w)\rVert_2},\qquad
g_{\text{SAM}} = \nabla L(w + \hat\epsilon),\qquad
w \leftarrow \text{BaseOptimizer.step}(w, g_{\text{SAM}}).
$$

The interface follows the widely used PyTorch implementation by D. Samuel (``davda54/sam``):
``SAM(params, base_optimizer_class, rho=0.05, adaptive=False, **base_kwargs)`` with
``first_step`` (climb to $w + \hat\epsilon$) and ``second_step`` (come back, step with the
gradient found there). Reading list: ``foret2021sam``, ``keskar2017``, ``hochreiter1997flat``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import torch
from torch import Tensor

from refimpl.functional.sam import sam_perturbation

__all__ = ["SAM"]


class SAM(torch.optim.Optimizer):
    r"""Sharpness-aware minimisation around a base optimizer.

    Each step costs two forward-backward passes. ``step(closure)`` calls the closure (which
    must compute the loss and call ``backward``; gradients are zeroed before each call) once
    at $w$ and once at $w + \hat\epsilon$, then lets the base optimizer step from $w$ with the
    second gradient. Unlike ``davda54/sam``, whose ``step`` expects the first backward pass to
    have been done already, this ``step`` runs both passes itself; ``first_step`` and
    ``second_step`` allow the manual two-pass loop.

    Args:
        params: parameters to optimise, or dicts defining parameter groups.
        base_optimizer: the base optimizer's class, e.g. ``torch.optim.SGD``.
        rho: neighbourhood radius $\rho$ (default ``0.05``), per group.
        adaptive: ASAM's scale-invariant neighbourhood (default ``False``), per group.
        **kwargs: the base optimizer's arguments (``lr``, ``momentum``, …).

    Example:
        >>> import torch
        >>> from refimpl.optim import SAM
        >>> w = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
        >>> opt = SAM([w], torch.optim.SGD, rho=0.1, lr=0.1)
        >>> def closure():
        ...     loss = (w**2).sum()
        ...     loss.backward()
        ...     return loss
        >>> float(opt.step(closure))
        5.0
    """

    def __init__(
        self,
        params: Iterable[Tensor] | Iterable[dict[str, Any]],
        base_optimizer: type[torch.optim.Optimizer],
        rho: float = 0.05,
        adaptive: bool = False,
        **kwargs: Any,
    ) -> None:
        if rho < 0.0:
            raise ValueError(f"Invalid rho, should be non-negative: {rho}")
        super().__init__(params, {"rho": rho, "adaptive": adaptive, **kwargs})
        # the base optimizer shares our parameter groups, so schedulers see one set of groups
        self.base_optimizer = base_optimizer(self.param_groups, **kwargs)
        self.param_groups = self.base_optimizer.param_groups
        self.defaults.update(self.base_optimizer.defaults)

    @torch.no_grad()
    def first_step(self, zero_grad: bool = False) -> None:
        """Move every parameter to $w + \\hat\\epsilon$ using its current ``.grad``."""
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            grads = [p.grad for p in params]
            # the norm is taken per group, as in davda54/sam's default single-group use
            eps = sam_perturbation(params, grads, group["rho"], group["adaptive"])
            for p, e in zip(params, eps, strict=True):
                self.state[p]["old_p"] = p.detach().clone()
                p.add_(e)
        if zero_grad:
            self.zero_grad()

    @torch.no_grad()
    def second_step(self, zero_grad: bool = False) -> None:
        """Return to $w$; the base optimizer steps with the gradient at $w + \\hat\\epsilon$."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None and "old_p" in self.state[p]:
                    p.copy_(self.state[p]["old_p"])
        self.base_optimizer.step()
        if zero_grad:
            self.zero_grad()

    @torch.no_grad()
    def step(self, closure: Callable[[], Tensor] | None = None) -> Tensor:  # type: ignore[override]
        """Perform one SAM step (two forward-backward passes).

        Args:
            closure: computes the loss, calls ``backward`` and returns the loss (required).

        Returns:
            The loss at $w$, before the step.
        """
        if closure is None:
            raise RuntimeError("SAM needs a closure that computes the loss and calls backward")
        self.zero_grad()
        with torch.enable_grad():
            loss = closure()  # gradients at w
        self.first_step(zero_grad=True)
        with torch.enable_grad():
            closure()  # gradients at w + ε̂
        self.second_step()
        return loss.detach()
