"""Feedback alignment against autograd backprop; difference target propagation's targets against
their defining properties (no error, no change; first order: the feedback map's Jacobian)."""

from __future__ import annotations

import math

import torch

from refimpl.equilibrium import dtp_targets, two_layer_updates

F64 = torch.float64


def two_layer():
    gen = torch.Generator().manual_seed(0)
    params = (
        torch.randn(6, 3, generator=gen, dtype=F64),
        torch.randn(6, generator=gen, dtype=F64),
        torch.randn(2, 6, generator=gen, dtype=F64),
        torch.randn(2, generator=gen, dtype=F64),
    )
    x = torch.randn(5, 3, generator=gen, dtype=F64)
    y = torch.randn(5, 2, generator=gen, dtype=F64)
    return params, x, y


def test_backprop_updates_equal_autograd_gradients():
    params, x, y = two_layer()
    p = [t.clone().requires_grad_() for t in params]
    h = torch.tanh(x @ p[0].T + p[1])
    loss = 0.5 * ((h @ p[2].T + p[3] - y) ** 2).sum(-1).mean()
    expected = torch.autograd.grad(loss, p)
    for a, b in zip(two_layer_updates(params, x, y, None), expected, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-12, atol=1e-14)
    # feedback alignment with B = W2^T is backprop
    fa = two_layer_updates(params, x, y, params[2].T.clone())
    for a, b in zip(fa, expected, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-12, atol=1e-14)


def test_feedback_alignment_changes_only_the_hidden_layer_update():
    params, x, y = two_layer()
    B = torch.randn(6, 2, generator=torch.Generator().manual_seed(3), dtype=F64)
    bp, fa = two_layer_updates(params, x, y, None), two_layer_updates(params, x, y, B)
    torch.testing.assert_close(fa[2], bp[2])
    torch.testing.assert_close(fa[3], bp[3])
    assert not torch.allclose(fa[0], bp[0])


def layers():
    gen = torch.Generator().manual_seed(1)

    def lin(o, i):
        return (
            torch.randn(o, i, generator=gen, dtype=F64) / math.sqrt(i),
            0.1 * torch.randn(o, generator=gen, dtype=F64),
        )

    x = torch.randn(4, 3, generator=gen, dtype=F64)
    return [lin(5, 3), lin(4, 5), lin(2, 4)], [lin(5, 4), lin(4, 2)], x


def test_no_output_error_means_every_target_is_the_activation():
    fwd, fb, x = layers()
    h, _ = dtp_targets(fwd, fb, x, torch.zeros(4, 2, dtype=F64))
    h2, targets = dtp_targets(fwd, fb, x, h[-1])
    for a, b in zip(h2, targets, strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=1e-15)


def test_target_shift_is_the_feedback_jacobian_times_the_shift_above():
    fwd, fb, x = layers()
    h, _ = dtp_targets(fwd, fb, x, torch.zeros(4, 2, dtype=F64))
    direction = torch.randn(4, 2, generator=torch.Generator().manual_seed(2), dtype=F64)
    eps = 1e-6
    _, targets = dtp_targets(fwd, fb, x, h[-1] + eps * direction)
    V, c = fb[1]  # g_3 maps layer 3 (outputs) back to layer 2
    for n in range(4):
        J = torch.autograd.functional.jacobian(lambda v: torch.tanh(v @ V.T + c), h[-1][n])
        torch.testing.assert_close(
            (targets[1][n] - h[1][n]) / eps, J @ direction[n], rtol=1e-5, atol=1e-8
        )
