"""Graph networks in the shared model contract (no torch counterpart)."""

from __future__ import annotations

import torch

from model_specs.spec import ModelSpec
from refimpl import nn


def graph_inputs(dtype: torch.dtype, device: torch.device) -> tuple:
    n, m = 6, 11
    return (
        torch.randn(n, 3, dtype=dtype, device=device),
        torch.randn(m, 2, dtype=dtype, device=device),
        torch.randint(0, n, (m,), device=device),
        torch.randint(0, n, (m,), device=device),
        torch.randn(4, dtype=dtype, device=device),
    )


def all_outputs(output: tuple) -> torch.Tensor:
    """Nodes, edges and globals in one vector, so every update MLP is checked."""
    return torch.cat([t.flatten() for t in output])


SPECS = [
    ModelSpec(
        id="graph-network",
        build=lambda: nn.GraphNetwork(3, 2, 4, 5, 6, 3, hidden=8),
        inputs=graph_inputs,
        output=all_outputs,
    ),
    ModelSpec(
        id="graph-network-no-global",
        build=lambda: nn.GraphNetwork(3, 2, 0, 5, 6, 0, hidden=8),
        inputs=lambda dtype, device: (
            *graph_inputs(dtype, device)[:4],
            torch.zeros(0, dtype=dtype, device=device),
        ),
        output=all_outputs,
    ),
]
