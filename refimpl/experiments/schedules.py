r"""Learning-rate schedules and early stopping, on small deterministic problems.

``schedule_curves`` steps every scheduler of ``refimpl.optim.lr_scheduler`` on a dummy
optimizer and records the learning rate. ``early_stopping_run`` fits an over-parametrised
polynomial model (degree 15 on 20 noisy samples of $\sin\pi x$) by full-batch gradient descent
from zero and records the training and validation losses; the validation loss falls and then
rises again as the model starts fitting the noise, and ``refimpl.optim.EarlyStopping`` picks the
step to stop. Gradient descent from zero fits the directions of large curvature first, so its
iterate after $t$ steps resembles the ridge solution with penalty $\alpha \approx 1/(t\gamma)$.
Reading list: ``goodfellow2016`` (sections 7.8 and 8.3.1), ``prechelt1998early``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from refimpl.optim import SGD, EarlyStopping
from refimpl.optim.lr_scheduler import CosineAnnealingLR, ExponentialLR, StepLR, WarmupCosineLR

__all__ = ["EarlyStoppingRun", "early_stopping_run", "legendre_features", "schedule_curves"]


@functools.cache
def schedule_curves(steps: int = 100, base_lr: float = 0.1) -> dict[str, np.ndarray]:
    """The learning rate of each schedule at steps $0, \\dots, T-1$ (cached).

    Args:
        steps: $T$.
        base_lr: $\\gamma_0$.

    Returns:
        ``{name: rates}``, each of shape ``(T,)``.
    """
    makers = {
        "step (s = 30, d = 0.3)": lambda o: StepLR(o, step_size=30, gamma=0.3),
        "exponential (d = 0.97)": lambda o: ExponentialLR(o, gamma=0.97),
        "cosine (T = 100)": lambda o: CosineAnnealingLR(o, T_max=steps),
        "warm-up 10 + cosine": lambda o: WarmupCosineLR(o, warmup_steps=10, total_steps=steps),
    }
    out = {}
    for name, make in makers.items():
        opt = SGD([torch.nn.Parameter(torch.zeros(1))], lr=base_lr)
        sched = make(opt)
        rates = []
        for _ in range(steps):
            rates.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        out[name] = np.asarray(rates)
    return out


def legendre_features(x: Tensor, degree: int) -> Tensor:
    """Legendre polynomials $P_0(x), \\dots, P_k(x)$ by Bonnet's recursion.

    Args:
        x: points in $[-1, 1]$, shape ``(n,)``.
        degree: $k$.

    Returns:
        The features, shape ``(n, k + 1)``.
    """
    P = [torch.ones_like(x), x]
    for n in range(1, degree):
        # (n + 1) P_{n+1} = (2n + 1) x P_n − n P_{n−1}
        P.append(((2 * n + 1) * x * P[n] - n * P[n - 1]) / (n + 1))
    return torch.stack(P[: degree + 1], dim=1)  # (n, k + 1)


@dataclass(frozen=True)
class EarlyStoppingRun:
    """Training and validation losses of one gradient-descent run.

    Attributes:
        steps: the evaluated steps, shape ``(m,)``.
        train: the training loss at those steps, shape ``(m,)``.
        val: the validation loss, shape ``(m,)``.
        stop_step: the step at which ``EarlyStopping`` stopped the run.
        best_step: the step with the best validation loss up to then (whose parameters are kept).
    """

    steps: np.ndarray
    train: np.ndarray
    val: np.ndarray
    stop_step: int
    best_step: int


@functools.cache
def early_stopping_run(
    steps: int = 5000, degree: int = 15, noise: float = 0.3, patience: int = 20, seed: int = 0
) -> EarlyStoppingRun:
    """Full-batch GD on an over-parametrised polynomial fit, with early stopping (cached).

    The run continues to ``steps`` after the stopper fires, so that the figure can show what
    stopping avoided. Evaluations happen at 200 logarithmically spaced steps.

    Args:
        steps: total gradient steps.
        degree: polynomial degree (parameters: ``degree + 1``).
        noise: label-noise standard deviation.
        patience: evaluations without improvement before stopping.
        seed: data seed.

    Returns:
        The losses, the stopping step and the best step.
    """
    gen = torch.Generator().manual_seed(seed)
    x_train = torch.rand(20, generator=gen, dtype=torch.float64) * 2 - 1
    x_val = torch.rand(200, generator=gen, dtype=torch.float64) * 2 - 1
    y_train = torch.sin(torch.pi * x_train) + noise * torch.randn(
        20, generator=gen, dtype=torch.float64
    )
    y_val = torch.sin(torch.pi * x_val) + noise * torch.randn(
        200, generator=gen, dtype=torch.float64
    )
    F_train, F_val = legendre_features(x_train, degree), legendre_features(x_val, degree)
    lam_max = torch.linalg.eigvalsh(F_train.mT @ F_train / 20)[-1].item()
    theta = torch.nn.Parameter(torch.zeros(degree + 1, dtype=torch.float64))
    opt = SGD([theta], lr=1.0 / lam_max)
    stopper = EarlyStopping(patience=patience)
    evaluate = set(np.unique(np.geomspace(1, steps, 200).astype(int)).tolist())
    record_steps, train, val = [], [], []
    stop_step = steps
    for t in range(1, steps + 1):
        opt.zero_grad()
        (0.5 * ((F_train @ theta - y_train) ** 2).mean()).backward()
        opt.step()
        if t in evaluate:
            with torch.no_grad():
                tr = 0.5 * ((F_train @ theta - y_train) ** 2).mean().item()
                va = 0.5 * ((F_val @ theta - y_val) ** 2).mean().item()
            record_steps.append(t)
            train.append(tr)
            val.append(va)
            if not stopper.should_stop and stopper.step(va):
                stop_step = t
    return EarlyStoppingRun(
        steps=np.asarray(record_steps),
        train=np.asarray(train),
        val=np.asarray(val),
        stop_step=stop_step,
        best_step=record_steps[stopper.best_step],
    )
