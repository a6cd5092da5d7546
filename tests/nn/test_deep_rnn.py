"""`DeepTransitionRNN` against torch.nn.RNN and hand-written loops of Pascanu et al. (2014)."""

from __future__ import annotations

import torch

from refimpl.nn import DeepTransitionRNN

T, B, I, H, O = 6, 3, 4, 5, 2
F64 = torch.float64


def test_one_transition_layer_is_an_elman_rnn_with_a_linear_readout():
    torch.manual_seed(0)
    ours = DeepTransitionRNN(I, H, O, transition_layers=1).double()
    rnn, readout = torch.nn.RNN(I, H).double(), torch.nn.Linear(H, O).double()
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(ours.input_weight)
        rnn.weight_hh_l0.copy_(ours.transition_weight_1)
        rnn.bias_ih_l0.copy_(ours.transition_bias_1)
        rnn.bias_hh_l0.zero_()
        readout.weight.copy_(ours.output_weight_1)
        readout.bias.copy_(ours.output_bias_1)
    x = torch.randn(T, B, I, dtype=F64)
    y, h = ours(x)
    states, h_ref = rnn(x)
    torch.testing.assert_close(y, readout(states), rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(h, h_ref[0], rtol=1e-12, atol=1e-12)


def test_deep_transition_and_deep_output_follow_the_equations():
    torch.manual_seed(1)
    ours = DeepTransitionRNN(I, H, O, transition_layers=3, output_layers=2, batch_first=True)
    ours = ours.double()
    x = torch.randn(B, T, I, dtype=F64)
    p = dict(ours.named_parameters())
    h = torch.zeros(B, H, dtype=F64)
    ys = []
    for x_t in x.transpose(0, 1):
        z1 = torch.tanh(
            h @ p["transition_weight_1"].T + x_t @ p["input_weight"].T + p["transition_bias_1"]
        )
        z2 = torch.tanh(z1 @ p["transition_weight_2"].T + p["transition_bias_2"])
        h = torch.tanh(z2 @ p["transition_weight_3"].T + p["transition_bias_3"])
        hidden = torch.tanh(h @ p["output_weight_1"].T + p["output_bias_1"])
        ys.append(hidden @ p["output_weight_2"].T + p["output_bias_2"])
    torch.testing.assert_close(ours(x)[0], torch.stack(ys, 1), rtol=1e-12, atol=1e-12)


def test_the_shortcut_alone_is_an_elman_rnn():
    """With the top transition layer switched off, DT(S) is W̄, Ū in a plain RNN."""
    torch.manual_seed(2)
    ours = DeepTransitionRNN(I, H, O, transition_layers=2, shortcut=True).double()
    with torch.no_grad():
        ours.transition_weight_2.zero_()
        ours.transition_bias_2.zero_()
    rnn = torch.nn.RNN(I, H, bias=False).double()
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(ours.shortcut_input)
        rnn.weight_hh_l0.copy_(ours.shortcut_hidden)
    x = torch.randn(T, B, I, dtype=F64)
    torch.testing.assert_close(ours(x)[1], rnn(x)[1][0], rtol=1e-12, atol=1e-12)
