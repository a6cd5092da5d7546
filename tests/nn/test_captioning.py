"""Show and Tell, Show, Attend and Tell: incremental decoding, equations, causality, learning."""

from __future__ import annotations

import pytest
import torch

from refimpl.experiments.captioning import CAPTION_WORDS, captioning_results, scene_batch
from refimpl.nn import ConvEncoder, ShowAndTell, ShowAttendTell

B, T, V = 3, 5, len(CAPTION_WORDS)


def models(seed: int = 0) -> dict[str, torch.nn.Module]:
    torch.manual_seed(seed)
    return {
        "show-tell": ShowAndTell(V, 8, 12, grid_size=16, channels=6).double(),
        "show-attend-tell": ShowAttendTell(V, 8, 12, attention_size=5, channels=6).double(),
    }


def data(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    images, tokens_in, _ = scene_batch(torch.Generator().manual_seed(seed), B)
    return images.double(), tokens_in[:, :T]


def logits_of(model: torch.nn.Module, images: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
    out = model(images, tokens)
    return out[0] if isinstance(out, tuple) else out


@pytest.mark.parametrize("name", ["show-tell", "show-attend-tell"])
def test_teacher_forcing_equals_step_by_step_decoding(name):
    """Greedy decoding step by step (with its carried state) gives the logits that one
    teacher-forced pass over the decoded words gives."""
    model = models(1)[name]
    images, _ = data(1)
    decoded = model.greedy_decode(images, start=0, steps=T)
    tokens, step_logits = decoded[0], decoded[1]
    tokens_in = torch.cat([torch.zeros(B, 1, dtype=torch.long), tokens[:, :-1]], 1)
    torch.testing.assert_close(logits_of(model, images, tokens_in), step_logits)


@pytest.mark.parametrize("name", ["show-tell", "show-attend-tell"])
def test_logits_at_t_do_not_depend_on_later_tokens(name):
    model = models(2)[name]
    images, tokens = data(2)
    logits = logits_of(model, images, tokens)
    for t in range(T - 1):
        changed = tokens.clone()
        changed[:, t + 1 :] = (changed[:, t + 1 :] + 1) % V
        new = logits_of(model, images, changed)
        torch.testing.assert_close(new[:, : t + 1], logits[:, : t + 1])
        assert not torch.allclose(new[:, t + 1 :], logits[:, t + 1 :])


def test_attention_weights_are_distributions_over_the_grid():
    model = models(3)["show-attend-tell"]
    images, tokens = data(3)
    _, alpha = model(images, tokens)
    assert alpha.shape == (B, T, 16)
    assert (alpha >= 0).all()
    torch.testing.assert_close(alpha.sum(-1), torch.ones(B, T, dtype=torch.float64))


def test_show_attend_tell_first_step_follows_the_equations():
    """Attention, gate, LSTM step and deep output written out with torch.nn.LSTMCell."""
    model = models(4)["show-attend-tell"]
    images, tokens = data(4)
    logits, alpha = model(images, tokens)
    a = model.encoder(images)  # (B, L, D)
    mean = a.mean(1)
    h0 = torch.tanh(mean @ model.init_h.weight.T + model.init_h.bias)
    c0 = torch.tanh(mean @ model.init_c.weight.T + model.init_c.bias)
    e = torch.tanh((h0 @ model.query.weight.T)[:, None] + a @ model.key.weight.T + model.key.bias)
    e = (e @ model.score.weight.T)[..., 0]  # (B, L)
    a0 = torch.exp(e) / torch.exp(e).sum(-1, keepdim=True)
    torch.testing.assert_close(alpha[:, 0], a0)
    beta = torch.sigmoid(h0 @ model.gate.weight.T + model.gate.bias)
    z = beta * (a0[..., None] * a).sum(1)
    y = model.embedding.weight[tokens[:, 0]]
    cell = torch.nn.LSTMCell(y.shape[1] + z.shape[1], h0.shape[1]).double()
    with torch.no_grad():
        cell.weight_ih.copy_(model.decoder.weight_ih_l0)
        cell.weight_hh.copy_(model.decoder.weight_hh_l0)
        cell.bias_ih.copy_(model.decoder.bias_ih_l0)
        cell.bias_hh.copy_(model.decoder.bias_hh_l0)
    h1, _ = cell(torch.cat([y, z], -1), (h0, c0))
    deep = y + h1 @ model.out_h.weight.T + model.out_h.bias + z @ model.out_z.weight.T
    deep = deep + model.out_z.bias
    torch.testing.assert_close(logits[:, 0], deep @ model.out.weight.T + model.out.bias)


def test_show_and_tell_sees_the_image_only_as_its_first_input():
    """With torch.nn.LSTM: image embedding first, then the words; outputs after the image."""
    model = models(5)["show-tell"]
    images, tokens = data(5)
    lstm = torch.nn.LSTM(8, 12, batch_first=True).double()
    lstm.load_state_dict(model.decoder.state_dict())
    x_image = model.image_embedding(model.encoder(images).flatten(1))
    out, _ = lstm(torch.cat([x_image[:, None], model.embedding(tokens)], 1))
    expected = out[:, 1:] @ model.readout.weight.T + model.readout.bias
    torch.testing.assert_close(model(images, tokens), expected)


def test_encoder_gives_one_annotation_per_cell_that_sees_only_its_cell():
    torch.manual_seed(6)
    encoder = ConvEncoder(3, 4, pool=6).double()
    images = torch.randn(2, 3, 24, 24, dtype=torch.float64)
    a = encoder(images)
    assert a.shape == (2, 16, 4)
    changed = images.clone()
    changed[:, :, 6:12, 12:18] += 1.0  # the cell in row 1, column 2: annotation 1 * 4 + 2
    moved = (encoder(changed) - a).abs().sum((0, 2))
    assert moved[6] > 0 and torch.count_nonzero(moved) == 1


def test_gradients_reach_every_parameter():
    for model in models(7).values():
        images, tokens = data(7)
        logits_of(model, images, tokens).square().sum().backward()
        assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in model.parameters())


def test_trained_attention_model_captions_held_out_scenes():
    """A real learning test: 400 Adam steps on synthetic scenes, greedy decoding of 256 new ones."""
    result = captioning_results()
    assert result["accuracy"]["Show, Attend and Tell"] >= 0.7
    assert result["word_accuracy"]["Show, Attend and Tell"] >= 0.9
