"""GTrXL: the gate is the paper's GRU-type formula, and a positive gate bias starts at identity."""

from __future__ import annotations

import itertools

import torch

from refimpl.nn import GatedTransformerBlock, GRUGate

F64 = torch.float64


def test_gate_formula():
    torch.manual_seed(0)
    gate = GRUGate(6, gate_bias=1.5).double()
    x, y = torch.randn(4, 6, dtype=F64), torch.randn(4, 6, dtype=F64)
    r = torch.sigmoid(y @ gate.W_r.weight.T + x @ gate.U_r.weight.T)
    z = torch.sigmoid(y @ gate.W_z.weight.T + x @ gate.U_z.weight.T - 1.5)
    h = torch.tanh(y @ gate.W_g.weight.T + (r * x) @ gate.U_g.weight.T)
    torch.testing.assert_close(gate(x, y), (1 - z) * x + z * h, rtol=1e-12, atol=1e-14)


def deviation(block: GatedTransformerBlock, x: torch.Tensor) -> float:
    with torch.no_grad():
        return float((block(x) - x).norm() / x.norm())


def test_gate_bias_starts_the_block_near_the_identity():
    torch.manual_seed(0)
    x = torch.randn(4, 12, 16, dtype=F64)
    devs = []
    for b_g in (0.0, 1.0, 2.0, 4.0, 8.0, 12.0):
        torch.manual_seed(1)
        devs.append(deviation(GatedTransformerBlock(16, 2, 32, gate_bias=b_g).double(), x))
    assert all(a > b for a, b in itertools.pairwise(devs))  # monotone in b_g
    assert devs[-1] < 1e-4  # σ(−12) ≈ 6e-6: the block is the identity to high precision
    torch.manual_seed(1)
    residual = deviation(GatedTransformerBlock(16, 2, 32, gated=False).double(), x)
    assert devs[3] < residual / 2  # b_g = 4: much closer to the identity than x + ReLU(y)


def test_block_is_causal():
    torch.manual_seed(0)
    block = GatedTransformerBlock(8, 2, 16).double()
    x = torch.randn(1, 9, 8, dtype=F64)
    y = x.clone()
    y[:, 5:] *= -2.0
    torch.testing.assert_close(block(y)[:, :5], block(x)[:, :5], rtol=0, atol=1e-13)
