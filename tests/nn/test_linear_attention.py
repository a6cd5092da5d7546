"""Linear attention: the parallel, recurrent and chunked forms agree; the kernel form is exact.

References: a direct double loop over the definition, and the three forms against each other.
"""

from __future__ import annotations

import pytest
import torch

from refimpl.functional import (
    elu_feature_map,
    linear_attention_chunked,
    linear_attention_parallel,
    linear_attention_recurrent,
)
from refimpl.nn import LinearAttention

F64 = torch.float64


def features(*shape: int) -> torch.Tensor:
    return elu_feature_map(torch.randn(*shape, dtype=F64) * 2)


def test_feature_map_is_elu_plus_one():
    x = torch.linspace(-5, 5, 101, dtype=F64)
    torch.testing.assert_close(
        elu_feature_map(x), torch.nn.functional.elu(x) + 1, rtol=1e-14, atol=1e-15
    )
    assert (elu_feature_map(x) > 0).all()


def test_parallel_matches_the_definition():
    q, k, v = features(9, 3), features(9, 3), torch.randn(9, 2, dtype=F64)
    out = linear_attention_parallel(q, k, v, eps=0.0)
    for t in range(9):
        w = torch.stack([q[t] @ k[s] for s in range(t + 1)])
        ref = (w[:, None] * v[: t + 1]).sum(0) / w.sum()
        torch.testing.assert_close(out[t], ref, rtol=1e-12, atol=0)


@pytest.mark.parametrize("chunk", [1, 4, 7, 64])
def test_three_forms_agree(chunk: int):
    q, k, v = features(2, 3, 23, 5), features(2, 3, 23, 5), torch.randn(2, 3, 23, 4, dtype=F64)
    par = linear_attention_parallel(q, k, v)
    torch.testing.assert_close(linear_attention_recurrent(q, k, v), par, rtol=1e-10, atol=1e-12)
    chunked = linear_attention_chunked(q, k, v, chunk_size=chunk)
    torch.testing.assert_close(chunked, par, rtol=1e-10, atol=1e-12)


def test_module_modes_agree_in_value_and_gradient():
    torch.manual_seed(0)
    model = LinearAttention(8, 2, chunk_size=4).double()
    x = torch.randn(3, 13, 8, dtype=F64)
    outs, grads = {}, {}
    for mode in ("parallel", "recurrent", "chunked"):
        model.zero_grad()
        outs[mode] = model(x, mode=mode)
        (outs[mode] ** 2).sum().backward()
        grads[mode] = model.q_proj.weight.grad.clone()
    for mode in ("recurrent", "chunked"):
        torch.testing.assert_close(outs[mode], outs["parallel"], rtol=1e-10, atol=1e-12)
        torch.testing.assert_close(grads[mode], grads["parallel"], rtol=1e-10, atol=1e-12)


def test_causal_linear_attention_leaks_nothing():
    torch.manual_seed(0)
    model = LinearAttention(8, 2).double()
    x = torch.randn(1, 10, 8, dtype=F64)
    base = model(x)
    y = x.clone()
    y[:, 6:] += 3.0
    torch.testing.assert_close(model(y)[:, :6], base[:, :6], rtol=0, atol=1e-14)


def test_noncausal_is_the_reassociated_product():
    q, k, v = features(11, 4), features(11, 4), torch.randn(11, 3, dtype=F64)
    # φ(Q) (φ(K)ᵀ V) / φ(Q) (φ(K)ᵀ 1): O(T d²) instead of O(T² d)
    ref = (q @ (k.T @ v)) / (q @ k.sum(0))[:, None]
    out = linear_attention_parallel(q, k, v, causal=False, eps=0.0)
    torch.testing.assert_close(out, ref, rtol=1e-12, atol=0)
