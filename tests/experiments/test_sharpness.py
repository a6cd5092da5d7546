"""Sharpness experiment: rescaling keeps the function, changes λ_max as α^±2; GD sits at 2/γ."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from refimpl.experiments import sharpness as sh


def test_rescaling_keeps_the_function_and_scales_the_hessian_blocks() -> None:
    X, _ = sh.sharpness_data()
    torch.manual_seed(1)
    net = torch.nn.Sequential(torch.nn.Linear(2, 6), torch.nn.ReLU(), torch.nn.Linear(6, 1))
    net = net.double()
    scaled = sh.rescale_hidden_units(net, 3.0)
    torch.testing.assert_close(scaled(X), net(X))
    # ∂²L/∂W2² at the rescaled point is α² times the original block (W2 enters linearly)
    h = torch.relu(net[0](X))
    H22 = 2 * h.T @ h / len(X)  # MSE Hessian w.r.t. W2, closed form
    hs = torch.relu(scaled[0](X))
    torch.testing.assert_close(2 * hs.T @ hs / len(X), 9.0 * H22)


def test_sharpness_is_the_top_eigenvalue_of_the_exact_hessian() -> None:
    X, y = sh.sharpness_data(16)
    torch.manual_seed(2)
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    net = net.double()
    params = list(net.parameters())
    flat = torch.cat([p.detach().reshape(-1) for p in params])
    shapes = [p.shape for p in params]

    def f(theta: torch.Tensor) -> torch.Tensor:
        chunks, i = [], 0
        for s in shapes:
            chunks.append(theta[i : i + s.numel()].view(s))
            i += s.numel()
        W1, b1, W2, b2 = chunks
        return ((torch.relu(X @ W1.T + b1) @ W2.T + b2 - y) ** 2).mean()

    H = torch.autograd.functional.hessian(f, flat)
    assert sh.sharpness(net, X, y) == pytest.approx(torch.linalg.eigvalsh(H)[-1].item())


def test_gd_hovers_at_the_stability_limit_and_sam_is_flatter() -> None:
    gd, sam = sh.sam_vs_gd()
    assert gd.sharpness[-1] == pytest.approx(2 / 0.2, rel=0.05)
    assert sam.sharpness[-1] < 0.6 * gd.sharpness[-1]
    assert gd.losses[0] == sam.losses[0]  # same start
    losses, s_gd, s_sam = sh.rescaled_sharpness((0.1, 1.0, 10.0))
    np.testing.assert_allclose(losses, losses[1], rtol=1e-12)
    assert s_gd[1] == pytest.approx(gd.sharpness[-1])
    assert s_gd[0] > 10 * s_gd[1] and s_gd[2] > 10 * s_gd[1]
    assert s_sam[0] > s_gd[1]
