"""Normalisation layers and dropout against torch and against their defining properties."""

from __future__ import annotations

import pytest
import torch

import refimpl.nn as rnn
from refimpl.functional.normalization import standardize_weight


@pytest.mark.parametrize("momentum", [0.1, 0.5, None])
@pytest.mark.parametrize(
    ("ours", "theirs", "shape"),
    [
        (rnn.BatchNorm1d, torch.nn.BatchNorm1d, (8, 3)),
        (rnn.BatchNorm1d, torch.nn.BatchNorm1d, (8, 3, 5)),
        (rnn.BatchNorm2d, torch.nn.BatchNorm2d, (4, 3, 5, 6)),
    ],
)
def test_running_statistics_follow_torch(ours, theirs, shape, momentum) -> None:
    torch.manual_seed(0)
    ref = theirs(3, momentum=momentum).double()
    mine = ours.from_torch(ref)
    for step in range(5):
        x = torch.randn(shape, dtype=torch.float64) * (step + 1) + step
        torch.testing.assert_close(mine(x), ref(x), rtol=1e-10, atol=1e-12)
    for name in ("running_mean", "running_var", "num_batches_tracked"):
        torch.testing.assert_close(getattr(mine, name), getattr(ref, name), rtol=1e-12, atol=1e-14)
    mine.eval()
    ref.eval()
    x = torch.randn(shape, dtype=torch.float64)
    torch.testing.assert_close(mine(x), ref(x), rtol=1e-10, atol=1e-12)


def test_batchnorm_without_running_stats_uses_batch_statistics_in_eval() -> None:
    ref = torch.nn.BatchNorm1d(3, track_running_stats=False, affine=False).double().eval()
    mine = rnn.BatchNorm1d.from_torch(ref)
    x = torch.randn(10, 3, dtype=torch.float64) * 3 + 1
    torch.testing.assert_close(mine(x), ref(x))
    out = mine(x)
    torch.testing.assert_close(out.mean(0), torch.zeros(3, dtype=torch.float64), atol=1e-12, rtol=0)
    # the biased variance normalises: the output has variance exactly 1 (up to ε)
    torch.testing.assert_close(
        out.var(0, unbiased=False), torch.ones(3, dtype=torch.float64), atol=1e-4, rtol=0
    )


def test_batchnorm_rejects_wrong_rank() -> None:
    with pytest.raises(ValueError):
        rnn.BatchNorm2d(3)(torch.randn(4, 3))


def test_layernorm_normalises_each_example() -> None:
    ln = rnn.LayerNorm(8, elementwise_affine=False)
    x = torch.randn(5, 8, dtype=torch.float64) * 4 + 2
    y = ln(x)
    torch.testing.assert_close(y.mean(-1), torch.zeros(5, dtype=torch.float64), atol=1e-12, rtol=0)
    torch.testing.assert_close(
        y.var(-1, unbiased=False), torch.ones(5, dtype=torch.float64), atol=1e-5, rtol=0
    )
    ref = torch.nn.LayerNorm(8, elementwise_affine=False).double()
    torch.testing.assert_close(rnn.LayerNorm.from_torch(ref)(x), ref(x))


def test_weight_standardisation_is_scale_invariant() -> None:
    torch.manual_seed(0)
    layer = rnn.WSLinear(10, 4, dtype=torch.float64)
    x = torch.randn(3, 10, dtype=torch.float64)
    w_hat = standardize_weight(layer.weight.detach())
    torch.testing.assert_close(
        w_hat.mean(1), torch.zeros(4, dtype=torch.float64), atol=1e-12, rtol=0
    )
    torch.testing.assert_close(
        w_hat.var(1, unbiased=False), torch.ones(4, dtype=torch.float64), atol=1e-3, rtol=0
    )
    before = layer(x)
    with torch.no_grad():
        layer.weight.mul_(7.0).add_(3.0)  # rescaling and shifting each row changes nothing
    # (up to ε = 1e-5 against the row variance, which the rescaling changes)
    torch.testing.assert_close(layer(x), before, rtol=2e-3, atol=2e-3)
    # reference: the same standardisation written with torch's own statistics
    w = layer.weight.detach()
    w_ref = (w - w.mean(1, keepdim=True)) / torch.sqrt(
        w.var(1, unbiased=False, keepdim=True) + 1e-5
    )
    torch.testing.assert_close(layer(x), x @ w_ref.T + layer.bias)


def test_dropout_is_unbiased_and_identity_in_eval() -> None:
    torch.manual_seed(0)
    drop = rnn.Dropout.from_torch(torch.nn.Dropout(0.3))
    x = torch.randn(50_000, dtype=torch.float64).abs() + 1.0
    y = drop(x)
    kept = y != 0
    assert kept.double().mean().item() == pytest.approx(0.7, abs=0.005)
    torch.testing.assert_close(y[kept], x[kept] / 0.7)  # survivors scaled by 1/(1 − p)
    assert y.mean().item() == pytest.approx(x.mean().item(), rel=0.01)  # E[h̃] = h
    drop.eval()
    assert drop(x) is x
    assert torch.equal(rnn.Dropout(1.0)(x), torch.zeros_like(x))
    with pytest.raises(ValueError):
        rnn.Dropout(1.5)
