r"""Gradients through time in a tanh Elman RNN: vanishing, exploding, truncated, forward mode.

- ``jacobian_norms``: $\lVert\partial h_T/\partial h_{T-k}\rVert_2 = \lVert\prod_{j=T-k+1}^{T}
  \mathrm{diag}(1 - h_j^2)W_{hh}\rVert_2$ against $k$, for recurrent matrices of spectral radius
  below, near and above one, and for an orthogonal matrix (Pascanu et al. 2013).
- ``truncation_alignment``: the cosine between the truncated-BPTT gradient and the full one,
  against the truncation window.
- ``gradient_costs``: multiply-adds and memory of BPTT and RTRL against the hidden size.

Reading list: ``pascanu2013difficulty``, ``williams1989rtrl``, ``williams1990truncated``.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from refimpl.experiments._threads import single_thread
from refimpl.functional import (
    elman_bptt,
    elman_states,
    random_orthogonal,
    with_spectral_radius,
)

__all__ = ["gradient_costs", "jacobian_norms", "recurrent_matrix", "truncation_alignment"]


def recurrent_matrix(kind: str, rho: float, hidden: int, seed: int) -> torch.Tensor:
    """A float64 recurrent matrix: Gaussian rescaled to spectral radius ``rho``, or orthogonal."""
    gen = torch.Generator().manual_seed(seed)
    if kind == "orthogonal":
        return random_orthogonal(hidden, gain=rho, generator=gen, dtype=torch.float64)
    W = torch.randn(hidden, hidden, generator=gen, dtype=torch.float64)
    return with_spectral_radius(W, rho)


def _run(W: torch.Tensor, steps: int, seed: int, input_scale: float = 0.3):
    """States of a tanh RNN with recurrent matrix W, identity input weights, small inputs."""
    H = W.shape[0]
    gen = torch.Generator().manual_seed(1000 + seed)
    x = input_scale * torch.randn(steps, 1, H, generator=gen, dtype=torch.float64)
    eye = torch.eye(H, dtype=torch.float64)
    return x, elman_states(x, torch.zeros(1, H, dtype=torch.float64), eye, W, torch.zeros(H))


@functools.cache
@single_thread()
def jacobian_norms(
    cases: tuple[tuple[str, float], ...] = (
        ("gaussian", 0.8), ("gaussian", 1.0), ("gaussian", 1.2), ("orthogonal", 1.0),
    ),
    steps: int = 60, hidden: int = 64, seeds: int = 3,
) -> tuple[np.ndarray, dict[tuple[str, float], tuple[np.ndarray, np.ndarray]]]:  # fmt: skip
    r"""$\lVert\partial h_T/\partial h_{T-k}\rVert_2$ for $k = 1..T$, tanh and linear.

    Returns:
        the lags and, per case, the geometric means over ``seeds`` of the norm for the tanh RNN
        and for the same recurrence without the nonlinearity ($\lVert W^k\rVert_2$).
    """
    lags = np.arange(1, steps + 1)
    out = {}
    for kind, rho in cases:
        tanh_logs, linear_logs = [], []
        for seed in range(seeds):
            W = recurrent_matrix(kind, rho, hidden, seed)
            _, hs = _run(W, steps, seed)
            M = torch.eye(hidden, dtype=torch.float64)
            L = torch.eye(hidden, dtype=torch.float64)
            tanh_products, linear_products = [], []
            for j in range(steps, 0, -1):
                # ∂h_T/∂h_{j-1} = (∂h_T/∂h_j) diag(1 − h_j²) W
                M = (M * (1 - hs[j, 0] ** 2)) @ W
                L = L @ W
                tanh_products.append(M)
                linear_products.append(L)
            t_norms = torch.linalg.matrix_norm(torch.stack(tanh_products), ord=2).numpy()
            l_norms = torch.linalg.matrix_norm(torch.stack(linear_products), ord=2).numpy()
            tanh_logs.append(np.log(t_norms))
            linear_logs.append(np.log(l_norms))
        out[(kind, rho)] = (np.exp(np.mean(tanh_logs, 0)), np.exp(np.mean(linear_logs, 0)))
    return lags, out


@functools.cache
@single_thread()
def truncation_alignment(
    rhos: tuple[float, ...] = (0.8, 1.0, 1.2),
    windows: tuple[int, ...] = (1, 2, 3, 5, 8, 12, 20, 30, 45, 60),
    steps: int = 60, hidden: int = 32, seeds: int = 5,
) -> tuple[np.ndarray, dict[float, np.ndarray]]:  # fmt: skip
    r"""Cosine between the truncated and the full BPTT gradient of $W_{hh}$, against the window.

    The loss is $\langle c, h_T\rangle$ at the last step only (a long-range credit-assignment
    problem); the cosine is averaged over ``seeds`` networks and directions $c$.
    """
    out = {}
    for rho in rhos:
        cos = np.zeros(len(windows))
        for seed in range(seeds):
            W = recurrent_matrix("gaussian", rho, hidden, seed)
            x, hs = _run(W, steps, seed, input_scale=0.5)
            grad_h = torch.zeros(steps, 1, hidden, dtype=torch.float64)
            gen = torch.Generator().manual_seed(2000 + seed)
            grad_h[-1] = torch.randn(1, hidden, generator=gen, dtype=torch.float64)
            full = elman_bptt(x, hs, W, grad_h)[1].flatten()
            for i, k in enumerate(windows):
                # chunks are aligned to the end, so the last chunk is k steps long
                start = steps % k
                part = elman_bptt(x[start:], hs[start:], W, grad_h[start:], truncation=k)[1]
                cos[i] += torch.nn.functional.cosine_similarity(part.flatten(), full, dim=0).item()
        out[rho] = cos / seeds
    return np.asarray(windows), out


def gradient_costs(hidden: np.ndarray, inputs: int = 32, steps: int = 100) -> dict[str, np.ndarray]:
    r"""Multiply-adds per sequence and memory (numbers stored) of BPTT and RTRL.

    With $P = H^2 + HI + H$ parameters: BPTT does the forward pass ($\approx T(H^2 + HI)$) and a
    backward pass of about twice that, and stores the $T$ states ($TH$); RTRL updates the
    $H \times P$ sensitivity matrix with a $H \times H$ product each step ($\approx TH^2P$) and
    stores it ($HP$), independently of $T$.
    """
    H = np.asarray(hidden, dtype=float)
    P = H**2 + H * inputs + H
    return {
        "bptt_flops": 3 * steps * (H**2 + H * inputs),
        "rtrl_flops": steps * (H**2 * P + H * P),
        "bptt_memory": steps * H,
        "rtrl_memory": H * P,
    }
