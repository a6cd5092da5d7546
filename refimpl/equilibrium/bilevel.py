r"""Meta-learning as bilevel optimisation: unrolled (MAML-style) and implicit (iMAML) gradients.

Each task $i$ adapts fast weights $\phi$ from the slow meta-parameters $\theta$ on its training
data; the meta-objective is the loss of the adapted weights on the task's test data:

$$
\min_\theta \sum_i \mathcal L^{\text{test}}_i\big(\phi_i(\theta)\big).
$$

*Unrolled* (MAML, `finn2017maml`): $\phi_i(\theta)$ is $K$ gradient steps on
$\mathcal L^{\text{train}}_i$ from $\theta$, and the meta-gradient backpropagates through them.
*Implicit* (iMAML, `rajeswaran2019imaml`): $\phi_i(\theta) = \arg\min_\phi
\mathcal L^{\text{train}}_i(\phi) + \frac\lambda2\lVert\phi - \theta\rVert^2$, whose
implicit-function-theorem derivative gives

$$
\frac{d\,\mathcal L^{\text{test}}_i}{d\theta} = \Big(I + \tfrac1\lambda\nabla^2
\mathcal L^{\text{train}}_i(\phi_i)\Big)^{-1}\nabla\mathcal L^{\text{test}}_i(\phi_i),
$$

independent of how the inner problem was solved (`zucchet2022bilevel`). The model here is
linear in fixed features, $\hat y = \Phi(x)\,\phi$, so the inner problem is a quadratic.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor

__all__ = ["imaml_hypergradient", "inner_solution", "maml_hypergradient", "unrolled_adaptation"]

Loss = Callable[[Tensor], Tensor]


def _mse(features: Tensor, y: Tensor) -> Loss:
    r"""$\phi \mapsto \frac{1}{2n}\lVert\Phi\phi - y\rVert^2$; features `(n, p)`, targets `(n,)`."""
    return lambda phi: 0.5 * ((features @ phi - y) ** 2).mean()


# --8<-- [start:unrolled]
def unrolled_adaptation(
    theta: Tensor, train: tuple[Tensor, Tensor], steps: int, lr: float, lam: float = 0.0
) -> Tensor:
    r"""$K$ gradient steps from $\phi_0 = \theta$, recorded by autograd.

    The objective is $\mathcal L^{\text{train}}(\phi) + \frac\lambda2\lVert\phi-\theta\rVert^2$
    ($\lambda = 0$ for MAML); keeping the graph makes $d\phi_K/d\theta$ available.
    """
    loss = _mse(*train)
    phi = theta
    for _ in range(steps):
        (g,) = torch.autograd.grad(loss(phi), phi, create_graph=True)
        # phi <- phi - lr * (grad L_train(phi) + lam (phi - theta))
        phi = phi - lr * (g + lam * (phi - theta))
    return phi
    # --8<-- [end:unrolled]


def maml_hypergradient(
    theta: Tensor,
    train: tuple[Tensor, Tensor],
    test: tuple[Tensor, Tensor],
    steps: int,
    lr: float,
    lam: float = 0.0,
) -> Tensor:
    r"""$d\,\mathcal L^{\text{test}}(\phi_K(\theta))/d\theta$, backpropagated through the steps."""
    theta = theta.detach().requires_grad_()
    with torch.enable_grad():
        phi = unrolled_adaptation(theta, train, steps, lr, lam)
        (g,) = torch.autograd.grad(_mse(*test)(phi), theta)
    return g


def inner_solution(theta: Tensor, train: tuple[Tensor, Tensor], lam: float) -> Tensor:
    r"""The exact proximal solution $\arg\min_\phi \mathcal L^{\text{train}}(\phi) +
    \frac\lambda2\lVert\phi-\theta\rVert^2 = (\frac1n\Phi^\top\Phi + \lambda I)^{-1}
    (\frac1n\Phi^\top y + \lambda\theta)$."""
    X, y = train
    n, p = X.shape
    A = X.T @ X / n + lam * torch.eye(p, dtype=X.dtype, device=X.device)
    return torch.linalg.solve(A, X.T @ y / n + lam * theta)


# --8<-- [start:imaml]
def imaml_hypergradient(
    theta: Tensor,
    train: tuple[Tensor, Tensor],
    test: tuple[Tensor, Tensor],
    lam: float,
    cg_steps: int = 50,
) -> Tensor:
    r"""iMAML's meta-gradient $(I + H/\lambda)^{-1}\nabla\mathcal L^{\text{test}}(\phi^\star)$.

    The linear system is solved by conjugate gradients with Hessian-vector products, as in the
    paper; only $\phi^\star$ is needed, not the path that reached it.
    """
    phi = inner_solution(theta.detach(), train, lam).requires_grad_()
    with torch.enable_grad():
        (g_test,) = torch.autograd.grad(_mse(*test)(phi), phi)
        (g_train,) = torch.autograd.grad(_mse(*train)(phi), phi, create_graph=True)

        def A(v: Tensor) -> Tensor:
            # (I + H / lam) v, with H v a Hessian-vector product
            (hv,) = torch.autograd.grad(g_train, phi, v, retain_graph=True)
            return v + hv / lam

        # conjugate gradients on A u = g_test
        u = torch.zeros_like(g_test)
        r = g_test - A(u)
        p, rs = r.clone(), r @ r
        for _ in range(cg_steps):
            if rs.sqrt() < 1e-14:
                break
            Ap = A(p)
            alpha = rs / (p @ Ap)
            u, r = u + alpha * p, r - alpha * Ap
            rs_new = r @ r
            p, rs = r + (rs_new / rs) * p, rs_new
    return u.detach()
    # --8<-- [end:imaml]
