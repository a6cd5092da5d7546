"""The troubleshooting experiments reproduce their symptoms, checked by independent computations."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from refimpl.experiments import troubleshooting as ts

pytestmark = pytest.mark.usefixtures("one_thread")


def test_regression_data_is_seeded_and_on_target():
    x, y = ts.regression_data(50, noise=0.0, seed=3)
    x2, _ = ts.regression_data(50, noise=0.0, seed=3)
    assert torch.equal(x, x2) and x.shape == (50, 1)
    assert float(x.min()) >= -2 and float(x.max()) <= 2
    torch.testing.assert_close(y, torch.sin(3 * x))


def test_nan_run_overflows_only_above_the_stability_limit():
    lam, (big, small, clipped) = ts.nan_runs()
    # reference: the sharpness by a dense Rayleigh-quotient check on its eigenvector's direction
    x, y = ts.regression_data(64, dtype=torch.float32)
    model = ts._mlp((1, 32, 32, 1), nn.ReLU, 0, torch.float32)
    params = list(model.parameters())
    loss = ts.mse(model(x), y)
    grads = torch.autograd.grad(loss, params, create_graph=True)
    gen = torch.Generator().manual_seed(1)
    v = [torch.randn(p.shape, generator=gen) for p in params]
    for _ in range(100):  # plain power iteration, written out
        hv = torch.autograd.grad(grads, params, grad_outputs=v, retain_graph=True)
        norm = torch.sqrt(sum((h * h).sum() for h in hv))
        v = [h / norm for h in hv]
    assert lam == pytest.approx(float(norm), rel=1e-2)
    assert big.stopped is not None and not np.isfinite(big.loss[-1])
    assert small.stopped is None and small.loss[-1] < 0.5 * small.loss[0]
    assert clipped.stopped is None and np.isfinite(clipped.loss).all()
    assert clipped.grad_norm.max() < big.grad_norm[np.isfinite(big.grad_norm)].max()


def test_dead_relu_run_is_flat_and_every_unit_is_dead():
    dead, healthy = ts.dead_relu_runs()
    # the output bias learns the mean, then nothing moves: the loss equals the target variance
    _, y = ts.regression_data(128)
    assert dead.loss[-1] == pytest.approx(float(y.var(unbiased=False)), rel=1e-3)
    assert np.ptp(dead.loss[100:]) < 1e-6
    assert healthy.loss[-1] < 0.05 * healthy.loss[0]
    for key in ("dead/1", "dead/3", "dead/5"):
        assert dead.records[key][1][0] == 1.0 and healthy.records[key][1][0] < 0.5


def test_plateau_is_a_saddle_and_ends():
    res = ts.plateau_runs()
    small, _default = res.runs
    on_plateau = small.loss[50:150]
    assert np.ptp(on_plateau) < 1e-2 * on_plateau[0]  # flat
    assert small.loss[-1] < 0.05 * on_plateau[0]  # and then it drops
    steps, index = res.index[0]
    assert index[steps == 100][0] > 0.05  # negative curvature on the plateau
    assert index[-1] == 0.0 and res.index[1][1][-1] == 0.0
    assert small.grad_norm[50:150].min() < 1e-3
    spectrum = res.spectra[0][100]
    assert spectrum[0] < -0.01 and spectrum[-1] > 1.0


def test_divergence_starts_where_sharpness_crosses_two_over_lr():
    _peak, (warm, capped) = ts.divergence_runs()
    assert warm.stopped is not None and capped.stopped is None
    s, sharp = warm.records["sharpness"]
    ls, lr = warm.records["lr"]
    lr_at = np.interp(s, ls, lr)
    crossing = s[np.argmax(sharp * lr_at > 2.0)]
    blowup = warm.steps[np.argmax(warm.loss > 10 * warm.loss[0])]
    assert 0 < blowup - crossing <= 40
    assert sharp[s <= crossing].max() > 2 * sharp[0]  # progressive sharpening
    cs, csharp = capped.records["sharpness"]
    assert (csharp[cs >= 200] < 2.0 / capped.records["lr"][1][-1]).all()  # settled below 2/γ


def test_overfitting_opens_a_gap():
    res = ts.overfitting_runs()
    run = res.runs[0]
    best = int(np.argmin(run.val_loss))
    assert 0 < best < len(run.val_loss) - 10
    assert run.val_loss[-1] > 1.3 * run.val_loss[best]
    assert run.train_loss[-1] < run.train_loss[best]
    assert set(res.preds[0]) == set(range(0, 801, 10))


def test_slow_convergence_spectrum_and_speed():
    res = ts.slow_convergence_runs()
    raw, std, adam = res.runs
    assert res.spectra[0][-1] > 5 * res.spectra[1][-1]
    assert std.loss[-1] < 0.1 * raw.loss[-1] and adam.loss[-1] < 0.1 * raw.loss[-1]


def test_batch_size_scan_halves_steps_below_the_knee_and_saturates_above():
    r = ts.batch_size_runs()
    steps = dict(zip(r.batch_sizes.tolist(), r.steps.tolist(), strict=True))
    # small batches: doubling B roughly halves the steps (8x fewer steps over 64x the batch)
    assert steps[64] < steps[1] / 8
    # large batches: no further gain
    assert steps[1024] >= 0.8 * steps[256]
    assert r.noise_scale_start < r.b_crit < r.noise_scale_target
    # the fitted law reproduces the measurements to within 40 %
    fit = r.s_min * (1 + r.b_crit / r.batch_sizes)
    np.testing.assert_array_less(np.abs(fit / r.steps - 1), 0.4)
