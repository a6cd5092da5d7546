"""The fused LSTM and GRU layers: hand-written BPTT against finite differences and autograd.

- `lstm_layer` and `gru_layer` pass `torch.autograd.gradcheck` in float64 (every input: the
  projected inputs, the initial states, the weights, the GRU's bias, the LSTM's projection),
  with gradients arriving through the outputs *and* the final states;
- their values and gradients equal autograd through a loop of the same cells (≤1e-12);
- the modules with `fused = True` (gradients recorded) equal `fused = False` (the autograd loop)
  in value and gradient, bidirectional, stacked, batch-first or not, with initial states;
- the fused backward refuses a double backward; the autograd loop (`fused = False`) gives one
  that passes `gradgradcheck`; frozen recurrent weights get no gradient, the input the same;
- on CUDA, when there is one, the fused gradients equal the CPU ones.
"""

from __future__ import annotations

import pytest
import torch

from refimpl.functional import gru_cell, gru_layer, lstm_cell, lstm_layer
from refimpl.nn import GRU, LSTM

T, B, H = 5, 2, 3
F64 = torch.float64


def lstm_inputs(proj: int = 0, gen_seed: int = 0) -> tuple:
    gen = torch.Generator().manual_seed(gen_seed)
    P = proj or H

    def rand(*shape):
        return torch.randn(*shape, generator=gen, dtype=F64).requires_grad_()

    w_hr = rand(P, H) if proj else None
    return rand(T, B, 4 * H), rand(B, P), rand(B, H), rand(4 * H, P) / 2, w_hr


def gru_inputs(bias: bool = True, gen_seed: int = 0) -> tuple:
    gen = torch.Generator().manual_seed(gen_seed)

    def rand(*shape):
        return torch.randn(*shape, generator=gen, dtype=F64).requires_grad_()

    return rand(T, B, 3 * H), rand(B, H), rand(3 * H, H) / 2, rand(3 * H) if bias else None


def lstm_loop(x_proj, h, c, weight_hh, weight_hr=None):
    outs = []
    for x_t in x_proj.unbind(0):
        h, c, _ = lstm_cell(x_t, h, c, weight_hh, None, weight_hr)
        outs.append(h)
    return torch.stack(outs), h, c


def gru_loop(x_proj, h, weight_hh, bias_hh):
    outs = []
    for x_t in x_proj.unbind(0):
        h, _ = gru_cell(x_t, h, weight_hh, bias_hh)
        outs.append(h)
    return torch.stack(outs), h


def weighted(outputs: tuple) -> torch.Tensor:
    """A scalar that sends a different gradient into every entry of every output."""
    total = 0
    for k, y in enumerate(outputs):
        total = (
            total + (y * torch.linspace(-1, 1 + k, y.numel(), dtype=y.dtype).view(y.shape)).sum()
        )
    return total


@pytest.mark.parametrize("proj", [0, 2])
def test_lstm_layer_passes_gradcheck(proj):
    inputs = lstm_inputs(proj)
    assert torch.autograd.gradcheck(lambda *a: lstm_layer(*a), inputs)


@pytest.mark.parametrize("bias", [True, False])
def test_gru_layer_passes_gradcheck(bias):
    inputs = gru_inputs(bias)
    assert torch.autograd.gradcheck(lambda *a: gru_layer(*a), inputs)


@pytest.mark.parametrize(
    ("layer", "loop", "inputs"),
    [
        (lstm_layer, lstm_loop, lstm_inputs(0, 1)),
        (lstm_layer, lstm_loop, lstm_inputs(2, 2)),
        (gru_layer, gru_loop, gru_inputs(True, 3)),
        (gru_layer, gru_loop, gru_inputs(False, 4)),
    ],
)
def test_fused_layer_equals_autograd_through_the_cells(layer, loop, inputs):
    leaves = [t for t in inputs if t is not None]
    fused, plain = layer(*inputs), loop(*inputs)
    for a, b in zip(fused, plain, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-12, atol=1e-12)
    g_fused = torch.autograd.grad(weighted(fused), leaves)
    g_plain = torch.autograd.grad(weighted(plain), leaves)
    for a, b in zip(g_fused, g_plain, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-12, atol=1e-12)


