r"""A small network's loss is not convex, not even near a minimum; PL* holds instead.

Two experiments on over-parameterised tanh networks $f_\theta(x) = W_2\tanh(W_1x + b_1) + b_2$:

1. **Non-convexity.** A 2-32-1 network (129 parameters) is fitted to 12 points until the loss is
   below $10^{-12}$. Permuting its hidden units gives a second minimiser computing the same
   function; on the segment between the two the loss rises far above both ends, which a convex
   function cannot do: $L((1-t)\theta + t\theta') \le \max(L(\theta), L(\theta'))$. The exact
   Hessian $\nabla^2 L$ (`torch.autograd.functional.hessian`, then `eigh`) at points
   $\theta^\star + r d$ has a negative eigenvalue of size proportional to $r$: every
   neighbourhood of the minimum contains points where the loss curves downwards (Liu, Zhu and
   Belkin 2022). A filter-normalised 2-D slice (Li et al. 2018) shows the same.
2. **PL\*.** Along the gradient-descent path, $\mu_t = \tfrac12\lVert\nabla L\rVert^2 / L$. For the
   mean squared error $L = \tfrac1n\lVert r\rVert^2$ with residuals $r$ and Jacobian $J$,
   $\nabla L = \tfrac2n J^\top r$, so $\tfrac12\lVert\nabla L\rVert^2 \ge \tfrac2n
   \lambda_{\min}(JJ^\top)\,L$: the tangent kernel's smallest eigenvalue bounds $\mu_t$ from below.

Reading list: ``liu2022pl``, ``li2018landscape``, ``czarnecki2019``, ``swirszcz2016``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor, nn
from torch.func import functional_call

from refimpl import diagnostics

__all__ = [
    "Nonconvexity",
    "PLStar",
    "flat_loss",
    "landscape_data",
    "landscape_mlp",
    "nonconvexity_experiment",
    "permute_hidden",
    "pl_star_path",
]

WIDTH = 32
GD_STEPS = 1500
GD_LR = 0.2


def landscape_data(n: int = 12, seed: int = 0) -> tuple[Tensor, Tensor]:
    r"""`n` points uniform in $[-1, 1]^2$ with targets $\sin(3x_1)\cos(2x_2)$ (float64)."""
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(n, 2, generator=g, dtype=torch.float64) * 2 - 1
    return x, torch.sin(3 * x[:, :1]) * torch.cos(2 * x[:, 1:])


def landscape_mlp(seed: int, width: int = WIDTH) -> nn.Sequential:
    """`Sequential(Linear(2, width), Tanh, Linear(width, 1))` in float64, seeded."""
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(2, width), nn.Tanh(), nn.Linear(width, 1)).double()


def _mse(net: nn.Module, x: Tensor, y: Tensor) -> Tensor:
    return ((net(x) - y) ** 2).mean()


def flat_loss(net: nn.Module, x: Tensor, y: Tensor) -> Callable[[Tensor], Tensor]:
    r"""$v \mapsto L(v)$, the mean squared error as a function of the flat parameter vector."""
    names = [k for k, _ in net.named_parameters()]
    shapes = [p.shape for p in net.parameters()]
    sizes = [p.numel() for p in net.parameters()]

    def loss(v: Tensor) -> Tensor:
        chunks = torch.split(v, sizes)
        ps = {k: c.reshape(s) for k, c, s in zip(names, chunks, shapes, strict=True)}
        return ((functional_call(net, ps, (x,)) - y) ** 2).mean()

    return loss


def _flat(net: nn.Module) -> Tensor:
    return torch.cat([p.detach().reshape(-1) for p in net.parameters()])


# --8<-- [start:permute]
def permute_hidden(net: nn.Sequential, perm: Tensor) -> nn.Sequential:
    r"""The same network with its hidden units reordered by `perm`.

    Unit $j$ of the copy is unit $\pi(j)$ of the original: rows of $W_1$ and $b_1$ and columns
    of $W_2$ move together, so $W_2'\tanh(W_1'x + b_1') = W_2\tanh(W_1x + b_1)$ for every $x$.

    Args:
        net: `Sequential(Linear, activation, Linear)`; it is not modified.
        perm: a permutation of `range(width)`.

    Returns:
        A new network computing the same function at a different point of weight space.
    """
    first, act, last = net
    out = nn.Sequential(
        nn.Linear(first.in_features, first.out_features), act, nn.Linear(last.in_features, 1)
    ).to(first.weight)
    with torch.no_grad():
        out[0].weight.copy_(first.weight[perm])
        out[0].bias.copy_(first.bias[perm])
        out[2].weight.copy_(last.weight[:, perm])
        out[2].bias.copy_(last.bias)
    return out


# --8<-- [end:permute]


def _fit(seed: int, x: Tensor, y: Tensor, record_every: int = 0):
    """Gradient descent for `GD_STEPS` steps, then L-BFGS to a loss below 1e-12."""
    net = landscape_mlp(seed)
    path = []
    for step in range(GD_STEPS + 1):
        if record_every and step % record_every == 0:
            path.append(_flat(net))
        if step == GD_STEPS:
            break
        grads = torch.autograd.grad(_mse(net, x, y), list(net.parameters()))
        with torch.no_grad():
            for p, g in zip(net.parameters(), grads, strict=True):
                p.sub_(GD_LR * g)
    opt = torch.optim.LBFGS(
        net.parameters(),
        max_iter=500,
        tolerance_grad=1e-14,
        tolerance_change=1e-24,
        history_size=50,
        line_search_fn="strong_wolfe",
    )

    def closure() -> Tensor:
        opt.zero_grad()
        loss = _mse(net, x, y)
        loss.backward()
        return loss

    opt.step(closure)
    return net, (torch.stack(path) if path else None)


@functools.cache
def _fits() -> tuple[nn.Sequential, Tensor, nn.Sequential]:
    x, y = landscape_data()
    net, path = _fit(0, x, y, record_every=25)
    other, _ = _fit(1, x, y)
    return net, path, other


@dataclass(frozen=True)
class Nonconvexity:
    r"""Evidence that the loss of a trained network is not convex near its minimum.

    Attributes:
        final_loss: $L(\theta^\star)$.
        n_params: the number of parameters $N$.
        perm: the permutation of hidden units used for $\theta' = \pi\theta^\star$.
        t: positions on the segments, shape `(T,)`.
        line_permuted: $L((1-t)\theta^\star + t\pi\theta^\star)$.
        line_other_seed: $L((1-t)\theta^\star + t\theta^\star_B)$ for a second seed's minimiser.
        radii: distances $r$ from $\theta^\star$ along a random unit direction $d$.
        min_eig: $\lambda_{\min}(\nabla^2 L(\theta^\star + r d))$ for each radius (exact Hessian).
        loss_at_radii: $L(\theta^\star + r d)$.
        spectrum_min: all eigenvalues of $\nabla^2 L(\theta^\star)$, ascending.
        spectrum_near: all eigenvalues at $\theta^\star + r_{\text{near}} d$.
        near_radius: $r_{\text{near}}$.
        path_steps: gradient-descent steps where the path's Hessian was evaluated.
        path_min_eig: $\lambda_{\min}$ of the exact Hessian there.
        slice_coords: the grid of the 2-D slice, shape `(G,)`.
        slice_loss: $L(\theta^\star + a d_1 + b d_2)$, shape `(G, G)` (rows: $b$).
        slice_curvature: the smaller eigenvalue of the slice's $2\times2$ finite-difference
            Hessian at interior grid points, shape `(G - 2, G - 2)`.
    """

    final_loss: float
    n_params: int
    perm: np.ndarray
    t: np.ndarray
    line_permuted: np.ndarray
    line_other_seed: np.ndarray
    radii: np.ndarray
    min_eig: np.ndarray
    loss_at_radii: np.ndarray
    spectrum_min: np.ndarray
    spectrum_near: np.ndarray
    near_radius: float
    path_steps: np.ndarray
    path_min_eig: np.ndarray
    slice_coords: np.ndarray
    slice_loss: np.ndarray
    slice_curvature: np.ndarray


def _slice_curvature(f: np.ndarray, h: float) -> np.ndarray:
    """Smaller eigenvalue of the central-difference Hessian of a grid function."""
    # f[b, a]: rows are the second coordinate
    faa = (f[1:-1, 2:] - 2 * f[1:-1, 1:-1] + f[1:-1, :-2]) / h**2
    fbb = (f[2:, 1:-1] - 2 * f[1:-1, 1:-1] + f[:-2, 1:-1]) / h**2
    fab = (f[2:, 2:] - f[2:, :-2] - f[:-2, 2:] + f[:-2, :-2]) / (4 * h**2)
    # λ_min of [[faa, fab], [fab, fbb]]
    return (faa + fbb) / 2 - np.sqrt(((faa - fbb) / 2) ** 2 + fab**2)


@functools.cache
def nonconvexity_experiment() -> Nonconvexity:
    """Fit two seeds, permute one, and measure lines, Hessian spectra and a 2-D slice."""
    x, y = landscape_data()
    net, path, other = _fits()
    loss_of = flat_loss(net, x, y)
    theta = _flat(net)
    perm = torch.roll(torch.arange(WIDTH), 1)
    theta_perm = _flat(permute_hidden(net, perm))
    theta_b = _flat(other)
    t = np.linspace(-0.25, 1.25, 61)
    with torch.no_grad():
        line_p = [float(loss_of((1 - s) * theta + s * theta_perm)) for s in t]
        line_b = [float(loss_of((1 - s) * theta + s * theta_b)) for s in t]

    # --8<-- [start:spectrum]
    def spectrum(v: Tensor) -> Tensor:
        # the exact (N, N) Hessian of L at v, then all its eigenvalues, ascending
        return torch.linalg.eigvalsh(torch.autograd.functional.hessian(loss_of, v))

    g = torch.Generator().manual_seed(2)
    d = torch.randn(theta.numel(), generator=g, dtype=torch.float64)
    d = d / d.norm()  # a random unit direction
    radii = np.logspace(-5, -0.5, 10)
    min_eig, loss_r = [], []
    for r in radii:
        point = theta + float(r) * d  # θ* + r d
        min_eig.append(float(spectrum(point)[0]))
        loss_r.append(float(loss_of(point)))
    # --8<-- [end:spectrum]
    near = 0.1
    path_steps = np.arange(0, GD_STEPS + 1, 25)[::6]
    path_min = [float(spectrum(p)[0]) for p in path[::6]]

    params = list(net.parameters())
    gen = torch.Generator().manual_seed(3)
    d1 = diagnostics.random_direction(params, generator=gen)
    d2 = diagnostics.random_direction(params, generator=gen)
    coords = torch.linspace(-1, 1, 41, dtype=torch.float64)
    grid = torch.stack(torch.meshgrid(coords, coords, indexing="xy"), dim=-1)  # (G, G, 2)
    surface = diagnostics.loss_surface(lambda: _mse(net, x, y), params, [d1, d2], grid).numpy()
    h = float(coords[1] - coords[0])
    return Nonconvexity(
        final_loss=float(loss_of(theta)),
        n_params=theta.numel(),
        perm=perm.numpy(),
        t=t,
        line_permuted=np.array(line_p),
        line_other_seed=np.array(line_b),
        radii=radii,
        min_eig=np.array(min_eig),
        loss_at_radii=np.array(loss_r),
        spectrum_min=spectrum(theta).numpy(),
        spectrum_near=spectrum(theta + near * d).numpy(),
        near_radius=near,
        path_steps=path_steps,
        path_min_eig=np.array(path_min),
        slice_coords=coords.numpy(),
        slice_loss=surface,
        slice_curvature=_slice_curvature(surface, h),
    )


@dataclass(frozen=True)
class PLStar:
    r"""The PL\* ratio along the gradient-descent path of the non-convexity experiment.

    Attributes:
        steps: the recorded steps.
        params: the flat parameters there, shape `(T, N)`.
        loss: $L(\theta_t)$.
        mu: $\mu_t = \tfrac12\lVert\nabla L(\theta_t)\rVert^2 / L(\theta_t)$.
        kernel_bound: $\tfrac2n\lambda_{\min}(J_tJ_t^\top)$, a lower bound on $\mu_t$.
        lr: the step size of gradient descent.
    """

    steps: np.ndarray
    params: np.ndarray
    loss: np.ndarray
    mu: np.ndarray
    kernel_bound: np.ndarray
    lr: float


@functools.cache
def pl_star_path() -> PLStar:
    """$\\mu_t$ and the tangent-kernel bound every 25 steps of gradient descent."""
    x, y = landscape_data()
    net, path, _ = _fits()
    loss_of = flat_loss(net, x, y)
    n = x.shape[0]
    losses, mus, bounds = [], [], []
    for v in path:
        # --8<-- [start:pl]
        v = v.clone().requires_grad_(True)
        loss = loss_of(v)
        (grad,) = torch.autograd.grad(loss, v)
        # μ_t = ½‖∇L‖² / L
        losses.append(float(loss.detach()))
        mus.append(float(0.5 * grad @ grad / loss.detach()))
        # J: one row per training point, ∂f(x_i)/∂θ, shape (n, N)
        jac = torch.func.jacrev(lambda w: _outputs(net, w, x))(v.detach())
        kernel = jac @ jac.T  # (n, n), the tangent kernel on the training set
        # ½‖∇L‖² ≥ (2/n) λ_min(J Jᵀ) L
        bounds.append(2 / n * float(torch.linalg.eigvalsh(kernel)[0]))
        # --8<-- [end:pl]
    return PLStar(
        steps=np.arange(0, GD_STEPS + 1, 25),
        params=path.numpy(),
        loss=np.array(losses),
        mu=np.array(mus),
        kernel_bound=np.array(bounds),
        lr=GD_LR,
    )


def _outputs(net: nn.Module, v: Tensor, x: Tensor) -> Tensor:
    names = [k for k, _ in net.named_parameters()]
    shapes = [p.shape for p in net.parameters()]
    chunks = torch.split(v, [p.numel() for p in net.parameters()])
    ps = {k: c.reshape(s) for k, c, s in zip(names, chunks, shapes, strict=True)}
    return functional_call(net, ps, (x,)).reshape(-1)  # (n,)
