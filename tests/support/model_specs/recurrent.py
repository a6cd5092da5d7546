"""Recurrent models: RNN, LSTM and GRU (against torch.nn), and the slides' forms."""

from __future__ import annotations

import torch

from model_specs.spec import ModelSpec
from refimpl.nn import (
    GRU,
    LSTM,
    RNN,
    ChungGRU,
    DeepTransitionRNN,
    EchoStateNetwork,
    GravesLSTM,
    Seq2Seq,
)

I, H, T, B = 3, 5, 6, 4


def sequence(batch_first: bool, batched: bool = True):
    def inputs(dtype: torch.dtype, device: torch.device) -> tuple:
        shape = ((B, T, I) if batch_first else (T, B, I)) if batched else (T, I)
        return (torch.randn(shape, dtype=dtype, device=device),)

    return inputs


def with_state(batch_first: bool, layers: int, lstm: bool = False, proj: int = 0):
    """Inputs and a random initial state (h_0, c_0) for the LSTM."""

    def inputs(dtype: torch.dtype, device: torch.device) -> tuple:
        x = sequence(batch_first)(dtype, device)[0]
        h0 = torch.randn(layers, B, proj or H, dtype=dtype, device=device)
        if lstm:
            return x, (h0, torch.randn(layers, B, H, dtype=dtype, device=device))
        return x, h0

    return inputs


def both(cls_ours, cls_torch, name: str, inputs, **kwargs) -> ModelSpec:
    return ModelSpec(
        id=name,
        build=lambda: cls_ours(I, H, **kwargs),
        inputs=inputs,
        torch_counterpart=lambda: cls_torch(I, H, **kwargs),
    )


def final_state(output):
    """The final hidden state h_n (for the LSTM, h_n of the pair)."""
    state = output[1]
    return state[0] if isinstance(state, tuple) else state


SPECS = [
    both(RNN, torch.nn.RNN, "rnn-tanh", sequence(False)),
    both(
        RNN,
        torch.nn.RNN,
        "rnn-relu-2layer-batch-first",
        sequence(True),
        num_layers=2,
        nonlinearity="relu",
        batch_first=True,
    ),
    both(
        RNN,
        torch.nn.RNN,
        "rnn-bidirectional-2layer",
        sequence(False),
        num_layers=2,
        bidirectional=True,
    ),
    both(RNN, torch.nn.RNN, "rnn-no-bias-unbatched", sequence(False, batched=False), bias=False),
    both(RNN, torch.nn.RNN, "rnn-2layer-initial-state", with_state(False, 2), num_layers=2),
    both(LSTM, torch.nn.LSTM, "lstm", sequence(False)),
    both(
        LSTM,
        torch.nn.LSTM,
        "lstm-3layer-batch-first",
        sequence(True),
        num_layers=3,
        batch_first=True,
    ),
    both(
        LSTM,
        torch.nn.LSTM,
        "lstm-bidirectional-2layer-batch-first",
        sequence(True),
        num_layers=2,
        bidirectional=True,
        batch_first=True,
    ),
    both(
        LSTM,
        torch.nn.LSTM,
        "lstm-proj-2layer-initial-state",
        with_state(False, 2, lstm=True, proj=2),
        num_layers=2,
        proj_size=2,
    ),
    both(LSTM, torch.nn.LSTM, "lstm-unbatched", sequence(False, batched=False)),
    both(GRU, torch.nn.GRU, "gru", sequence(False)),
    both(
        GRU, torch.nn.GRU, "gru-2layer-batch-first", sequence(True), num_layers=2, batch_first=True
    ),
    both(
        GRU,
        torch.nn.GRU,
        "gru-bidirectional-2layer",
        sequence(False),
        num_layers=2,
        bidirectional=True,
    ),
    both(GRU, torch.nn.GRU, "gru-no-bias-initial-state", with_state(False, 1), bias=False),
    ModelSpec(
        id="rnn-final-state",
        build=lambda: RNN(I, H, num_layers=2, bidirectional=True),
        inputs=sequence(False),
        torch_counterpart=lambda: torch.nn.RNN(I, H, num_layers=2, bidirectional=True),
        output=final_state,
    ),
    ModelSpec(
        id="lstm-final-state-bidirectional",
        build=lambda: LSTM(I, H, num_layers=2, bidirectional=True, batch_first=True),
        inputs=sequence(True),
        torch_counterpart=lambda: torch.nn.LSTM(
            I, H, num_layers=2, bidirectional=True, batch_first=True
        ),
        output=final_state,
    ),
    ModelSpec(
        id="graves-lstm", build=lambda: GravesLSTM(I, H, peephole_init=0.1), inputs=sequence(False)
    ),
    ModelSpec(
        id="chung-gru-batch-first",
        build=lambda: ChungGRU(I, H, batch_first=True),
        inputs=sequence(True),
    ),
]

SPECS += [
    ModelSpec(
        id="dot-rnn-shortcut",
        build=lambda: DeepTransitionRNN(
            I, H, 2, transition_layers=3, output_layers=2, shortcut=True
        ),
        inputs=sequence(False),
    ),
    ModelSpec(
        id="do-rnn-initial-state",
        build=lambda: DeepTransitionRNN(I, H, 2, transition_layers=1, output_layers=3),
        inputs=lambda dtype, device: (
            torch.randn(T, B, I, dtype=dtype, device=device),
            torch.randn(B, H, dtype=dtype, device=device),
        ),
    ),
    ModelSpec(
        id="dt-rnn-relu-batch-first",
        build=lambda: DeepTransitionRNN(I, H, 2, nonlinearity="relu", batch_first=True),
        inputs=sequence(True),
    ),
]

SPECS += [
    ModelSpec(
        id="echo-state-network",
        build=lambda: EchoStateNetwork(I, 20, 2, generator=torch.Generator().manual_seed(0)),
        inputs=sequence(False),
    ),
]

SPECS += [
    ModelSpec(
        id="seq2seq-bahdanau-attention",
        build=lambda: Seq2Seq(7, 8, 4, H, attention_size=3),
        inputs=lambda dtype, device: (
            torch.randint(7, (B, T), device=device),
            torch.randint(8, (B, 4), device=device),
        ),
    ),
]
