r"""Depth in time: how fast the influence of an old input fades in deep and stacked RNNs.

For a network run over $x_1, \dots, x_T$, the sensitivity of the last state to the input $k$
steps back is the Jacobian norm $\lVert\partial h_T/\partial x_{T-k}\rVert$. Every step on the
path from $x_{T-k}$ to $h_T$ multiplies by a layer's Jacobian, so at initialisation (where these
are contractions) the sensitivity decays geometrically in the number of layers on the
*shortest* path. A deep-transition RNN with $L$ layers puts $L$ of them between consecutive
states ($\approx kL$ in all), a stacked RNN only adds its depth once ($\approx k + L$), and the
DT(S) shortcut brings the shortest path back to $\approx k$ (Pascanu et al. 2014). Reading list:
``pascanu2014deeprnn``.
"""

from __future__ import annotations

import functools

import numpy as np
import torch
from torch import nn

from refimpl.experiments._threads import single_thread
from refimpl.nn import RNN, DeepTransitionRNN

__all__ = ["DEPTH_MODELS", "build_depth_model", "input_sensitivity"]

#: The architectures compared: name -> (kind, depth).
DEPTH_MODELS: dict[str, tuple[str, int]] = {
    "RNN": ("rnn", 1),
    "stacked RNN, 3 layers": ("stacked", 3),
    "DT-RNN, L = 3": ("dt", 3),
    "DT(S)-RNN, L = 3": ("dts", 3),
}


def build_depth_model(kind: str, depth: int, input_size: int, hidden_size: int) -> nn.Module:
    """One of the compared architectures, at torch's default initialisation."""
    if kind in ("rnn", "stacked"):
        return RNN(input_size, hidden_size, num_layers=depth)
    return DeepTransitionRNN(
        input_size, hidden_size, 1, transition_layers=depth, shortcut=kind == "dts"
    )


def _final_state(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    _, h = model(x)
    return h[-1] if isinstance(model, RNN) else h  # (B, H): the top layer's last state


@functools.cache
@single_thread()
def input_sensitivity(
    steps: int = 30, hidden_size: int = 32, batch: int = 16, seeds: int = 3
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    r"""$\lVert v^\top\partial h_T/\partial x_{T-k}\rVert$ against the lag $k$, per architecture.

    For random unit vectors $v$ (one per sequence) the norm is averaged in log space over the
    batch and over ``seeds`` random networks.

    Returns:
        the lags $k = 0..T-1$ and, per model name, the geometric-mean sensitivity, shape `(T,)`.
    """
    lags = np.arange(steps)
    result: dict[str, np.ndarray] = {}
    for name, (kind, depth) in DEPTH_MODELS.items():
        logs = []
        for seed in range(seeds):
            torch.manual_seed(seed)
            model = build_depth_model(kind, depth, 4, hidden_size).double()
            gen = torch.Generator().manual_seed(100 + seed)
            x = torch.randn(steps, batch, 4, generator=gen, dtype=torch.float64)
            x.requires_grad_(True)
            v = torch.randn(batch, hidden_size, generator=gen, dtype=torch.float64)
            v = v / v.norm(dim=1, keepdim=True)
            (grad,) = torch.autograd.grad((_final_state(model, x) * v).sum(), x)  # (T, B, I)
            norms = grad.norm(dim=-1).flip(0)  # (T, B), row k = lag k
            logs.append(torch.log(norms).mean(dim=1).numpy())
        result[name] = np.exp(np.mean(logs, axis=0))
    return lags, result