CONFIGS = [
    {},
    {"num_layers": 2, "bidirectional": True},
    {"num_layers": 2, "batch_first": True},
    {"bidirectional": True, "batch_first": True, "bias": False},
]


def module_grads(model, x, hx):
    out, state = model(x, hx)
    state = state if isinstance(state, tuple) else (state,)
    states = () if hx is None else hx if isinstance(hx, tuple) else (hx,)
    leaves = [x, *states, *model.parameters()]
    return (out, *state), torch.autograd.grad(weighted((out, *state)), leaves)


@pytest.mark.parametrize("cls", [LSTM, GRU])
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: "-".join(c) or "default")
def test_fused_module_equals_the_autograd_loop(cls, config):
    torch.manual_seed(5)
    model = cls(4, H, **config).double()
    D, L = (2 if config.get("bidirectional") else 1), config.get("num_layers", 1)
    shape = (B, T, 4) if config.get("batch_first") else (T, B, 4)
    x = torch.randn(shape, dtype=F64, requires_grad=True)
    h0 = torch.randn(D * L, B, H, dtype=F64, requires_grad=True)
    hx = (h0, torch.randn(D * L, B, H, dtype=F64, requires_grad=True)) if cls is LSTM else h0
    model.fused = True
    outs_fused, g_fused = module_grads(model, x, hx)
    model.fused = False
    outs_plain, g_plain = module_grads(model, x, hx)
    for a, b in zip((*outs_fused, *g_fused), (*outs_plain, *g_plain), strict=True):
        torch.testing.assert_close(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("cls", [LSTM, GRU])
def test_module_passes_gradcheck_bidirectional_stacked_with_initial_state(cls):
    torch.manual_seed(6)
    model = cls(2, 2, num_layers=2, bidirectional=True, batch_first=True).double()
    names = [n for n, _ in model.named_parameters()]
    x = torch.randn(2, 3, 2, dtype=F64, requires_grad=True)
    states = [torch.randn(4, 2, 2, dtype=F64, requires_grad=True) for _ in range(cls.state_tensors)]

    def f(x, *tensors):
        hx, params = tensors[: cls.state_tensors], tensors[cls.state_tensors :]
        hx = tuple(hx) if cls is LSTM else hx[0]
        out, state = torch.func.functional_call(
            model, dict(zip(names, params, strict=True)), (x, hx)
        )
        return out, *(state if isinstance(state, tuple) else (state,))

    params = [p.detach().requires_grad_() for p in model.parameters()]
    assert torch.autograd.gradcheck(f, (x, *states, *params))


@pytest.mark.parametrize("cls", [LSTM, GRU])
def test_double_backward_needs_the_autograd_loop(cls):
    torch.manual_seed(7)
    model = cls(2, 2).double()
    x = torch.randn(3, 1, 2, dtype=F64, requires_grad=True)
    with pytest.raises(RuntimeError, match="twice"):
        (g,) = torch.autograd.grad(model(x)[0].sum(), x, create_graph=True)
        g.sum().backward()
    model.fused = False
    assert torch.autograd.gradgradcheck(lambda x: model(x)[0], (x,))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("cls", [LSTM, GRU])
def test_fused_gradients_on_cuda_equal_cpu(cls):
    torch.manual_seed(8)
    model = cls(4, H, num_layers=2, bidirectional=True).double()
    x = torch.randn(T, B, 4, dtype=F64, requires_grad=True)
    _, g_cpu = module_grads(model, x, None)
    x_cuda = x.detach().cuda().requires_grad_()
    _, g_cuda = module_grads(model.cuda(), x_cuda, None)
    for a, b in zip(g_cuda, g_cpu, strict=True):
        torch.testing.assert_close(a.cpu(), b, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("cls", [LSTM, GRU])
def test_frozen_recurrent_weights_get_no_gradient(cls):
    torch.manual_seed(9)
    model = cls(4, H).double()
    model.weight_hh_l0.requires_grad_(False)
    x = torch.randn(T, B, 4, dtype=F64, requires_grad=True)
    (g_fused,) = torch.autograd.grad(model(x)[0].sum(), x)
    model.fused = False
    (g_plain,) = torch.autograd.grad(model(x)[0].sum(), x)
    torch.testing.assert_close(g_fused, g_plain, rtol=1e-12, atol=1e-12)
    assert model.weight_hh_l0.grad is None
