"""`Seq2Seq` (Bahdanau attention): a hand-written step, normalised weights, causality, reversal."""

from __future__ import annotations

import torch

from refimpl.experiments.seq2seq_reversal import reversal_alignment
from refimpl.nn import Seq2Seq

B, S, T, V, E, H = 3, 7, 5, 6, 4, 5


def model_and_data(seed: int = 0):
    torch.manual_seed(seed)
    model = Seq2Seq(V, V + 1, E, H, attention_size=4).double()
    return model, torch.randint(V, (B, S)), torch.randint(V + 1, (B, T))


def test_shapes_and_attention_weights_sum_to_one():
    model, source, target_in = model_and_data()
    logits, alpha = model(source, target_in)
    assert logits.shape == (B, T, V + 1) and alpha.shape == (B, T, S)
    assert (alpha >= 0).all()
    torch.testing.assert_close(alpha.sum(-1), torch.ones(B, T, dtype=torch.float64))


def test_first_step_follows_the_equations():
    """e_j = v^T tanh(W s_0 + U h_j), alpha = softmax(e), c = sum_j alpha_j h_j, GRU step."""
    model, source, target_in = model_and_data(1)
    logits, alpha = model(source, target_in)
    h = model.encoder(model.source_embedding(source))[0]  # (B, S, 2H)
    s0 = torch.tanh(model.init_state.weight @ h[:, 0, H:].T + model.init_state.bias[:, None]).T
    e = torch.tanh((s0 @ model.query.weight.T)[:, None] + h @ model.key.weight.T + model.key.bias)
    e = (e @ model.score.weight.T).squeeze(-1)
    a = torch.exp(e) / torch.exp(e).sum(-1, keepdim=True)
    torch.testing.assert_close(alpha[:, 0], a)
    c = (a[:, :, None] * h).sum(1)
    y0 = model.target_embedding(target_in[:, 0])
    cell = torch.nn.GRUCell(E + 2 * H, H).double()
    with torch.no_grad():
        cell.weight_ih.copy_(model.decoder.weight_ih_l0)
        cell.weight_hh.copy_(model.decoder.weight_hh_l0)
        cell.bias_ih.copy_(model.decoder.bias_ih_l0)
        cell.bias_hh.copy_(model.decoder.bias_hh_l0)
    s1 = cell(torch.cat([y0, c], -1), s0)
    torch.testing.assert_close(logits[:, 0], model.readout(torch.cat([s1, c, y0], -1)))


def test_the_decoder_is_causal():
    """Changing target tokens after step i leaves the logits of steps <= i unchanged."""
    model, source, target_in = model_and_data(2)
    logits, alpha = model(source, target_in)
    for i in range(T - 1):
        changed = target_in.clone()
        changed[:, i + 1 :] = (changed[:, i + 1 :] + 1) % (V + 1)
        new_logits, new_alpha = model(source, changed)
        torch.testing.assert_close(new_logits[:, : i + 1], logits[:, : i + 1])
        torch.testing.assert_close(new_alpha[:, : i + 1], alpha[:, : i + 1])
        assert not torch.allclose(new_logits[:, i + 1 :], logits[:, i + 1 :])


def test_gradients_reach_every_parameter():
    model, source, target_in = model_and_data(3)
    model(source, target_in)[0].square().sum().backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in model.parameters())


def test_reversal_is_learned_with_an_anti_diagonal_alignment():
    result = reversal_alignment()
    assert result["accuracy"] > 0.9
    alignment = result["alignment"]
    # the largest weight of output step i is on source position S - 1 - i (or next to it)
    peaks = alignment.argmax(1)
    expected = alignment.shape[1] - 1 - torch.arange(alignment.shape[0]).numpy()
    assert (abs(peaks - expected) <= 1).all()
