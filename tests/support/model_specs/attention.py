"""Attention models: multi-head attention, Transformers, linear attention, RWKV, GTrXL, RIMs."""

from __future__ import annotations

import torch

from model_specs.spec import ModelSpec
from refimpl import nn as rnn

E, H, N, L, S = 8, 2, 3, 5, 4


def _seq(dtype: torch.dtype, device: torch.device, n: int, width: int, batch_first: bool):
    shape = (N, n, width) if batch_first else (n, N, width)
    return torch.randn(shape, dtype=dtype, device=device)


def _mha_inputs(batch_first: bool, kdim: int = E, vdim: int = E, masks: bool = False):
    def inputs(dtype: torch.dtype, device: torch.device) -> tuple:
        q = _seq(dtype, device, L, E, batch_first)
        k = _seq(dtype, device, S, kdim, batch_first)
        v = _seq(dtype, device, S, vdim, batch_first)
        if not masks:
            return (q, k, v)
        pad = torch.zeros(N, S, dtype=torch.bool, device=device)
        pad[0, -1] = pad[2, 0] = True
        attn = torch.zeros(L, S, dtype=torch.bool, device=device)
        attn[1, 1] = attn[3, 2] = True
        return (q, k, v, pad, True, attn)

    return inputs


def _mha_spec(name: str, inputs_kw: dict | None = None, **kw) -> ModelSpec:
    inputs_kw = inputs_kw or {}
    batch_first = kw.get("batch_first", False)
    return ModelSpec(
        id=f"multihead-attention-{name}",
        build=lambda: rnn.MultiheadAttention(E, H, **kw),
        inputs=_mha_inputs(batch_first, kw.get("kdim", E), kw.get("vdim", E), **inputs_kw),
        torch_counterpart=lambda: torch.nn.MultiheadAttention(E, H, **kw),
    )


def _weights_only(output: tuple) -> torch.Tensor:
    return output[1]


def _tel_spec(name: str, masks: bool = False, **kw) -> ModelSpec:
    batch_first = kw.get("batch_first", False)

    def inputs(dtype: torch.dtype, device: torch.device) -> tuple:
        x = _seq(dtype, device, L, E, batch_first)
        if not masks:
            return (x,)
        causal = torch.ones(L, L, dtype=torch.bool, device=device).triu(1)
        pad = torch.zeros(N, L, dtype=torch.bool, device=device)
        pad[1, -2:] = True
        return (x, causal, pad, True)

    config = {"dim_feedforward": 16, "dropout": 0.0, **kw}
    return ModelSpec(
        id=f"transformer-encoder-layer-{name}",
        build=lambda: rnn.TransformerEncoderLayer(E, H, **config),
        inputs=inputs,
        torch_counterpart=lambda: torch.nn.TransformerEncoderLayer(E, H, **config),
    )


SPECS: list[ModelSpec] = [
    _mha_spec("seq-first"),
    _mha_spec("batch-first", batch_first=True),
    _mha_spec("kdim-vdim", kdim=5, vdim=3),
    _mha_spec("kdim-vdim-batch-first", kdim=5, vdim=3, batch_first=True),
    _mha_spec("bias-kv-zero-attn", add_bias_kv=True, add_zero_attn=True),
    _mha_spec("no-bias", bias=False),
    _mha_spec("masks", inputs_kw={"masks": True}),
    _mha_spec("masks-batch-first", inputs_kw={"masks": True}, batch_first=True),
    ModelSpec(
        id="multihead-attention-weights",
        build=lambda: rnn.MultiheadAttention(E, H),
        inputs=lambda dtype, device: (*_mha_inputs(False)(dtype, device), None, True, None, False),
        torch_counterpart=lambda: torch.nn.MultiheadAttention(E, H),
        output=_weights_only,
        unused_parameters=frozenset({"out_proj.weight", "out_proj.bias"}),
    ),
    ModelSpec(
        id="layer-norm",
        build=lambda: rnn.LayerNorm(E),
        inputs=lambda dtype, device: (torch.randn(N, L, E, dtype=dtype, device=device),),
        torch_counterpart=lambda: torch.nn.LayerNorm(E),
    ),
    ModelSpec(
        id="layer-norm-2d-no-bias",
        build=lambda: rnn.LayerNorm((L, E), eps=1e-3, bias=False),
        inputs=lambda dtype, device: (torch.randn(N, L, E, dtype=dtype, device=device),),
        torch_counterpart=lambda: torch.nn.LayerNorm((L, E), eps=1e-3, bias=False),
    ),
    _tel_spec("post-norm"),
    _tel_spec("post-norm-batch-first", batch_first=True),
    _tel_spec("pre-norm-gelu", norm_first=True, activation="gelu"),
    _tel_spec("pre-norm-gelu-batch-first", norm_first=True, activation="gelu", batch_first=True),
    _tel_spec("masks", masks=True),
    _tel_spec("masks-batch-first", masks=True, batch_first=True, norm_first=True),
    _tel_spec("no-bias", bias=False),
    ModelSpec(
        id="causal-transformer",
        build=lambda: rnn.CausalTransformer(
            11, d_model=8, nhead=2, num_layers=2, dim_feedforward=16
        ),
        inputs=lambda dtype, device: (torch.randint(0, 11, (N, 6), device=device),),
    ),
    ModelSpec(
        id="linear-attention-parallel",
        build=lambda: rnn.LinearAttention(E, H, mode="parallel"),
        inputs=lambda dtype, device: (torch.randn(N, 7, E, dtype=dtype, device=device),),
    ),
    ModelSpec(
        id="linear-attention-chunked",
        build=lambda: rnn.LinearAttention(E, H, mode="chunked", chunk_size=3),
        inputs=lambda dtype, device: (torch.randn(N, 7, E, dtype=dtype, device=device),),
    ),
    ModelSpec(
        id="linear-attention-recurrent",
        build=lambda: rnn.LinearAttention(E, H, mode="recurrent"),
        inputs=lambda dtype, device: (torch.randn(N, 7, E, dtype=dtype, device=device),),
    ),
    ModelSpec(
        id="linear-attention-noncausal",
        build=lambda: rnn.LinearAttention(E, H, causal=False),
        inputs=lambda dtype, device: (torch.randn(N, 7, E, dtype=dtype, device=device),),
    ),
    ModelSpec(
        id="rwkv-block",
        build=lambda: rnn.RWKVBlock(E, 16),
        inputs=lambda dtype, device: (torch.randn(N, 6, E, dtype=dtype, device=device),),
    ),
    ModelSpec(
        id="rwkv-block-recurrent",
        build=lambda: rnn.RWKVBlock(E, 16),
        inputs=lambda dtype, device: (
            torch.randn(N, 6, E, dtype=dtype, device=device),
            "recurrent",
        ),
    ),
    ModelSpec(
        id="gtrxl-block",
        build=lambda: rnn.GatedTransformerBlock(E, H, 16),
        inputs=lambda dtype, device: (torch.randn(N, 6, E, dtype=dtype, device=device),),
    ),
    ModelSpec(
        id="rims",
        build=lambda: rnn.RIMs(5, 6, num_units=4, k=2, key_size=4, value_size=4),
        inputs=lambda dtype, device: (torch.randn(N, 6, 5, dtype=dtype, device=device),),
    ),
]
