"""Weight decay and Powerpropagation experiments against closed forms and hand-written loops."""

from __future__ import annotations

import numpy as np
import torch

from refimpl.experiments import regularization as reg
from refimpl.optim import SGD


def test_adam_l2_reaches_the_penalised_minimiser_and_adamw_decays_uniformly() -> None:
    out = reg.weight_decay_fixed_points()
    np.testing.assert_allclose(out["Adam + L2"], out["ridge"], atol=1e-6)
    # AdamW's shrinkage does not depend on the curvature
    assert np.ptp(out["AdamW"]) < 1e-3 and 0.9 < out["AdamW"].mean() < 1.0


def test_sgd_weight_decay_is_decoupled_decay_for_plain_sgd() -> None:
    """θ − γ(g + λθ) = (1 − γλ)θ − γg: for SGD without momentum the two coincide."""
    gen = torch.Generator().manual_seed(0)
    A = torch.randn(6, 6, generator=gen, dtype=torch.float64)
    A = A @ A.T / 6
    theta = torch.nn.Parameter(torch.randn(6, generator=gen, dtype=torch.float64))
    manual = theta.detach().clone()
    opt = SGD([theta], lr=0.1, weight_decay=0.3)
    for _ in range(50):
        opt.zero_grad()
        (0.5 * theta @ A @ theta).backward()
        opt.step()
        manual = (1 - 0.1 * 0.3) * manual - 0.1 * (A @ manual)
    torch.testing.assert_close(theta.detach(), manual, rtol=1e-12, atol=1e-14)


def test_powerprop_runs_fit_and_larger_alpha_is_sparser() -> None:
    runs = reg.powerprop_runs()
    X, y, _ = reg.sparse_regression()
    small = {a: int((np.abs(w) < 0.05).sum()) for a, w in runs.items()}
    assert small[1.0] < small[2.0] <= small[3.0]
    for alpha in (1.0, 2.0):
        w = torch.as_tensor(runs[alpha])
        assert 0.5 * ((X @ w - y) ** 2).mean() < 1e-3
    # pruning to 70 weights costs α = 2 far less than α = 1
    assert reg.pruned_losses(runs[2.0])[70] < 0.01 * reg.pruned_losses(runs[1.0])[70]
