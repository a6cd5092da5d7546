"""Equilibrium models: `EquilibriumRNN` and `DEQ` (no torch.nn counterpart)."""

from __future__ import annotations

import torch

from model_specs.spec import ModelSpec
from refimpl.nn import DEQ, EquilibriumRNN


class _TanhLayer(torch.nn.Module):
    """f(z, x) = tanh(A z + B x + b), contractive for the small A drawn here."""

    def __init__(self, hidden: int, inputs: int) -> None:
        super().__init__()
        self.a = torch.nn.Parameter(0.1 * torch.randn(hidden, hidden))
        self.b = torch.nn.Parameter(torch.randn(hidden, inputs) / inputs**0.5)
        self.c = torch.nn.Parameter(torch.zeros(hidden))

    def forward(self, z: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        return torch.tanh(z @ self.a.T + x @ self.b.T + self.c)


def _x(dtype: torch.dtype, device: torch.device) -> tuple:
    return (torch.randn(3, 4, dtype=dtype, device=device),)


SPECS = [
    ModelSpec(id="equilibrium-rnn", build=lambda: EquilibriumRNN(4, 6, tol=1e-6), inputs=_x),
    ModelSpec(
        id="equilibrium-rnn-rbp-iteration",
        build=lambda: EquilibriumRNN(4, 6, solver="iteration", backward="iterate", tol=1e-6),
        inputs=_x,
    ),
    ModelSpec(id="deq", build=lambda: DEQ(_TanhLayer(5, 4), 5, tol=1e-6), inputs=_x),
]
