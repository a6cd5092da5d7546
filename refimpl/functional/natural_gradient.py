r"""The Fisher information of a model's output distribution, and the natural-gradient step.

Natural gradient descent measures the size of a step by how much it changes the model's
predictive distribution, $\mathrm{KL}(p_\theta \,\|\, p_{\theta+\Delta}) \approx
\tfrac12\Delta^\top F\Delta$, with the Fisher information matrix

$$
F = \mathbb{E}_{x}\,\mathbb{E}_{y \sim p_\theta(y\mid x)}\big[\nabla_\theta \log p_\theta(y\mid x)\,
\nabla_\theta \log p_\theta(y\mid x)^\top\big] = \mathbb{E}_x\big[J^\top \Lambda\, J\big],
$$

where $J = \partial z/\partial\theta$ is the Jacobian of the network's output $z$ and
$\Lambda$ the Fisher of the output distribution with respect to $z$: $\mathrm{diag}(p) - pp^\top$
for a softmax over logits $z$, $I/\sigma^2$ for a Gaussian with mean $z$. The *empirical* Fisher
replaces the expectation over the model's $y$ by the observed labels,
$\hat F = \frac1N\sum_n \nabla\ell_n\nabla\ell_n^\top$. The step is
$\Delta = -(F + \lambda I)^{-1}\nabla L$. Reading list: ``amari1998``, ``martens2015kfac``.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = [
    "categorical_output_fisher",
    "empirical_fisher",
    "fisher_from_jacobians",
    "gaussian_output_fisher",
    "natural_gradient_direction",
    "per_example_jacobians",
]


def per_example_jacobians(outputs: Tensor, params: list[Tensor]) -> Tensor:
    r"""The Jacobians $J_n = \partial z_n/\partial\theta$ of every output row, by autograd.

    Args:
        outputs: the network outputs $z$, shape ``(N, K)``, with a graph to ``params``.
        params: the parameters $\theta$, flattened and concatenated in this order ($d$ entries).

    Returns:
        $J$, shape ``(N, K, d)``. One backward pass per output entry: for small models.
    """
    N, K = outputs.shape
    flat = outputs.reshape(-1)  # (N·K,)
    # one basis vector per output entry, pushed back through the graph in a single vmapped pass
    basis = torch.eye(flat.numel(), dtype=flat.dtype, device=flat.device)
    try:
        grads = torch.autograd.grad(
            flat,
            params,
            grad_outputs=basis,
            retain_graph=True,
            allow_unused=True,
            is_grads_batched=True,
        )
    except RuntimeError:  # an op without a batching rule: one backward pass per entry
        grads = tuple(
            torch.stack(cols) if cols[0] is not None else None
            for cols in zip(
                *(
                    torch.autograd.grad(v, params, retain_graph=True, allow_unused=True)
                    for v in flat
                ),
                strict=True,
            )
        )
    J = torch.cat(
        [
            (g if g is not None else flat.new_zeros(flat.numel(), *p.shape)).reshape(
                flat.numel(), -1
            )
            for g, p in zip(grads, params, strict=True)
        ],
        dim=1,
    )  # (N·K, d)
    return J.reshape(N, K, -1)  # (N, K, d)


def categorical_output_fisher(logits: Tensor) -> Tensor:
    r"""Fisher of a softmax distribution w.r.t. its logits: $\Lambda = \mathrm{diag}(p) - pp^\top$.

    Args:
        logits: $z$, shape ``(N, K)``.

    Returns:
        $\Lambda_n$ for every example, shape ``(N, K, K)``.
    """
    p = torch.softmax(logits, dim=-1)  # (N, K)
    # Λ = E_{y∼p}[(e_y − p)(e_y − p)ᵀ] = diag(p) − p pᵀ
    return torch.diag_embed(p) - p[:, :, None] * p[:, None, :]


def gaussian_output_fisher(means: Tensor, variance: float = 1.0) -> Tensor:
    r"""Fisher of $\mathcal N(z, \sigma^2 I)$ w.r.t. its mean $z$: $\Lambda = I/\sigma^2$.

    Args:
        means: $z$, shape ``(N, K)``.
        variance: $\sigma^2$.

    Returns:
        $\Lambda_n$ for every example, shape ``(N, K, K)``.
    """
    N, K = means.shape
    eye = torch.eye(K, dtype=means.dtype, device=means.device)
    return (eye / variance).expand(N, K, K)


# --8<-- [start:fisher]
def fisher_from_jacobians(jacobians: Tensor, output_fisher: Tensor) -> Tensor:
    r"""The Fisher information $F = \frac1N\sum_n J_n^\top \Lambda_n J_n$.

    Args:
        jacobians: $J_n = \partial z_n/\partial\theta$, shape ``(N, K, d)``.
        output_fisher: $\Lambda_n$, the Fisher of the output distribution w.r.t. $z_n$, shape
            ``(N, K, K)``.

    Returns:
        $F$, shape ``(d, d)``.
    """
    # F = (1/N) Σ_n J_nᵀ Λ_n J_n
    return torch.einsum("nki,nkl,nlj->ij", jacobians, output_fisher, jacobians) / len(jacobians)


def empirical_fisher(per_example_grads: Tensor) -> Tensor:
    r"""The empirical Fisher $\hat F = \frac1N\sum_n \nabla\ell_n \nabla\ell_n^\top$.

    Args:
        per_example_grads: $\nabla_\theta \ell_n$ at the observed labels, shape ``(N, d)``.

    Returns:
        $\hat F$, shape ``(d, d)``.
    """
    # F̂ = (1/N) Σ_n ∇ℓ_n ∇ℓ_nᵀ = GᵀG / N
    return per_example_grads.mT @ per_example_grads / len(per_example_grads)


def natural_gradient_direction(grad: Tensor, fisher: Tensor, damping: float = 0.0) -> Tensor:
    r"""The natural-gradient step $\Delta = -(F + \lambda I)^{-1} g$.

    Args:
        grad: the loss gradient $g$, shape ``(d,)``.
        fisher: $F$ (or $\hat F$), shape ``(d, d)``, positive semi-definite.
        damping: $\lambda \ge 0$; needed where $F$ is singular (e.g. a softmax with a bias).

    Returns:
        $\Delta$, shape ``(d,)``.
    """
    eye = torch.eye(grad.numel(), dtype=grad.dtype, device=grad.device)
    # Δ = −(F + λI)⁻¹ g
    return -torch.linalg.solve(fisher + damping * eye, grad)


# --8<-- [end:fisher]
