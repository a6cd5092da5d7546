r"""Experiments for the bilevel-learning page: few-shot sinusoid regression meta-learned with
unrolled (MAML-style) and implicit (iMAML) meta-gradients, and the convergence of the unrolled
meta-gradient to the implicit one.

Tasks follow Finn et al. (2017): $y = A\sin(x + \varphi)$ with $A \sim U[0.1, 5]$,
$\varphi \sim U[0, \pi]$, $x \sim U[-5, 5]$, here with 5 training and 25 test points per task
(50 held-out tasks measure the meta-test loss).
The model is a linear read-out $\phi$ of 40 fixed random tanh features and a constant, and the
meta-parameters $\theta$ are the read-out's initialisation (MAML) or the centre of its proximal
prior (iMAML).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from refimpl.equilibrium.bilevel import (
    imaml_hypergradient,
    inner_solution,
    maml_hypergradient,
    unrolled_adaptation,
)
from refimpl.experiments._threads import one_thread

__all__ = [
    "MetaRun",
    "meta_learning_curves",
    "sinusoid_features",
    "sinusoid_task",
    "unrolled_vs_implicit",
]

F64 = torch.float64
N_FEATURES = 40
INNER_STEPS, INNER_LR, LAM, CG_STEPS = 5, 0.05, 1.0, 10


def sinusoid_features(x: Tensor) -> Tensor:
    """Fixed random tanh features of `x` `(n,)` plus a constant, shape `(n, 41)`."""
    gen = torch.Generator().manual_seed(1234)
    a = torch.randn(N_FEATURES, generator=gen, dtype=F64)
    c = 5 * (2 * torch.rand(N_FEATURES, generator=gen, dtype=F64) - 1)
    return torch.cat([torch.tanh(a * (x[:, None] - c)), torch.ones(len(x), 1, dtype=F64)], 1)


def sinusoid_task(gen: torch.Generator, n_train: int = 5, n_test: int = 25):
    """One task: `((features, y) train, (features, y) test, (amplitude, phase))`."""
    amp = 0.1 + 4.9 * float(torch.rand((), generator=gen, dtype=F64))
    phase = float(np.pi) * float(torch.rand((), generator=gen, dtype=F64))
    x = 10 * torch.rand(n_train + n_test, generator=gen, dtype=F64) - 5
    y = amp * torch.sin(x + phase)
    feats = sinusoid_features(x)
    return (feats[:n_train], y[:n_train]), (feats[n_train:], y[n_train:]), (amp, phase)


def _adapted(theta: Tensor, train, method: str) -> Tensor:
    if method == "imaml":
        return inner_solution(theta, train, LAM)
    with torch.enable_grad():
        t = theta.detach().requires_grad_()
        return unrolled_adaptation(t, train, INNER_STEPS, INNER_LR).detach()


def _test_loss(theta: Tensor, tasks, method: str) -> float:
    losses = [
        0.5 * ((te[0] @ _adapted(theta, tr, method) - te[1]) ** 2).mean() for tr, te, _ in tasks
    ]
    return float(torch.stack(losses).mean())


@dataclass(frozen=True)
class MetaRun:
    """Meta-test loss against meta-iterations, and the learned meta-parameters.

    Attributes:
        iterations: meta-iterations at which the loss was measured.
        loss: `{"maml": ..., "imaml": ...}` mean test loss after adaptation on held-out tasks.
        theta: `{"maml": ..., "imaml": ...}` learned meta-parameters.
        baseline: the same losses for $\\theta = 0$ (learning each task from scratch).
    """

    iterations: np.ndarray
    loss: dict[str, np.ndarray]
    theta: dict[str, Tensor]
    baseline: dict[str, float]


@functools.cache
@one_thread
def meta_learning_curves(
    meta_iters: int = 120, meta_batch: int = 5, meta_lr: float = 0.1
) -> MetaRun:
    """Meta-train with MAML (5 unrolled steps) and with iMAML ($\\lambda = 1$, 10 CG steps)."""
    held_out = [sinusoid_task(torch.Generator().manual_seed(10_000 + i)) for i in range(50)]
    gen = torch.Generator().manual_seed(0)
    theta = {m: torch.zeros(N_FEATURES + 1, dtype=F64) for m in ("maml", "imaml")}
    every = 10
    curves = {m: [_test_loss(theta[m], held_out, m)] for m in theta}
    for it in range(1, meta_iters + 1):
        tasks = [sinusoid_task(gen) for _ in range(meta_batch)]
        for m in theta:
            if m == "maml":
                grads = [
                    maml_hypergradient(theta[m], tr, te, INNER_STEPS, INNER_LR)
                    for tr, te, _ in tasks
                ]
            else:
                grads = [
                    imaml_hypergradient(theta[m], tr, te, LAM, CG_STEPS) for tr, te, _ in tasks
                ]
            # theta <- theta - meta_lr * mean_i d L_i^test / d theta
            theta[m] = theta[m] - meta_lr * torch.stack(grads).mean(0)
        if it % every == 0:
            for m in theta:
                curves[m].append(_test_loss(theta[m], held_out, m))
    zero = torch.zeros(N_FEATURES + 1, dtype=F64)
    return MetaRun(
        np.arange(0, meta_iters + 1, every),
        {m: np.array(v) for m, v in curves.items()},
        theta,
        {m: _test_loss(zero, held_out, m) for m in theta},
    )


@functools.cache
@one_thread
def unrolled_vs_implicit(
    steps: tuple[int, ...] = (1, 2, 5, 10, 20, 50, 100, 150, 200, 300),
) -> tuple[np.ndarray, np.ndarray]:
    """Relative error of the unrolled meta-gradient of the proximal inner problem against iMAML's,
    for a growing number of inner steps (one task, $\\theta = 0$)."""
    tr, te, _ = sinusoid_task(torch.Generator().manual_seed(7))
    theta = torch.zeros(N_FEATURES + 1, dtype=F64)
    g_imp = imaml_hypergradient(theta, tr, te, LAM, cg_steps=200)
    # the step 1 / (lambda_max + lambda) makes plain gradient descent on the inner problem stable
    lr = 1.0 / float(torch.linalg.eigvalsh(tr[0].T @ tr[0] / len(tr[1]))[-1] + LAM)
    errs = [
        float((maml_hypergradient(theta, tr, te, k, lr, LAM) - g_imp).norm() / g_imp.norm())
        for k in steps
    ]
    return np.array(steps), np.array(errs)
