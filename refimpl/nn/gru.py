r"""Gated recurrent units: the torch-compatible ``GRU`` and the slides' ``ChungGRU``.

torch's GRU (gate order $r, z, n$) applies the reset gate *after* the recurrent matrix and lets
the update gate keep the old state:

$$
\begin{aligned}
r_t &= \sigma(W_{ir}x_t + b_{ir} + W_{hr}h_{t-1} + b_{hr}), \quad
z_t = \sigma(W_{iz}x_t + b_{iz} + W_{hz}h_{t-1} + b_{hz}), \\
n_t &= \tanh\big(W_{in}x_t + b_{in} + r_t\odot(W_{hn}h_{t-1} + b_{hn})\big), \quad
h_t = (1 - z_t)\odot n_t + z_t\odot h_{t-1}.
\end{aligned}
$$

``ChungGRU`` is the form on the course slides (Chung et al. 2014): no biases, the reset applied
*before* $U_h$, and $z$ weighting the *candidate*,
$h_t = (1 - z)\odot h_{t-1} + z\odot\tanh(W_h x_t + U_h(r\odot h_{t-1}))$. No choice of weights
makes the two equal in general (the reset sits on different sides of the matrix). Reading list:
``cho2014``, ``chung2014gru``.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import Tensor, nn

from refimpl.functional.recurrent import chung_gru_cell, gru_cell
from refimpl.nn._recurrent import RecurrentBase

__all__ = ["GRU", "ChungGRU"]


class GRU(RecurrentBase):
    r"""GRU, a drop-in replacement for `torch.nn.GRU`.

    Parameters as in torch: `weight_ih_l{k}` `(3H, I)`, `weight_hh_l{k}` `(3H, H)`,
    `bias_ih_l{k}`, `bias_hh_l{k}` `(3H,)`, row blocks $r, z, n$.

    Args:
        input_size: features $I$ of $x_t$.
        hidden_size: features $H$ of $h_t$.
        num_layers: stacked layers.
        bias: use the two bias vectors.
        batch_first: `(B, T, ·)` instead of `(T, B, ·)`.
        dropout: dropout on the outputs of every layer but the last (training only).
        bidirectional: add a backwards layer; outputs are concatenated.
        device: where to create the parameters.
        dtype: their dtype.
    """

    gates = 3
    fold_bias_hh = False

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__(
            input_size,
            hidden_size,
            num_layers,
            bias,
            batch_first,
            dropout,
            bidirectional,
            device=device,
            dtype=dtype,
        )

    def step(self, x_proj: Tensor, state: tuple[Tensor, ...], tag: str) -> tuple[Tensor]:
        """One GRU step of layer ``tag`` (see `refimpl.functional.gru_cell`)."""
        return (
            gru_cell(x_proj, state[0], self.param("weight_hh", tag), self.param("bias_hh", tag)),
        )


class ChungGRU(nn.Module):
    r"""One GRU layer in the slides' form (Chung et al. 2014): reset before $U_h$, no biases.

    $$
    z = \sigma(W_z x_t + U_z h_{t-1}),\quad r = \sigma(W_r x_t + U_r h_{t-1}),\quad
    \tilde h = \tanh(W_h x_t + U_h(r\odot h_{t-1})),\quad
    h_t = (1 - z)\odot h_{t-1} + z\odot\tilde h .
    $$

    Parameters: `weight_x` `(3H, I)` stacking $(W_z, W_r, W_h)$ and `weight_h` `(3H, H)`
    stacking $(U_z, U_r, U_h)$.

    Args:
        input_size: features $I$ of $x_t$.
        hidden_size: features $H$ of $h_t$.
        batch_first: `(B, T, ·)` instead of `(T, B, ·)`.
        device: where to create the parameters.
        dtype: their dtype.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        batch_first: bool = False,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        factory: dict[str, Any] = {"device": device, "dtype": dtype}
        self.input_size, self.hidden_size, self.batch_first = input_size, hidden_size, batch_first
        bound = 1.0 / math.sqrt(hidden_size)
        H = hidden_size
        self.weight_x = nn.Parameter(
            torch.empty(3 * H, input_size, **factory).uniform_(-bound, bound)
        )
        self.weight_h = nn.Parameter(torch.empty(3 * H, H, **factory).uniform_(-bound, bound))

    def forward(self, input: Tensor, hx: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """Run the layer over `input` `(T, B, I)` (or `(B, T, I)` with `batch_first`).

        Args:
            input: the sequence.
            hx: $h_0$ `(B, H)`; zeros when `None`.

        Returns:
            `output` `(T, B, H)` (or batch-first) and $h_T$.
        """
        x = input.transpose(0, 1) if self.batch_first else input  # (T, B, I)
        h = x.new_zeros(x.shape[1], self.hidden_size) if hx is None else hx  # (B, H)
        x_proj = x @ self.weight_x.T  # (T, B, 3H)
        outputs = []
        for x_t in x_proj.unbind(0):  # unbind, not x_proj[t]: a cheaper backward
            h = chung_gru_cell(x_t, h, self.weight_h)
            outputs.append(h)
        out = torch.stack(outputs)  # (T, B, H)
        return (out.transpose(0, 1) if self.batch_first else out), h
