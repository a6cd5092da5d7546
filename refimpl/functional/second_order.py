r"""Newton-type steps: the exact Hessian, Newton, damped Newton and saddle-free Newton.

All three methods minimise a quadratic model of the loss around $\theta$,
$L(\theta + \Delta) \approx L + g^\top\Delta + \tfrac12\Delta^\top H\Delta$ with gradient $g$
and Hessian $H$, and differ only in the matrix that rescales the gradient:

$$
\Delta_{\text{Newton}} = -H^{-1}g,\qquad
\Delta_{\text{damped}} = -(\eta I + H)^{-1}g,\qquad
\Delta_{\text{saddle-free}} = -|H|^{-1}g,\quad |H| = \sum_i |\lambda_i|\, v_i v_i^\top .
$$

Newton's step goes to the critical point of the model whatever its type, so near a saddle it
is attracted to the saddle; damping with $\eta I$ interpolates towards gradient descent with
step $1/\eta$; the absolute value of the eigenvalues keeps Newton's rescaling but flips the
direction along negative curvature, so the step descends there. The Hessian is computed by
autograd over all parameters flattened into one vector, so these are for small models.
Reading list: ``dauphin2014``, ``nocedal2006numerical`` (chapter 3).
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = [
    "damped_newton_direction",
    "flat_gradient_and_hessian",
    "newton_direction",
    "saddle_free_newton_direction",
]


def flat_gradient_and_hessian(loss: Tensor, params: list[Tensor]) -> tuple[Tensor, Tensor]:
    r"""The gradient $g$ and Hessian $H$ of a scalar loss over all parameters flattened.

    Differentiates twice with autograd: first $g = \nabla_\theta L$ with a graph, then one
    row $\partial g_i/\partial\theta$ per parameter entry. The cost is one backward pass per
    entry, so this is meant for models with at most a few thousand parameters.

    Args:
        loss: a scalar tensor whose graph reaches every tensor of ``params``.
        params: the parameters $\theta$, flattened and concatenated in this order.

    Returns:
        ``(g, H)`` with shapes ``(d,)`` and ``(d, d)``, $d$ the total number of entries,
        detached. Parameters the loss does not depend on get zero rows and columns.
    """
    grads = torch.autograd.grad(loss, params, create_graph=True, allow_unused=True)
    g = torch.cat(
        [
            (gr if gr is not None else torch.zeros_like(p)).reshape(-1)
            for gr, p in zip(grads, params, strict=True)
        ]
    )  # (d,)
    rows = []
    for i in range(g.numel()):
        if not g.requires_grad:  # the gradient does not depend on θ: H = 0
            rows.append(torch.zeros_like(g))
            continue
        # H_i· = ∂g_i / ∂θ
        row = torch.autograd.grad(g[i], params, retain_graph=True, allow_unused=True)
        rows.append(
            torch.cat(
                [
                    (r if r is not None else torch.zeros_like(p)).reshape(-1)
                    for r, p in zip(row, params, strict=True)
                ]
            )
        )
    H = torch.stack(rows)  # (d, d)
    # symmetrise away round-off (H is symmetric in exact arithmetic)
    return g.detach(), (0.5 * (H + H.mT)).detach()


# --8<-- [start:newton]
def newton_direction(grad: Tensor, hessian: Tensor) -> Tensor:
    r"""Newton's step $\Delta = -H^{-1}g$, the critical point of the quadratic model.

    Args:
        grad: the gradient $g$, shape ``(d,)``.
        hessian: the Hessian $H$, shape ``(d, d)``, invertible.

    Returns:
        $\Delta$, shape ``(d,)``.
    """
    # Δ = −H⁻¹ g   (solve H Δ = −g rather than forming the inverse)
    return -torch.linalg.solve(hessian, grad)


def damped_newton_direction(grad: Tensor, hessian: Tensor, damping: float) -> Tensor:
    r"""The damped (regularised) Newton step $\Delta = -(\eta I + H)^{-1}g$.

    $\eta \to 0$ gives Newton's step; $\eta \to \infty$ gives $-g/\eta$, gradient descent with
    learning rate $1/\eta$. The step descends only if $\eta I + H$ is positive definite, i.e.
    $\eta > -\lambda_{\min}(H)$.

    Args:
        grad: the gradient $g$, shape ``(d,)``.
        hessian: the Hessian $H$, shape ``(d, d)``.
        damping: $\eta$.

    Returns:
        $\Delta$, shape ``(d,)``.
    """
    eye = torch.eye(grad.numel(), dtype=grad.dtype, device=grad.device)
    # Δ = −(ηI + H)⁻¹ g
    return -torch.linalg.solve(damping * eye + hessian, grad)


def saddle_free_newton_direction(grad: Tensor, hessian: Tensor, damping: float = 0.0) -> Tensor:
    r"""The saddle-free Newton step $\Delta = -(|H| + \eta I)^{-1}g$ (Dauphin et al. 2014).

    With $H = \sum_i \lambda_i v_i v_i^\top$, $|H| = \sum_i |\lambda_i| v_i v_i^\top$. Along an
    eigenvector the step is $-\,(v_i^\top g)/(|\lambda_i| + \eta)$: Newton's length, but always
    downhill, so negative-curvature directions repel instead of attract.

    Args:
        grad: the gradient $g$, shape ``(d,)``.
        hessian: the Hessian $H$, shape ``(d, d)``, symmetric.
        damping: $\eta \ge 0$, added to every $|\lambda_i|$ (needed where $H$ is singular).

    Returns:
        $\Delta$, shape ``(d,)``.
    """
    # H = V diag(λ) Vᵀ
    lam, V = torch.linalg.eigh(hessian)
    # Δ = −V diag(1 / (|λ| + η)) Vᵀ g
    return -V @ ((V.mT @ grad) / (lam.abs() + damping))


# --8<-- [end:newton]
