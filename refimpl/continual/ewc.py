r"""Elastic weight consolidation (EWC): a quadratic anchor weighted by the Fisher information.

After learning task A to parameters $\theta^\star_A$, EWC learns task B on

$$
\mathcal L_B(\theta) + \frac\lambda2\sum_i F_i\,(\theta_i - \theta^\star_{A,i})^2,
\qquad F_i = \mathbb E_{x}\,\mathbb E_{y \sim p_\theta(y\mid x)}
\Big[\Big(\frac{\partial\log p_\theta(y\mid x)}{\partial\theta_i}\Big)^2\Big]
\text{ at } \theta^\star_A,
$$

a Laplace approximation of the posterior after task A with a diagonal Fisher as precision:
parameters that task A's predictions are sensitive to are held in place, the others are free
to move (`kirkpatrick2017ewc`). The expectation over $y$ is taken exactly over the classes.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

__all__ = ["EWCPenalty", "fisher_diagonal"]


# --8<-- [start:fisher]
def fisher_diagonal(model: nn.Module, x: Tensor) -> dict[str, Tensor]:
    r"""The diagonal of the Fisher information of a classifier, averaged over inputs `x`.

    Args:
        model: maps `x` `(N, ...)` to logits `(N, C)`.
        x: inputs at which to average.

    Returns:
        `{name: F}`, each `F` shaped like its parameter:
        $F_i = \frac1N\sum_n\sum_c p(c\mid x_n)\,(\partial_i\log p(c\mid x_n))^2$.
    """
    names, params = zip(*model.named_parameters(), strict=True)
    fisher = [torch.zeros_like(p) for p in params]
    for xn in x:  # per-example gradients: one small backward pass per example and class
        log_p = torch.log_softmax(model(xn[None])[0], -1)  # (C,)
        p = log_p.detach().exp()
        for c in range(log_p.shape[0]):
            grads = torch.autograd.grad(log_p[c], params, retain_graph=True)
            for f, g in zip(fisher, grads, strict=True):
                # F += p(c | x_n) (d log p(c | x_n))^2 / N
                f += p[c] * g**2 / len(x)
    return dict(zip(names, fisher, strict=True))
    # --8<-- [end:fisher]


class EWCPenalty:
    r"""$\frac\lambda2\sum_i F_i(\theta_i - \theta^\star_i)^2$ for a model's current parameters.

    Args:
        model: the model being trained; its parameters are read at every call.
        fisher: `{name: F}` from `fisher_diagonal` at the anchor.
        lam: the strength $\lambda$.
    """

    def __init__(self, model: nn.Module, fisher: dict[str, Tensor], lam: float) -> None:
        self.model, self.fisher, self.lam = model, fisher, lam
        self.anchor = {k: v.detach().clone() for k, v in model.named_parameters()}

    def __call__(self) -> Tensor:
        """The penalty at the model's current parameters (differentiable)."""
        total = sum(
            (self.fisher[k] * (p - self.anchor[k]) ** 2).sum()
            for k, p in self.model.named_parameters()
        )
        return 0.5 * self.lam * total
