"""The deep RNNs of Pascanu et al. (2014) against torch.nn.RNN and hand-written loops."""

from __future__ import annotations

import pytest
import torch

from refimpl.nn import RNN, DeepTransitionRNN

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


def test_dots_rnn_follows_the_equations_with_relu_and_an_initial_state():
    """DOT(S): shortcut into the top transition layer, then a three-layer output MLP."""
    torch.manual_seed(3)
    ours = DeepTransitionRNN(
        I, H, O, transition_layers=2, output_layers=3, shortcut=True, nonlinearity="relu"
    ).double()
    p = dict(ours.named_parameters())
    x = torch.randn(T, B, I, dtype=F64)
    h0 = torch.randn(B, H, dtype=F64)
    h, ys = h0, []
    for x_t in x:
        z1 = torch.relu(
            h @ p["transition_weight_1"].T + x_t @ p["input_weight"].T + p["transition_bias_1"]
        )
        h = torch.relu(
            z1 @ p["transition_weight_2"].T
            + p["transition_bias_2"]
            + h @ p["shortcut_hidden"].T
            + x_t @ p["shortcut_input"].T
        )
        o1 = torch.relu(h @ p["output_weight_1"].T + p["output_bias_1"])
        o2 = torch.relu(o1 @ p["output_weight_2"].T + p["output_bias_2"])
        ys.append(o2 @ p["output_weight_3"].T + p["output_bias_3"])
    y, h_T = ours(x, h0)
    torch.testing.assert_close(y, torch.stack(ys), rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(h_T, h, rtol=1e-12, atol=1e-12)


def test_stacked_rnn_is_rnn_with_num_layers():
    """sRNN: h^(l)_t = tanh(W_l h^(l)_{t-1} + Z_l h^(l-1)_t + b_l), h^(0)_t = x_t."""
    torch.manual_seed(4)
    layers = 3
    srnn = RNN(I, H, num_layers=layers).double()
    p = dict(srnn.named_parameters())
    x = torch.randn(T, B, I, dtype=F64)
    below = list(x)
    finals = []
    for l in range(layers):
        h, states = torch.zeros(B, H, dtype=F64), []
        for inp in below:
            h = torch.tanh(
                h @ p[f"weight_hh_l{l}"].T
                + inp @ p[f"weight_ih_l{l}"].T
                + p[f"bias_ih_l{l}"]
                + p[f"bias_hh_l{l}"]
            )
            states.append(h)
        below, finals = states, [*finals, h]
    out, h_n = srnn(x)
    torch.testing.assert_close(out, torch.stack(below), rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(h_n, torch.stack(finals), rtol=1e-12, atol=1e-12)


def test_gradients_match_finite_differences():
    torch.manual_seed(5)
    ours = DeepTransitionRNN(2, 3, 2, transition_layers=3, output_layers=2, shortcut=True)
    ours = ours.double()
    x = torch.randn(4, 2, 2, dtype=F64, requires_grad=True)
    h0 = torch.randn(2, 3, dtype=F64, requires_grad=True)
    params = tuple(ours.parameters())

    def f(x, h0, *ps):
        named = dict(zip([n for n, _ in ours.named_parameters()], ps, strict=True))
        y, h = torch.func.functional_call(ours, named, (x, h0))
        return y, h

    assert torch.autograd.gradcheck(f, (x, h0, *params))


def test_every_variant_has_the_documented_shapes_and_parameter_count():
    x = torch.randn(B, T, I)
    for L, M, shortcut in [(1, 1, False), (3, 1, False), (3, 1, True), (1, 2, False), (2, 3, True)]:
        model = DeepTransitionRNN(I, H, O, L, M, shortcut=shortcut, batch_first=True)
        y, h = model(x)
        assert y.shape == (B, T, O) and h.shape == (B, H)
        expected = H * I + L * (H * H + H) + (H * H + H * I if shortcut else 0)
        expected += (M - 1) * (H * H + H) + O * H + O
        assert sum(p.numel() for p in model.parameters()) == expected


def test_invalid_configurations_are_rejected():
    with pytest.raises(ValueError, match="shortcut"):
        DeepTransitionRNN(I, H, O, transition_layers=1, shortcut=True)
    with pytest.raises(ValueError, match="at least 1"):
        DeepTransitionRNN(I, H, O, output_layers=0)
    with pytest.raises(ValueError, match="nonlinearity"):
        DeepTransitionRNN(I, H, O, nonlinearity="sigmoid")
