"""The refine gate, uniform gate initialisation and the UR-LSTM, against independent references.

- the refine gate against its closed form, its bounds $f^2 \\le g \\le 1 - (1 - f)^2$, and its
  derivative near saturation against autograd and central finite differences;
- UGI against the uniform distribution (Kolmogorov–Smirnov test, seeded);
- the UR-LSTM without the refine gate against ``torch.nn.LSTMCell`` with copied weights (input
  gate rows set to minus the forget rows, so that $i = \\sigma(-a_f) = 1 - f$);
- ``gradcheck`` in float64, and device/dtype following the input.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy import stats

from refimpl.functional import chrono_forget_bias, refine_gate, ugi_forget_bias, ur_lstm_cell
from refimpl.nn import URLSTM

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def test_refine_gate_closed_form_and_bounds():
    gen = torch.Generator().manual_seed(0)
    f = torch.rand(1000, generator=gen, dtype=torch.float64)
    r = torch.rand(1000, generator=gen, dtype=torch.float64)
    g = refine_gate(f, r)
    expected = r * (1 - (1 - f) ** 2) + (1 - r) * f**2
    torch.testing.assert_close(g, expected, rtol=0, atol=1e-15)
    assert ((g >= 0) & (g <= 1)).all()
    assert (g >= f**2 - 1e-15).all() and (g <= 1 - (1 - f) ** 2 + 1e-15).all()
    # the end points: r = 0 gives the lower bound, r = 1 the upper bound, r = 1/2 the gate f
    torch.testing.assert_close(refine_gate(f, 0.0), f**2, rtol=0, atol=1e-15)
    torch.testing.assert_close(refine_gate(f, 1.0), 1 - (1 - f) ** 2, rtol=0, atol=1e-15)
    torch.testing.assert_close(refine_gate(f, 0.5), f, rtol=0, atol=1e-15)


def _plain_and_refined_grad(target: float) -> tuple[float, float, float, float]:
    """Gradients, at the same effective gate value ``target``, of σ(a) and of g(a) = refine(σ(a),
    σ(a)); returns (autograd plain, autograd refined, finite-difference plain, refined)."""
    a_plain = float(np.log(target / (1 - target)))
    # g = 3f² − 2f³ when r = f: solve for f with g = target (bisection), then a = σ⁻¹(f)
    lo, hi = 0.5, 1.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if 3 * mid**2 - 2 * mid**3 < target else (lo, mid)
    a_refined = float(np.log(lo / (1 - lo)))

    def plain(a: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(a)

    def refined(a: torch.Tensor) -> torch.Tensor:
        f = torch.sigmoid(a)
        return refine_gate(f, f)

    grads = []
    for fn, a0 in ((plain, a_plain), (refined, a_refined)):
        a = torch.tensor(a0, dtype=torch.float64, requires_grad=True)
        assert abs(fn(a).item() - target) < 1e-12
        (grad,) = torch.autograd.grad(fn(a), a)
        grads.append(grad.item())
    eps = 1e-6
    for fn, a0 in ((plain, a_plain), (refined, a_refined)):
        a = torch.tensor(a0, dtype=torch.float64)
        grads.append(((fn(a + eps) - fn(a - eps)) / (2 * eps)).item())
    return grads[0], grads[1], grads[2], grads[3]


@pytest.mark.parametrize("target", [0.9, 0.99, 0.999])
def test_refine_gate_has_a_larger_gradient_near_saturation(target: float):
    auto_plain, auto_refined, fd_plain, fd_refined = _plain_and_refined_grad(target)
    # autograd agrees with finite differences, and σ' = g(1 − g) for the plain gate
    assert auto_plain == pytest.approx(fd_plain, rel=1e-6)
    assert auto_refined == pytest.approx(fd_refined, rel=1e-6)
    assert auto_plain == pytest.approx(target * (1 - target), rel=1e-10)
    # at the same gate value, the refined gate's gradient is larger, tending to twice σ'
    assert auto_refined > 1.4 * auto_plain
    assert auto_refined < 2.0 * auto_plain


def test_refine_gate_derivative_in_f_and_r():
    # ∂g/∂f = 2r + 2f(1 − 2r), ∂g/∂r = 2f(1 − f): checked against autograd
    f = torch.tensor([0.01, 0.5, 0.99], dtype=torch.float64, requires_grad=True)
    r = torch.tensor([0.9, 0.3, 0.1], dtype=torch.float64, requires_grad=True)
    df, dr = torch.autograd.grad(refine_gate(f, r).sum(), (f, r))
    fd, rd = f.detach(), r.detach()
    torch.testing.assert_close(df, 2 * rd + 2 * fd * (1 - 2 * rd), rtol=1e-12, atol=0)
    torch.testing.assert_close(dr, 2 * fd * (1 - fd), rtol=1e-12, atol=0)


def test_ugi_activations_are_uniform():
    d = 2000
    b = ugi_forget_bias(d, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    f = torch.sigmoid(b).numpy()
    assert f.min() >= 1 / d and f.max() <= 1 - 1 / d
    result = stats.kstest(f, stats.uniform(loc=1 / d, scale=1 - 2 / d).cdf)
    assert result.pvalue > 0.01
    # the deciles of σ(b) match those of U[1/d, 1 − 1/d]
    q = np.linspace(0.1, 0.9, 9)
    np.testing.assert_allclose(np.quantile(f, q), 1 / d + (1 - 2 / d) * q, atol=0.03)
    with pytest.raises(ValueError):
        ugi_forget_bias(2)


def test_chrono_retention_times():
    b = chrono_forget_bias(5000, 100.0, generator=torch.Generator().manual_seed(1))
    # f = σ(b) = τ/(1 + τ), so the retention time 1/(1 − f) = 1 + τ with τ ~ U[1, T_max − 1]
    tau = 1 / (1 - torch.sigmoid(b.double())) - 1
    assert tau.min() >= 1 - 1e-4 and tau.max() <= 99 + 1e-3
    assert stats.kstest(tau.numpy(), stats.uniform(loc=1, scale=98).cdf).pvalue > 0.01


def test_without_refine_gate_matches_torch_lstm_cell():
    torch.manual_seed(0)
    I, H, B, T = 3, 5, 4, 6
    ours = URLSTM(I, H, refine=False, dtype=torch.float64)
    cell = torch.nn.LSTMCell(I, H, dtype=torch.float64)
    W_f, _W_r, W_u, W_o = ours.weight_ih.detach().chunk(4)
    U_f, _U_r, U_u, U_o = ours.weight_hh.detach().chunk(4)
    b_f, _b_r, b_u, b_o = ours.bias.detach().chunk(4)
    b_f = b_f + ours.forget_bias.detach()
    with torch.no_grad():
        # torch's blocks (i, f, g, o); i = σ(−a_f) = 1 − f is the UR-LSTM's tied input gate
        cell.weight_ih.copy_(torch.cat([-W_f, W_f, W_u, W_o]))
        cell.weight_hh.copy_(torch.cat([-U_f, U_f, U_u, U_o]))
        cell.bias_ih.copy_(torch.cat([-b_f, b_f, b_u, b_o]))
        cell.bias_hh.zero_()
    x = torch.randn(B, T, I, dtype=torch.float64)
    h0, c0 = torch.randn(B, H, dtype=torch.float64), torch.randn(B, H, dtype=torch.float64)
    out, (h_n, c_n) = URLSTM.forward(_batch_first(ours), x, (h0, c0))
    h, c = h0, c0
    for t in range(T):
        h, c = cell(x[:, t], (h, c))
        torch.testing.assert_close(out[:, t], h, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(h_n, h, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(c_n, c, rtol=1e-12, atol=1e-12)


def _batch_first(model: URLSTM) -> URLSTM:
    model.batch_first = True
    return model


def test_refine_gate_at_one_half_reduces_the_cell_to_no_refine():
    # r = σ(a_r − b_f) = 1/2 when the refine rows and bias cancel: g = f exactly
    gen = torch.Generator().manual_seed(2)
    B, H = 3, 4
    x_proj = torch.randn(B, 4 * H, generator=gen, dtype=torch.float64)
    W = torch.randn(4 * H, H, generator=gen, dtype=torch.float64)
    b_f = torch.randn(H, generator=gen, dtype=torch.float64)
    h, c = torch.randn(B, H, generator=gen, dtype=torch.float64), torch.zeros(B, H).double()
    W[H : 2 * H] = 0.0
    x_proj[:, H : 2 * H] = b_f
    refined = ur_lstm_cell(x_proj, h, c + 0.3, W, b_f, refine=True)
    plain = ur_lstm_cell(x_proj, h, c + 0.3, W, b_f, refine=False)
    torch.testing.assert_close(refined, plain, rtol=1e-14, atol=1e-14)


def test_uniform_init_spreads_forget_gates():
    torch.manual_seed(3)
    model = URLSTM(2, 400)
    f = torch.sigmoid(model.forget_bias.detach())
    assert f.min() >= 1 / 400 - 1e-6 and f.max() <= 1 - 1 / 400 + 1e-6
    assert f.std() > 0.25  # U[0, 1] has std 0.289; torch's biases give σ(b) within 0.5 ± 0.013
    assert (URLSTM(2, 4, uniform_init=False).forget_bias == 0).all()


def test_gradcheck_float64():
    torch.manual_seed(4)
    model = URLSTM(2, 3, dtype=torch.float64)
    x = torch.randn(5, 2, 2, dtype=torch.float64, requires_grad=True)
    params = tuple(model.parameters())

    def fn(x: torch.Tensor, *ps: torch.Tensor) -> torch.Tensor:
        state = dict(zip([n for n, _ in model.named_parameters()], ps, strict=True))
        out, (_h, c) = torch.func.functional_call(model, state, (x,))
        return out.sum() + c.sum()

    inputs = (x, *(p.detach().clone().requires_grad_() for p in params))
    assert torch.autograd.gradcheck(fn, inputs)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_device_and_dtype_follow_the_input(device: str, dtype: torch.dtype):
    model = URLSTM(3, 4, batch_first=True, device=device, dtype=dtype)
    x = torch.randn(2, 7, 3, device=device, dtype=dtype)
    out, (h, c) = model(x)
    assert out.shape == (2, 7, 4) and h.shape == c.shape == (2, 4)
    assert out.dtype == dtype and out.device.type == device
    torch.testing.assert_close(out[:, -1], h)
