r"""Natural gradient descent with the exact or the empirical Fisher, for small models.

$$
\theta_{t+1} = \theta_t - \gamma\,(F + \lambda I)^{-1}\nabla L(\theta_t),\qquad
F = \frac1N\sum_n J_n^\top \Lambda_n J_n \ \text{(model Fisher)}\quad\text{or}\quad
\hat F = \frac1N\sum_n \nabla\ell_n\nabla\ell_n^\top \ \text{(empirical Fisher)},
$$

with $J_n$ the Jacobian of the network output for example $n$ and $\Lambda_n$ the Fisher of
the output distribution (softmax or Gaussian). The model Fisher is the metric of the KL
divergence between predictive distributions, which makes the step invariant to smooth
reparametrisations (exactly so for linear ones); the empirical Fisher is a cheaper stand-in
that only agrees with it near a good fit. Reading list: ``amari1998``, ``martens2015kfac``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal

import torch
from torch import Tensor

from refimpl.functional.natural_gradient import (
    categorical_output_fisher,
    empirical_fisher,
    fisher_from_jacobians,
    gaussian_output_fisher,
    natural_gradient_direction,
    per_example_jacobians,
)

__all__ = ["NaturalGradient"]

Params = Iterable[Tensor] | Iterable[dict[str, Any]]
#: What a closure of the Fisher-based optimizers returns: per-example losses, or those and
#: the network outputs (logits or Gaussian means).
ClosureResult = Tensor | tuple[Tensor, Tensor]


def unpack_closure_result(result: ClosureResult) -> tuple[Tensor, Tensor | None]:
    """Split a closure's return value into per-example losses ``(N,)`` and outputs ``(N, K)``."""
    losses, outputs = result if isinstance(result, tuple) else (result, None)
    if losses.dim() != 1:
        raise ValueError(f"the closure must return per-example losses (N,), got {losses.shape}")
    return losses, outputs


class NaturalGradient(torch.optim.Optimizer):
    r"""Natural gradient descent: $\theta \leftarrow \theta - \gamma(F + \lambda I)^{-1}\nabla L$.

    ``step(closure)``: the closure recomputes the model on a batch and returns
    ``(losses, outputs)``, the per-example negative log-likelihoods $\ell_n$ (shape ``(N,)``,
    the loss is their mean) and the network outputs $z_n$ (shape ``(N, K)``: logits for
    ``likelihood="categorical"``, means for ``"gaussian"``). With ``fisher="empirical"`` the
    outputs are not needed and the closure may return the losses alone. The Fisher is formed
    over the parameters of all groups together (one backward pass per output entry), so this is
    for small models; each group's slice of the step is scaled by its ``lr``.

    Args:
        params: parameters to optimise, or dicts defining parameter groups.
        lr: step size $\gamma$ (default ``1.0``).
        damping: $\lambda \ge 0$ added to the Fisher's diagonal (default ``1e-4``).
        fisher: ``"model"`` for $F = \mathbb E[J^\top\Lambda J]$, the expectation over the
            model's own predictive distribution, or ``"empirical"`` for $\hat F$ at the labels.
        likelihood: ``"categorical"`` (softmax over logits) or ``"gaussian"`` (mean $z$,
            variance ``variance``); used by ``fisher="model"``.
        variance: $\sigma^2$ of the Gaussian likelihood (default ``1.0``).
    """

    def __init__(
        self,
        params: Params,
        lr: float = 1.0,
        damping: float = 1e-4,
        fisher: Literal["model", "empirical"] = "model",
        likelihood: Literal["categorical", "gaussian"] = "categorical",
        variance: float = 1.0,
    ) -> None:
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if damping < 0.0:
            raise ValueError(f"Invalid damping: {damping}")
        if fisher not in ("model", "empirical"):
            raise ValueError(f"fisher must be 'model' or 'empirical', got {fisher!r}")
        if likelihood not in ("categorical", "gaussian"):
            raise ValueError(f"likelihood must be 'categorical' or 'gaussian', got {likelihood!r}")
        self.fisher_type = fisher
        self.likelihood = likelihood
        self.variance = variance
        super().__init__(params, {"lr": lr, "damping": damping})

    def fisher_and_gradient(
        self, closure: Callable[[], ClosureResult]
    ) -> tuple[Tensor, Tensor, Tensor]:
        """Evaluate the closure; return the mean loss, the flat gradient and the Fisher.

        Args:
            closure: as for ``step``.

        Returns:
            ``(loss, g, F)`` with shapes ``()``, ``(d,)`` and ``(d, d)``, detached.
        """
        params = [p for g in self.param_groups for p in g["params"] if p.requires_grad]
        with torch.enable_grad():
            losses, outputs = unpack_closure_result(closure())
            # ∇ℓ_n for every example: (N, d); the loss is their mean
            grads = per_example_jacobians(losses[:, None], params)[:, 0, :]
            if self.fisher_type == "empirical":
                F = empirical_fisher(grads)
            else:
                if outputs is None:
                    raise ValueError("fisher='model' needs the closure to return (losses, outputs)")
                J = per_example_jacobians(outputs, params)  # (N, K, d)
                z = outputs.detach()
                Lam = (
                    categorical_output_fisher(z)
                    if self.likelihood == "categorical"
                    else gaussian_output_fisher(z, self.variance)
                )
                F = fisher_from_jacobians(J, Lam)
        return losses.detach().mean(), grads.mean(0), F

    @torch.no_grad()
    def step(self, closure: Callable[[], ClosureResult] | None = None) -> Tensor:  # type: ignore[override]
        """Perform one step.

        Args:
            closure: recomputes the model and returns ``(losses, outputs)`` (see the class).

        Returns:
            The mean loss before the step.
        """
        if closure is None:
            raise RuntimeError("NaturalGradient needs a closure that returns (losses, outputs)")
        damping = {g["damping"] for g in self.param_groups}
        if len(damping) != 1:
            raise ValueError(f"all parameter groups must share the same damping, got {damping}")
        loss, grad, F = self.fisher_and_gradient(closure)
        direction = natural_gradient_direction(grad, F, damping.pop())  # (d,)
        offset = 0
        for group in self.param_groups:
            for p in group["params"]:
                if not p.requires_grad:
                    continue
                n = p.numel()
                p.grad = grad[offset : offset + n].view_as(p).clone()
                # θ ← θ + γ Δ,  Δ = −(F + λI)⁻¹ g
                p.add_(direction[offset : offset + n].view_as(p), alpha=group["lr"])
                offset += n
        return loss
