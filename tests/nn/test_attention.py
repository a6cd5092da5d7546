"""Attention and the Transformer: masks leak nothing, weights are distributions, closed forms.

References: torch's softmax and scaled_dot_product_attention, the closed form of the sinusoidal
encodings evaluated with `math`, and invariants (causality, permutation equivariance).
"""

from __future__ import annotations

import math

import pytest
import torch

from refimpl.functional import (
    causal_mask,
    edge_softmax_attention,
    scaled_dot_product_attention,
    sinusoidal_positional_encoding,
    softmax,
)
from refimpl.nn import CausalTransformer, MultiheadAttention, TransformerEncoderLayer

F64 = torch.float64


def test_softmax_matches_torch_and_handles_infinities():
    x = torch.randn(4, 7, dtype=F64) * 30
    torch.testing.assert_close(softmax(x, dim=-1), torch.softmax(x, dim=-1), rtol=1e-12, atol=0)
    x[0, :3] = float("-inf")
    torch.testing.assert_close(softmax(x, dim=1), torch.softmax(x, dim=1), rtol=1e-12, atol=0)
    assert torch.isnan(softmax(torch.full((3,), float("-inf")), 0)).all()  # as torch


def test_sdpa_matches_torch():
    q, k, v = (torch.randn(2, 3, 5, 4, dtype=F64) for _ in range(3))
    mask = causal_mask(5, dtype=F64)
    out, weights = scaled_dot_product_attention(q, k, v, mask)
    ref = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
    torch.testing.assert_close(out, ref, rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(weights.sum(-1), torch.ones(2, 3, 5, dtype=F64))
    assert (weights.triu(1) == 0).all()


@pytest.mark.parametrize("average", [True, False])
def test_attention_weights_sum_to_one(average: bool):
    mha = MultiheadAttention(8, 4, batch_first=True).double()
    x = torch.randn(2, 6, 8, dtype=F64)
    pad = torch.zeros(2, 6, dtype=torch.bool)
    pad[1, 4:] = True
    _, w = mha(x, x, x, key_padding_mask=pad, average_attn_weights=average)
    assert w.shape == ((2, 6, 6) if average else (2, 4, 6, 6))
    assert (w >= 0).all()
    torch.testing.assert_close(w.sum(-1), torch.ones(w.shape[:-1], dtype=F64))
    assert (w[1, ..., 4:] == 0).all()  # padded keys get no weight


def test_causal_attention_leaks_nothing():
    """The output at t must not change when the inputs after t do."""
    torch.manual_seed(0)
    layer = TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True).double()
    x = torch.randn(1, 9, 8, dtype=F64)
    mask = causal_mask(9)
    base = layer(x, src_mask=mask, is_causal=True)
    for t in range(9):
        y = x.clone()
        y[:, t + 1 :] = torch.randn_like(y[:, t + 1 :]) * 5
        out = layer(y, src_mask=mask, is_causal=True)
        torch.testing.assert_close(out[:, : t + 1], base[:, : t + 1], rtol=0, atol=1e-13)
        if t < 8:
            assert not torch.allclose(out[:, t + 1 :], base[:, t + 1 :])


def test_causal_transformer_leaks_nothing():
    torch.manual_seed(0)
    model = CausalTransformer(13, d_model=16, nhead=4, num_layers=3, dim_feedforward=32).double()
    tokens = torch.randint(0, 13, (2, 10))
    base = model(tokens)
    for t in range(9):
        changed = tokens.clone()
        changed[:, t + 1 :] = (changed[:, t + 1 :] + 1 + t) % 13
        out = model(changed)
        torch.testing.assert_close(out[:, : t + 1], base[:, : t + 1], rtol=0, atol=1e-12)
        assert not torch.allclose(out[:, t + 1 :], base[:, t + 1 :])
    # and the gradient of an early output with respect to later embeddings is exactly zero
    emb = model.embedding
    logits = model(tokens)
    (grad,) = torch.autograd.grad(logits[:, 3].sum(), emb)
    later_only = sorted(
        set(tokens[:, 4:].flatten().tolist()) - set(tokens[:, :4].flatten().tolist())
    )
    assert (grad[later_only] == 0).all()


def test_sinusoidal_encoding_closed_form():
    T, d = 50, 16
    pe = sinusoidal_positional_encoding(T, d, dtype=F64)
    for p in (0, 1, 7, 49):
        for i in range(d // 2):
            angle = p / 10000 ** (2 * i / d)
            assert pe[p, 2 * i].item() == pytest.approx(math.sin(angle), abs=1e-14)
            assert pe[p, 2 * i + 1].item() == pytest.approx(math.cos(angle), abs=1e-14)
    # each pair (sin, cos) has unit norm, and a shift by k is the same rotation at every p
    torch.testing.assert_close(
        pe[:, 0::2] ** 2 + pe[:, 1::2] ** 2, torch.ones(T, d // 2, dtype=F64)
    )
    k = 5
    omega = 10000 ** (-torch.arange(0, d, 2, dtype=F64) / d)
    c, s = torch.cos(k * omega), torch.sin(k * omega)
    shifted_sin = pe[:-k, 0::2] * c + pe[:-k, 1::2] * s
    torch.testing.assert_close(shifted_sin, pe[k:, 0::2])


def test_self_attention_is_permutation_equivariant_without_positions():
    torch.manual_seed(0)
    layer = TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True).double()
    x = torch.randn(1, 7, 8, dtype=F64)
    perm = torch.randperm(7)
    torch.testing.assert_close(layer(x[:, perm]), layer(x)[:, perm], rtol=1e-12, atol=1e-13)
    pe = sinusoidal_positional_encoding(7, 8, dtype=F64)
    with_pos, with_pos_perm = layer(x + pe), layer(x[:, perm] + pe)
    assert (with_pos_perm - with_pos[:, perm]).abs().max() > 1e-2


def test_edge_attention_on_the_complete_graph_is_self_attention():
    n, d = 6, 4
    q, k, v = (torch.randn(n, d, dtype=F64) for _ in range(3))
    receivers, senders = (
        idx.flatten() for idx in torch.meshgrid(torch.arange(n), torch.arange(n), indexing="ij")
    )
    out = edge_softmax_attention(q, k, v, senders, receivers)
    ref, _ = scaled_dot_product_attention(q, k, v)
    torch.testing.assert_close(out, ref, rtol=1e-12, atol=1e-14)
    # on the causal graph (edges j -> i for j <= i) it is causal attention
    keep = senders <= receivers
    out = edge_softmax_attention(q, k, v, senders[keep], receivers[keep])
    ref, _ = scaled_dot_product_attention(q, k, v, causal_mask(n, dtype=F64))
    torch.testing.assert_close(out, ref, rtol=1e-12, atol=1e-14)
