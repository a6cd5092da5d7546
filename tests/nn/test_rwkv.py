"""RWKV: the recurrent WKV equals the parallel one and the paper's formula; blocks are causal.

References: the WKV sum of Peng et al. (2023) evaluated term by term, and the two forms against
each other (including a state carried across calls).
"""

from __future__ import annotations

import torch

from refimpl.functional import wkv_parallel, wkv_recurrent
from refimpl.nn import RWKVBlock, RWKVChannelMixing, RWKVTimeMixing

F64 = torch.float64


def wkv_by_definition(w, u, k, v):
    T = k.shape[1]
    out = torch.zeros_like(v)
    for t in range(T):
        num = torch.exp(u + k[:, t]) * v[:, t]
        den = torch.exp(u + k[:, t])
        for i in range(t):
            e = torch.exp(-(t - 1 - i) * w + k[:, i])
            num, den = num + e * v[:, i], den + e
        out[:, t] = num / den
    return out


def test_wkv_forms_match_the_definition():
    torch.manual_seed(0)
    w, u = torch.rand(6, dtype=F64) * 2, torch.randn(6, dtype=F64)
    k, v = torch.randn(2, 11, 6, dtype=F64) * 3, torch.randn(2, 11, 6, dtype=F64)
    ref = wkv_by_definition(w, u, k, v)
    torch.testing.assert_close(wkv_parallel(w, u, k, v), ref, rtol=1e-10, atol=1e-12)
    rec, _ = wkv_recurrent(w, u, k, v)
    torch.testing.assert_close(rec, ref, rtol=1e-10, atol=1e-12)


def test_recurrent_state_carries_across_calls_and_survives_large_keys():
    torch.manual_seed(1)
    w, u = torch.rand(4, dtype=F64), torch.randn(4, dtype=F64)
    k, v = torch.randn(1, 12, 4, dtype=F64) * 300, torch.randn(1, 12, 4, dtype=F64)
    whole, _ = wkv_recurrent(w, u, k, v)
    first, state = wkv_recurrent(w, u, k[:, :5], v[:, :5])
    second, _ = wkv_recurrent(w, u, k[:, 5:], v[:, 5:], state)
    torch.testing.assert_close(torch.cat([first, second], 1), whole, rtol=1e-12, atol=0)
    assert torch.isfinite(whole).all()  # e^{300} would overflow without the running maximum
    torch.testing.assert_close(whole, wkv_parallel(w, u, k, v), rtol=1e-10, atol=1e-12)


def test_time_mixing_recurrent_equals_parallel_with_gradients():
    torch.manual_seed(0)
    tm = RWKVTimeMixing(8).double()
    x = torch.randn(2, 9, 8, dtype=F64, requires_grad=True)
    par, rec = tm(x), tm(x, mode="recurrent")
    torch.testing.assert_close(rec, par, rtol=1e-10, atol=1e-12)
    (g_par,) = torch.autograd.grad(par.square().sum(), tm.time_decay)
    (g_rec,) = torch.autograd.grad(rec.square().sum(), tm.time_decay)
    torch.testing.assert_close(g_rec, g_par, rtol=1e-9, atol=1e-12)


def test_channel_mixing_formula():
    torch.manual_seed(0)
    cm = RWKVChannelMixing(4, 8).double()
    x = torch.randn(1, 3, 4, dtype=F64)
    prev = torch.cat([torch.zeros(1, 1, 4, dtype=F64), x[:, :-1]], 1)
    xk = cm.time_mix_k * x + (1 - cm.time_mix_k) * prev
    xr = cm.time_mix_r * x + (1 - cm.time_mix_r) * prev
    k = torch.relu(xk @ cm.key.weight.T) ** 2
    ref = torch.sigmoid(xr @ cm.receptance.weight.T) * (k @ cm.value.weight.T)
    torch.testing.assert_close(cm(x), ref, rtol=1e-12, atol=1e-14)


def test_block_is_causal():
    torch.manual_seed(0)
    block = RWKVBlock(8).double()
    x = torch.randn(1, 10, 8, dtype=F64)
    y = x.clone()
    y[:, 7:] = torch.randn(1, 3, 8, dtype=F64)
    torch.testing.assert_close(block(y)[:, :7], block(x)[:, :7], rtol=0, atol=1e-13)
