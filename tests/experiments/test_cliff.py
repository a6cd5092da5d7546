"""The cliff experiment: forward-mode sensitivities, the wall's position, clipped step lengths."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from refimpl.experiments import cliff


def forward_mode_gradient(w: float, b: float, steps: int = 50) -> tuple[float, float, float]:
    """E and ∂E/∂w, ∂E/∂b by propagating dh/dw, dh/db alongside h (no autograd)."""
    h, dw, db = 0.5, 0.0, 0.0
    for _ in range(steps):
        s = 1 / (1 + np.exp(-h))
        ds = s * (1 - s)
        # h' = w σ(h) + b:  dh'/dw = σ(h) + w σ'(h) dh/dw,  dh'/db = 1 + w σ'(h) dh/db
        h, dw, db = w * s + b, s + w * ds * dw, 1 + w * ds * db
    return (h - 0.7) ** 2, 2 * (h - 0.7) * dw, 2 * (h - 0.7) * db


@pytest.mark.parametrize(("w", "b"), [(5.0, -2.5), (5.0, -2.7), (3.0, -1.0), (8.0, -4.0)])
def test_autograd_matches_forward_mode(w: float, b: float) -> None:
    theta = torch.tensor([w, b], dtype=torch.float64, requires_grad=True)
    error = cliff.cliff_error(theta[0], theta[1])
    (grad,) = torch.autograd.grad(error, theta)
    E, dw, db = forward_mode_gradient(w, b)
    assert error.item() == pytest.approx(E, rel=1e-12)
    np.testing.assert_allclose(grad.numpy(), [dw, db], rtol=1e-9)


def test_wall_at_w5() -> None:
    b, E, g = cliff.cliff_slice()
    i = int(np.argmax(np.abs(g)))
    assert b[i] == pytest.approx(-2.6124, abs=2e-4)
    assert np.abs(g[i]) > 1000 * np.median(np.abs(g))
    # the error jumps across the wall: ≈ 7.5 to the left, ≈ 0.4 to the right
    assert E[i - 5] > 7 and E[i + 5] < 0.6


def test_clipping_bounds_the_step_and_plain_gd_is_thrown_away() -> None:
    plain = cliff.cliff_run()
    clipped = cliff.cliff_run(threshold=cliff.CLIFF_THRESHOLD)
    plain_steps = np.linalg.norm(np.diff(plain.path, axis=0), axis=1)
    clipped_steps = np.linalg.norm(np.diff(clipped.path, axis=0), axis=1)
    assert plain_steps.max() > 10  # one step flies off the surface
    assert clipped_steps.max() <= cliff.CLIFF_LR * cliff.CLIFF_THRESHOLD * (1 + 1e-9)
    assert clipped.grad_norms.max() > 100  # it did meet the wall
    assert clipped.errors[-1] < 1e-2 < plain.errors[-1]
