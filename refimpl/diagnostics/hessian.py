r"""Curvature of the loss: Hessian-vector products, sharpness, and the spectrum by Lanczos.

The Hessian $H = \nabla^2_\theta L$ of a network with $N$ parameters has $N^2$ entries, too many
to form, but its product with a vector costs about two backward passes (Pearlmutter's trick):
differentiate the scalar $\nabla_\theta L^\top v$ once more,

$$
H v = \nabla_\theta\big(\nabla_\theta L(\theta)^\top v\big).
$$

Everything else here needs only $v \mapsto Hv$. *Power iteration* $v \leftarrow Hv/\lVert Hv\rVert$
converges to the eigenvector of largest $|\lambda|$; the Rayleigh quotient $v^\top H v$ is its
eigenvalue. The top eigenvalue $\lambda_{\max}$ is the *sharpness*: gradient descent with step
$\gamma$ is stable near a minimum only if $\lambda_{\max} < 2/\gamma$. *Lanczos* builds an
orthonormal basis $Q_k$ of the Krylov space $\{v, Hv, \dots, H^{k-1}v\}$ in which $H$ is
tridiagonal, $T_k = Q_k^\top H Q_k$; the eigenvalues of $T_k$ (Ritz values) approximate the
extremes of the spectrum after a few steps and, with $k = N$ and full reorthogonalisation, are
the exact spectrum. The *index* of a critical point is the fraction of negative eigenvalues,
$\alpha = \#\{i : \lambda_i < 0\}/N$ (Dauphin et al. 2014): minima have $\alpha = 0$, saddles
$0 < \alpha < 1$. Reading list: ``dauphin2014``, ``pearlmutter1994``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

__all__ = [
    "HessianOperator",
    "LanczosResult",
    "hessian_index",
    "hessian_spectrum",
    "hvp",
    "lanczos",
    "top_hessian_eigenvalue",
]


def _flat(tensors: Sequence[Tensor]) -> Tensor:
    return torch.cat([t.reshape(-1) for t in tensors])


# --8<-- [start:hvp]
def hvp(loss: Tensor, params: Sequence[Tensor], vector: Sequence[Tensor]) -> tuple[Tensor, ...]:
    r"""The Hessian-vector product $Hv = \nabla_\theta(\nabla_\theta L^\top v)$.

    Args:
        loss: a scalar computed from `params` (its graph is kept, so call again freely).
        params: the parameters $\theta$ (tensors with `requires_grad`).
        vector: $v$, one tensor per parameter, with the parameters' shapes.

    Returns:
        $Hv$, one tensor per parameter.
    """
    params = list(params)
    # g = ∇L, kept differentiable so that it can be differentiated again
    grads = torch.autograd.grad(loss, params, create_graph=True)
    # g·v, a scalar whose gradient is H v
    dot = sum((g * v).sum() for g, v in zip(grads, vector, strict=True))
    return torch.autograd.grad(dot, params, retain_graph=True)


# --8<-- [end:hvp]


class HessianOperator:
    r"""$v \mapsto Hv$ on flat vectors of length $N$, reusing one gradient graph.

    The gradient $\nabla_\theta L$ is computed once with `create_graph=True`; each call then
    costs one more backward pass.

    Args:
        loss: a scalar computed from `params`.
        params: the parameters $\theta$.

    Attributes:
        dim: the number of parameters $N$.
    """

    def __init__(self, loss: Tensor, params: Sequence[Tensor]) -> None:
        self.params = [p for p in params if p.requires_grad]
        self._grads = torch.autograd.grad(loss, self.params, create_graph=True)
        self._flat_grad = _flat(self._grads)
        self.dim = self._flat_grad.numel()
        self.dtype = self._flat_grad.dtype
        self.device = self._flat_grad.device

    def __call__(self, v: Tensor) -> Tensor:
        """$Hv$ for a flat vector `v` of shape `(N,)`; returns shape `(N,)` (detached)."""
        hv = torch.autograd.grad(
            self._flat_grad, self.params, grad_outputs=v.to(self._flat_grad), retain_graph=True
        )
        return _flat(hv).detach()

    def dense(self) -> Tensor:
        """The full `(N, N)` Hessian, one product per column (small models only)."""
        eye = torch.eye(self.dim, dtype=self.dtype, device=self.device)
        return torch.stack([self(e) for e in eye], dim=1)


def _random_unit(dim: int, like: Tensor, generator: torch.Generator | None) -> Tensor:
    v = torch.randn(dim, generator=generator, dtype=torch.float64).to(like)
    return v / v.norm()


def _power_iteration(
    matvec: Callable[[Tensor], Tensor], v: Tensor, iters: int, tol: float
) -> tuple[float, Tensor, int]:
    eig = 0.0
    for it in range(1, iters + 1):
        # v ← H v / ‖H v‖
        hv = matvec(v)
        # λ ≈ vᵀ H v (Rayleigh quotient, v of unit norm)
        new = float(v @ hv)
        norm = hv.norm()
        if norm == 0:
            return 0.0, v, it
        v = hv / norm
        if abs(new - eig) <= tol * max(abs(new), 1e-30):
            return new, v, it
        eig = new
    return eig, v, iters


# --8<-- [start:power]
def top_hessian_eigenvalue(
    loss: Tensor | HessianOperator,
    params: Sequence[Tensor] | None = None,
    *,
    iters: int = 100,
    tol: float = 1e-6,
    generator: torch.Generator | None = None,
) -> tuple[float, Tensor]:
    r"""The largest eigenvalue $\lambda_{\max}$ of the Hessian (the *sharpness*) by power iteration.

    Power iteration finds the eigenvalue of largest modulus. If that one is negative (a saddle
    with a steep descent direction), the iteration is repeated on $H - \lambda I$, whose
    eigenvalues are all $\ge 0$ and whose top one is $\lambda_{\max} - \lambda$.

    Args:
        loss: a scalar loss computed from `params`, or a `HessianOperator`.
        params: the parameters (needed unless `loss` is a `HessianOperator`).
        iters: maximal number of iterations per run.
        tol: stop when the Rayleigh quotient changes by less than this, relatively.
        generator: seeds the random start vector.

    Returns:
        $\lambda_{\max}$ and its unit eigenvector (flat, shape `(N,)`).
    """
    op = loss if isinstance(loss, HessianOperator) else HessianOperator(loss, params or [])
    v0 = _random_unit(op.dim, op._flat_grad, generator)
    lam, v, _ = _power_iteration(op, v0, iters, tol)
    if lam < 0:
        # (H − λI) is positive semi-definite; its top eigenvalue is λ_max − λ
        shift = lam
        top, v, _ = _power_iteration(lambda u: op(u) - shift * u, v0, iters, tol)
        lam = top + shift
    return lam, v


# --8<-- [end:power]


@dataclass(frozen=True)
class LanczosResult:
    r"""The output of `lanczos`.

    Attributes:
        alphas: the diagonal of the tridiagonal matrix $T_k$, shape `(k,)`.
        betas: its off-diagonal, shape `(k - 1,)` (zero where the iteration was restarted).
        basis: the orthonormal Lanczos vectors $Q_k$, shape `(N, k)`.
    """

    alphas: Tensor
    betas: Tensor
    basis: Tensor

    def tridiagonal(self) -> Tensor:
        r"""$T_k = Q_k^\top H Q_k$ as a dense `(k, k)` matrix."""
        return torch.diag(self.alphas) + torch.diag(self.betas, 1) + torch.diag(self.betas, -1)

    def ritz_values(self) -> Tensor:
        """The eigenvalues of $T_k$, ascending: the Lanczos estimate of the spectrum."""
        return torch.linalg.eigvalsh(self.tridiagonal())


# --8<-- [start:lanczos]
def lanczos(
    matvec: Callable[[Tensor], Tensor],
    dim: int,
    steps: int,
    *,
    like: Tensor | None = None,
    generator: torch.Generator | None = None,
) -> LanczosResult:
    r"""`steps` iterations of Lanczos with full reorthogonalisation on a symmetric operator.

    $$
    \beta_{j} q_{j+1} = H q_j - \alpha_j q_j - \beta_{j-1} q_{j-1},\qquad
    \alpha_j = q_j^\top H q_j .
    $$

    When $\beta_j$ vanishes (the Krylov space is invariant, e.g. for repeated eigenvalues) the
    iteration restarts from a random vector orthogonal to all previous ones, so with
    `steps == dim` the Ritz values are the whole spectrum, multiplicities included.

    Args:
        matvec: $v \mapsto Hv$ for flat vectors of shape `(dim,)`.
        dim: the dimension $N$.
        steps: the number of Lanczos vectors $k \le N$.
        like: a tensor whose dtype and device the vectors take (default float64 on CPU).
        generator: seeds the random start (and restart) vectors.

    Returns:
        The tridiagonal coefficients and the basis.
    """
    steps = min(steps, dim)
    like = like if like is not None else torch.zeros((), dtype=torch.float64)
    Q = torch.zeros(dim, steps, dtype=like.dtype, device=like.device)
    alphas = torch.zeros(steps, dtype=like.dtype, device=like.device)
    betas = torch.zeros(max(steps - 1, 0), dtype=like.dtype, device=like.device)
    q = _random_unit(dim, like, generator)
    for j in range(steps):
        Q[:, j] = q
        w = matvec(q)
        # α_j = q_jᵀ H q_j
        alphas[j] = q @ w
        # w ← H q_j − α_j q_j − β_{j−1} q_{j−1}, then against every earlier q (twice, for safety)
        for _ in range(2):
            w = w - Q[:, : j + 1] @ (Q[:, : j + 1].T @ w)
        if j == steps - 1:
            break
        beta = w.norm()
        scale = max(float(alphas[: j + 1].abs().max()), 1.0)
        if beta <= 1e-10 * scale:
            # invariant subspace found: restart with a fresh direction orthogonal to Q
            betas[j] = 0.0
            r = _random_unit(dim, like, generator)
            for _ in range(2):
                r = r - Q[:, : j + 1] @ (Q[:, : j + 1].T @ r)
            q = r / r.norm()
        else:
            betas[j] = beta
            q = w / beta
    return LanczosResult(alphas=alphas, betas=betas, basis=Q)


# --8<-- [end:lanczos]


def hessian_spectrum(
    loss: Tensor | HessianOperator,
    params: Sequence[Tensor] | None = None,
    *,
    steps: int | None = None,
    generator: torch.Generator | None = None,
) -> Tensor:
    r"""The Hessian's eigenvalues (ascending) by Lanczos.

    With `steps=None` Lanczos runs $N$ steps and returns the exact spectrum (small models: it
    costs $N$ Hessian-vector products and $O(N^2)$ memory). With fewer steps it returns the
    $k$ Ritz values, whose extremes converge first.

    Args:
        loss: a scalar loss computed from `params`, or a `HessianOperator`.
        params: the parameters (needed unless `loss` is a `HessianOperator`).
        steps: the number of Lanczos steps $k$; default $N$.
        generator: seeds the start vector.

    Returns:
        The Ritz values, shape `(k,)`.
    """
    op = loss if isinstance(loss, HessianOperator) else HessianOperator(loss, params or [])
    k = op.dim if steps is None else steps
    return lanczos(op, op.dim, k, like=op._flat_grad, generator=generator).ritz_values()


def hessian_index(eigenvalues: Tensor, tol: float = 0.0) -> float:
    r"""The index $\alpha = \#\{i : \lambda_i < -\text{tol}\}/N$ (Dauphin et al. 2014).

    Args:
        eigenvalues: the Hessian spectrum, shape `(N,)`.
        tol: eigenvalues in $[-\text{tol}, 0)$ count as zero (numerical noise).

    Returns:
        The fraction of negative eigenvalues, in $[0, 1]$.
    """
    return float((eigenvalues < -tol).sum()) / eigenvalues.numel()
