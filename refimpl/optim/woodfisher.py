r"""WoodFisher (Singh & Alistarh 2020) as an optimizer: a step with the recursive inverse Fisher.

$$
\theta_{t+1} = \theta_t - \gamma\,\hat F_N^{-1}\nabla L(\theta_t),\qquad
\hat F_N^{-1} = \Big(\lambda I + \frac1N\sum_n \nabla\ell_n\nabla\ell_n^\top\Big)^{-1},
$$

with the inverse built by $N$ Sherman–Morrison rank-one updates
(``refimpl.functional.woodfisher_inverse``) from the per-example gradients of the batch. The
paper uses the estimate for pruning (Optimal Brain Surgeon) rather than as an optimizer, and
keeps a block-diagonal version for large networks; here the full matrix is kept, for small
models. Reading list: ``singh2020woodfisher``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import torch
from torch import Tensor

from refimpl.functional.natural_gradient import per_example_jacobians
from refimpl.functional.woodfisher import woodfisher_inverse
from refimpl.optim.natural_gradient import ClosureResult, unpack_closure_result

__all__ = ["WoodFisher"]


class WoodFisher(torch.optim.Optimizer):
    r"""Empirical-Fisher natural gradient with the WoodFisher inverse.

    ``step(closure)``: the closure recomputes the model on a batch and returns the per-example
    losses $\ell_n$, shape ``(N,)`` (or ``(losses, outputs)``, as for ``NaturalGradient``; the
    outputs are ignored). The loss is their mean.

    Args:
        params: parameters to optimise, or dicts defining parameter groups.
        lr: step size $\gamma$ (default ``1.0``).
        damping: $\lambda > 0$ of $\hat F_0 = \lambda I$ (default ``1e-3``); shared by groups.
    """

    def __init__(
        self,
        params: Iterable[Tensor] | Iterable[dict[str, Any]],
        lr: float = 1.0,
        damping: float = 1e-3,
    ) -> None:
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if damping <= 0.0:
            raise ValueError(f"Invalid damping (must be positive): {damping}")
        super().__init__(params, {"lr": lr, "damping": damping})

    @torch.no_grad()
    def step(self, closure: Callable[[], ClosureResult] | None = None) -> Tensor:  # type: ignore[override]
        """Perform one step.

        Args:
            closure: recomputes the model and returns the per-example losses ``(N,)``.

        Returns:
            The mean loss before the step.
        """
        if closure is None:
            raise RuntimeError("WoodFisher needs a closure that returns per-example losses")
        damping = {g["damping"] for g in self.param_groups}
        if len(damping) != 1:
            raise ValueError(f"all parameter groups must share the same damping, got {damping}")
        params = [p for g in self.param_groups for p in g["params"] if p.requires_grad]
        with torch.enable_grad():
            losses, _ = unpack_closure_result(closure())
            per_example = per_example_jacobians(losses[:, None], params)[:, 0, :]  # (N, d)
        grad = per_example.mean(0)
        # Δ = −F̂_N⁻¹ ∇L
        direction = -woodfisher_inverse(per_example, damping.pop()) @ grad
        offset = 0
        for group in self.param_groups:
            for p in group["params"]:
                if not p.requires_grad:
                    continue
                n = p.numel()
                p.grad = grad[offset : offset + n].view_as(p).clone()
                p.add_(direction[offset : offset + n].view_as(p), alpha=group["lr"])
                offset += n
        return losses.detach().mean()
