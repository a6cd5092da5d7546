"""`RelationalMemory`: one step by hand with torch modules, equivariance, gate limits, gradcheck."""

from __future__ import annotations

import copy

import pytest
import torch

from refimpl.nn import RelationalMemory

B, N, I, HEAD, HEADS = 3, 4, 5, 3, 2
D = HEAD * HEADS


def core(seed: int = 0, **kw) -> RelationalMemory:
    torch.manual_seed(seed)
    rmc = RelationalMemory(I, N, HEAD, HEADS, dtype=torch.float64, **kw)
    with torch.no_grad():  # move the layer norms' gains and biases away from 1 and 0
        for p in rmc.parameters():
            p.add_(0.1 * torch.randn_like(p))
    return rmc


def inputs(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(B, I, generator=g, dtype=torch.float64)
    memory = torch.randn(B, N, D, generator=g, dtype=torch.float64)
    return x, memory


def torch_reference_step(rmc: RelationalMemory, x: torch.Tensor, memory: torch.Tensor):
    """The same update written with torch.nn modules holding copies of the weights.

    Without the query/key/value layer norm the attention is `torch.nn.MultiheadAttention` with
    `in_proj` = our `qkv` and an identity output projection; with it, the heads are written out
    by hand around `torch.nn.LayerNorm`.
    """
    f64 = {"dtype": torch.float64}
    ln1, ln2 = torch.nn.LayerNorm(D, **f64), torch.nn.LayerNorm(D, **f64)
    ln1.load_state_dict(rmc.attention_norm.state_dict())
    ln2.load_state_dict(rmc.mlp_norm.state_dict())
    lin = rmc.mlp.linear_layers()
    x_row = torch.nn.functional.linear(x, rmc.input_projection.weight, rmc.input_projection.bias)
    both = torch.cat([memory, x_row[:, None]], 1)  # (B, N + 1, D)
    if rmc.qkv_norm is None:
        mha = torch.nn.MultiheadAttention(D, HEADS, batch_first=True, **f64)
        with torch.no_grad():
            mha.in_proj_weight.copy_(rmc.qkv.weight)
            mha.in_proj_bias.copy_(rmc.qkv.bias)
            mha.out_proj.weight.copy_(torch.eye(D))
            mha.out_proj.bias.zero_()
        attended, weights = mha(memory, both, both)
    else:
        ln0 = torch.nn.LayerNorm(3 * D, **f64)
        ln0.load_state_dict(rmc.qkv_norm.state_dict())
        qkv = ln0(torch.nn.functional.linear(both, rmc.qkv.weight, rmc.qkv.bias))
        heads, all_weights = [], []
        for hd in range(HEADS):
            cols = slice(hd * HEAD, (hd + 1) * HEAD)
            q = qkv[:, :N, :D][..., cols]
            k = qkv[:, :, D : 2 * D][..., cols]
            v = qkv[:, :, 2 * D :][..., cols]
            w = torch.softmax(q @ k.transpose(1, 2) / HEAD**0.5, dim=-1)
            heads.append(w @ v)
            all_weights.append(w)
        attended = torch.cat(heads, -1)
        weights = torch.stack(all_weights).mean(0)
    hat = ln1(memory + attended)
    h = torch.relu(torch.nn.functional.linear(hat, lin[0].weight, lin[0].bias))
    tilde = ln2(hat + torch.nn.functional.linear(h, lin[1].weight, lin[1].bias))
    if rmc.gate_style is None:
        return tilde, weights
    gi, gm = rmc.gate_input, rmc.gate_memory
    pre = (x_row[:, None] @ gi.weight.T + gi.bias) + (torch.tanh(memory) @ gm.weight.T + gm.bias)
    g = pre.shape[-1] // 2
    i = torch.sigmoid(pre[..., :g] + rmc.input_bias)
    f = torch.sigmoid(pre[..., g:] + rmc.forget_bias)
    return i * torch.tanh(tilde) + f * memory, weights


@pytest.mark.parametrize("qkv_norm", [True, False])
@pytest.mark.parametrize("gate_style", ["unit", "memory", None])
def test_one_step_equals_torch_modules(gate_style, qkv_norm):
    rmc = core(1, gate_style=gate_style, forget_bias=0.5, input_bias=-0.3, qkv_norm=qkv_norm)
    x, memory = inputs(1)
    new, weights = rmc.step(x, memory)
    ref_new, ref_weights = torch_reference_step(rmc, x, memory)
    torch.testing.assert_close(new, ref_new, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(weights, ref_weights, rtol=1e-12, atol=1e-12)
    assert weights.shape == (B, N, N + 1)
    assert (weights >= 0).all()
    torch.testing.assert_close(weights.sum(-1), torch.ones(B, N, dtype=torch.float64))


def test_sequence_forward_chains_the_steps():
    rmc = core(2)
    seq = torch.randn(B, 6, I, dtype=torch.float64)
    outputs, memory, weights = rmc(seq)
    m = rmc.initial_state(B, like=seq)
    for t in range(6):
        m, w = torch_reference_step(rmc, seq[:, t], m)
        torch.testing.assert_close(outputs[:, t], m.flatten(1))
        torch.testing.assert_close(weights[:, t], w)
    torch.testing.assert_close(memory, m)


def test_permuting_slots_permutes_the_new_memory():
    """Slots share all weights and the input row is the same for every slot: equivariance."""
    rmc = core(3)
    x, memory = inputs(3)
    perm = torch.tensor([2, 0, 3, 1])
    new, weights = rmc.step(x, memory)
    new_p, weights_p = rmc.step(x, memory[:, perm])
    torch.testing.assert_close(new_p, new[:, perm])
    # a slot's weights over the other slots are permuted the same way; the input column stays
    torch.testing.assert_close(weights_p[:, :, :N], weights[:, perm][:, :, perm])
    torch.testing.assert_close(weights_p[:, :, N], weights[:, perm, N])


def test_saturated_gates_keep_or_replace_the_memory():
    x, memory = inputs(4)
    keep = core(4, forget_bias=60.0, input_bias=-60.0)  # f = 1, i = 0: M' = M
    torch.testing.assert_close(keep.step(x, memory)[0], memory, rtol=0, atol=1e-20)
    replace = core(4, forget_bias=-60.0, input_bias=60.0)  # f = 0, i = 1: M' = tanh(M̃)
    ungated = copy.deepcopy(replace)
    ungated.gate_style = None  # the same weights, returning M̃
    expected = torch.tanh(ungated.step(x, memory)[0])
    torch.testing.assert_close(replace.step(x, memory)[0], expected, rtol=0, atol=1e-20)


def test_gradcheck_in_float64():
    rmc = core(5)
    seq = torch.randn(2, 3, I, dtype=torch.float64, requires_grad=True)
    start = torch.randn(2, N, D, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda s, m: rmc(s, m)[0], (seq, start))


def test_gradients_reach_every_parameter():
    rmc = core(6)
    rmc(torch.randn(B, 4, I, dtype=torch.float64))[0].square().sum().backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in rmc.parameters())


def test_runs_on_the_inputs_dtype_and_device():
    rmc = RelationalMemory(I, N, HEAD, HEADS)
    seq = torch.randn(B, 3, I)
    outputs, memory, weights = rmc(seq)
    assert outputs.dtype == memory.dtype == weights.dtype == torch.float32
    assert outputs.shape == (B, 3, N * D)
    if torch.cuda.is_available():
        cuda = rmc.to("cuda")
        assert cuda(seq.cuda())[1].device.type == "cuda"


def test_initial_state_is_the_padded_identity():
    rmc = core(7)
    state = rmc.initial_state(2)
    assert state.shape == (2, N, D)
    torch.testing.assert_close(state[0], torch.eye(N, D, dtype=torch.float64))


def test_rejects_an_unknown_gate_style():
    with pytest.raises(ValueError, match="gate_style"):
        RelationalMemory(I, N, HEAD, gate_style="slot")  # type: ignore[arg-type]
