"""The slides' LSTM and GRU forms against torch.nn and hand-written loops of their equations.

The torch-compatible `RNN`, `LSTM` and `GRU` are checked against torch.nn in the shared
contract (`model_specs/recurrent.py`); here:

- `GravesLSTM` with zero peepholes equals `torch.nn.LSTM` once the gates are mapped (torch's
  two biases summed into one), in value and gradient;
- with peepholes it equals a loop written from Graves (2013) with *full* diagonal matrices
  $W_{ci} = \\mathrm{diag}(w_{ci})$, and its gradients pass finite differences;
- `ChungGRU` equals a loop written from the slide, and the Keras `reset_after=False` form
  with a negated update gate; it agrees with torch's (reset-after) GRU on a first step from a
  zero state and not beyond.
"""

from __future__ import annotations

import pytest
import torch

from refimpl.nn import GRU, LSTM, RNN, ChungGRU, GravesLSTM

T, B, I, H = 7, 3, 4, 5
F64 = torch.float64


def grads(loss: torch.Tensor, tensors: list[torch.Tensor]) -> list[torch.Tensor]:
    return list(torch.autograd.grad(loss, tensors))


def test_graves_lstm_with_zero_peepholes_is_torch_lstm():
    torch.manual_seed(0)
    ref = torch.nn.LSTM(I, H).double()
    ours = GravesLSTM(I, H).double()
    with torch.no_grad():
        ours.weight_x.copy_(ref.weight_ih_l0)  # rows (i, f, c, o) = torch's (i, f, g, o)
        ours.weight_h.copy_(ref.weight_hh_l0)
        ours.bias.copy_(ref.bias_ih_l0 + ref.bias_hh_l0)  # b_i = b_ii + b_hi, …
        ours.peephole.zero_()
    x = torch.randn(T, B, I, dtype=F64, requires_grad=True)
    h0, c0 = torch.randn(B, H, dtype=F64), torch.randn(B, H, dtype=F64)
    out_ref, (_, c_ref) = ref(x, (h0[None], c0[None]))
    out, (_, c) = ours(x, (h0, c0))
    torch.testing.assert_close(out, out_ref, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(c, c_ref[0], rtol=1e-12, atol=1e-12)
    w = torch.randn(T, B, H, dtype=F64)
    g_ref = grads((out_ref * w).sum(), [x, ref.weight_hh_l0, ref.bias_ih_l0])
    g = grads((out * w).sum(), [x, ours.weight_h, ours.bias])
    for a, b in zip(g, g_ref, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-12)


def graves_loop(x, W_x, W_h, b, w_c, output_sees_new_cell=True):
    """Graves (2013) eqs. (7)-(11), literally, with the peepholes as diagonal matrices."""
    W_xi, W_xf, W_xc, W_xo = W_x.chunk(4)
    W_hi, W_hf, W_hc, W_ho = W_h.chunk(4)
    b_i, b_f, b_c, b_o = b.chunk(4)
    W_ci, W_cf, W_co = (torch.diag(v) for v in w_c)
    h = c = torch.zeros(x.shape[1], W_h.shape[1], dtype=x.dtype)
    hs = []
    for x_t in x:
        i = torch.sigmoid(x_t @ W_xi.T + h @ W_hi.T + c @ W_ci.T + b_i)
        f = torch.sigmoid(x_t @ W_xf.T + h @ W_hf.T + c @ W_cf.T + b_f)
        c_prev = c
        c = f * c + i * torch.tanh(x_t @ W_xc.T + h @ W_hc.T + b_c)
        c_seen = c if output_sees_new_cell else c_prev
        o = torch.sigmoid(x_t @ W_xo.T + h @ W_ho.T + c_seen @ W_co.T + b_o)
        h = o * torch.tanh(c)
        hs.append(h)
    return torch.stack(hs)


def test_graves_lstm_peepholes_follow_the_equations():
    torch.manual_seed(1)
    ours = GravesLSTM(I, H, batch_first=True).double()
    with torch.no_grad():
        ours.peephole.normal_()
    x = torch.randn(B, T, I, dtype=F64)
    expected = graves_loop(
        x.transpose(0, 1), ours.weight_x, ours.weight_h, ours.bias, ours.peephole
    )
    torch.testing.assert_close(ours(x)[0], expected.transpose(0, 1), rtol=1e-12, atol=1e-12)
    # the output gate sees c_t, not c_{t-1}: the other choice gives a different output
    lagged = graves_loop(
        x.transpose(0, 1),
        ours.weight_x,
        ours.weight_h,
        ours.bias,
        ours.peephole,
        output_sees_new_cell=False,
    )
    assert (ours(x)[0] - lagged.transpose(0, 1)).abs().max() > 1e-3


def test_graves_lstm_gradients_pass_finite_differences():
    torch.manual_seed(2)
    ours = GravesLSTM(2, 3).double()
    with torch.no_grad():
        ours.peephole.normal_()
    x = torch.randn(4, 2, 2, dtype=F64, requires_grad=True)

    def f(x, peephole, weight_h):
        from torch.func import functional_call

        return functional_call(ours, {"peephole": peephole, "weight_h": weight_h}, (x,))[0]

    assert torch.autograd.gradcheck(
        f, (x, ours.peephole.detach().requires_grad_(), ours.weight_h.detach().requires_grad_())
    )


def reset_before_gru_loop(x, W, U, z_keeps_old_state=False):
    """The reset-before GRU, literally, with no biases: the slide's form (z weights the
    candidate), or Keras `GRU(reset_after=False, use_bias=False)` (z weights the old state)."""
    W_z, W_r, W_h = W.chunk(3)
    U_z, U_r, U_h = U.chunk(3)
    h = torch.zeros(x.shape[1], U.shape[1], dtype=x.dtype)
    hs = []
    for x_t in x:
        z = torch.sigmoid(x_t @ W_z.T + h @ U_z.T)
        r = torch.sigmoid(x_t @ W_r.T + h @ U_r.T)
        h_tilde = torch.tanh(x_t @ W_h.T + (r * h) @ U_h.T)
        h = z * h + (1 - z) * h_tilde if z_keeps_old_state else (1 - z) * h + z * h_tilde
        hs.append(h)
    return torch.stack(hs)


def test_chung_gru_follows_the_slide_and_negated_keras():
    torch.manual_seed(3)
    ours = ChungGRU(I, H).double()
    x = torch.randn(T, B, I, dtype=F64)
    out = ours(x)[0]
    W, U = ours.weight_x.detach(), ours.weight_h.detach()
    torch.testing.assert_close(out, reset_before_gru_loop(x, W, U), rtol=1e-12, atol=1e-12)
    # σ(−a) = 1 − σ(a): negating the update gate's weights swaps the z convention
    flip = torch.ones(3 * H, 1, dtype=F64)
    flip[:H] = -1
    keras = reset_before_gru_loop(x, W * flip, U * flip, z_keeps_old_state=True)
    torch.testing.assert_close(out, keras, rtol=1e-12, atol=1e-12)


def test_chung_gru_meets_torch_gru_only_on_a_first_step_from_zero():
    torch.manual_seed(4)
    ours = ChungGRU(I, H).double()
    ref = torch.nn.GRU(I, H, bias=False).double()
    W_z, W_r, W_h = ours.weight_x.detach().chunk(3)
    U_z, U_r, U_h = ours.weight_h.detach().chunk(3)
    with torch.no_grad():  # torch's blocks are (r, z, n), and its z keeps the old state
        ref.weight_ih_l0.copy_(torch.cat([W_r, -W_z, W_h]))
        ref.weight_hh_l0.copy_(torch.cat([U_r, -U_z, U_h]))
    x = torch.randn(T, B, I, dtype=F64)
    ours_out, ref_out = ours(x)[0], ref(x)[0].detach()
    # from h_0 = 0 the reset has nothing to act on, so the first step agrees …
    torch.testing.assert_close(ours_out[0], ref_out[0], rtol=1e-12, atol=1e-12)
    # … but r ⊙ (U_h h) ≠ U_h (r ⊙ h) afterwards
    assert (ours_out[1:] - ref_out[1:]).abs().max() > 1e-3


@pytest.mark.parametrize("cls", [RNN, LSTM, GRU])
def test_dropout_acts_between_layers_in_training_only(cls):
    torch.manual_seed(5)
    ref = getattr(torch.nn, cls.__name__)(I, H, num_layers=2, dropout=0.5).double()
    ours = cls.from_torch(ref)
    x = torch.randn(T, B, I, dtype=F64)
    torch.testing.assert_close(ours.eval()(x)[0], ref.eval()(x)[0])
    assert not torch.allclose(ours.train()(x)[0], ref.eval()(x)[0])


def test_invalid_arguments_are_rejected():
    with pytest.raises(ValueError, match="nonlinearity"):
        RNN(I, H, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match="dropout"):
        GRU(I, H, dropout=1.5)
    with pytest.raises(ValueError, match="proj_size"):
        LSTM(I, H, proj_size=H)
