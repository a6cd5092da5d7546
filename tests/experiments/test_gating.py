"""The gating experiments: gate curves against closed forms, and the recall task's data."""

from __future__ import annotations

import numpy as np
import torch

from refimpl.experiments import gating


def test_gate_curves_match_closed_forms():
    c = gating.gate_curves(-6.0, 6.0, 121)
    f = 1.0 / (1.0 + np.exp(-c.a))
    np.testing.assert_allclose(c.plain, f, rtol=1e-12)
    # with r = f: g = 3f² − 2f³ and dg/da = 6 f² (1 − f)²
    np.testing.assert_allclose(c.refined, 3 * f**2 - 2 * f**3, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(c.plain_grad, f * (1 - f), rtol=1e-10)
    np.testing.assert_allclose(c.refined_grad, 6 * f**2 * (1 - f) ** 2, rtol=1e-10, atol=1e-18)


def test_memory_batch_puts_the_sign_first():
    x, y = gating.memory_batch(7, 64, torch.Generator().manual_seed(0), noise=0.1)
    assert x.shape == (8, 64, 1) and y.shape == (64,)
    torch.testing.assert_close((x[0, :, 0] > 0).double(), y)
    assert x[0].abs().eq(1).all() and x[1:].abs().max() < 1
