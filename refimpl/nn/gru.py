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

import torch
from torch import Tensor

from refimpl.functional.recurrent import chung_gru_cell, gru_cell
from refimpl.functional.recurrent_fused import gru_layer
from refimpl.nn._recurrent import RecurrentBase, SlidesLayer

__all__ = ["GRU", "ChungGRU"]


class GRU(RecurrentBase):
    r"""GRU, a drop-in replacement for `torch.nn.GRU`.

    Parameters as in torch: `weight_ih_l{k}` `(3H, I)`, `weight_hh_l{k}` `(3H, H)`,
    `bias_ih_l{k}`, `bias_hh_l{k}` `(3H,)`, row blocks $r, z, n$.

    While gradients are recorded, each layer's loop over time is one autograd function with a
    hand-written backward pass (`refimpl.functional.gru_layer`); `model.fused = False` selects
    the plain autograd loop instead (needed for double backward).

    Args:
        input_size: features $I$ of $x_t$.
        hidden_size: features $H$ of $h_t$.
        num_layers: stacked layers.
        bias: use the two bias vectors.
        batch_first: `(B, T, ·)` instead of `(T, B, ·)`.
        dropout: dropout on the outputs of every layer but the last (training only).
        bidirectional: add a backwards layer; outputs are concatenated.
        proj_size: must be 0, as in torch (only the LSTM has a projection).
        device: where to create the parameters.
        dtype: their dtype.
    """

    gates = 3
    fold_bias_hh = False

    def step(self, x_proj: Tensor, state: tuple[Tensor, ...], tag: str) -> tuple[Tensor]:
        """One GRU step of layer ``tag`` (see `refimpl.functional.gru_cell`)."""
        h, _ = gru_cell(x_proj, state[0], self.param("weight_hh", tag), self.param("bias_hh", tag))
        return (h,)

    def recurrence(
        self, x_proj: Tensor, state: tuple[Tensor, ...], tag: str
    ) -> tuple[Tensor, tuple[Tensor, ...]]:
        """The fused `refimpl.functional.gru_layer` when recording gradients, else the loop."""
        if not self.use_fused(x_proj):
            return super().recurrence(x_proj, state, tag)
        weight_hh, bias_hh = self.param("weight_hh", tag), self.param("bias_hh", tag)
        out, h = gru_layer(x_proj, state[0], weight_hh, bias_hh)
        return out, (h,)


class ChungGRU(SlidesLayer):
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

    gates = 3

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        batch_first: bool = False,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__(input_size, hidden_size, batch_first, False, device, dtype)

    def cell(self, x_proj: Tensor, state: tuple[Tensor, ...]) -> tuple[Tensor]:
        """One step of the slides' GRU (see `refimpl.functional.chung_gru_cell`)."""
        return (chung_gru_cell(x_proj, state[0], self.weight_h),)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """Run the layer over `input` `(T, B, I)` (or `(B, T, I)` with `batch_first`).

        Args:
            input: the sequence.
            hx: $h_0$ `(B, H)`; zeros when `None`.

        Returns:
            `output` `(T, B, H)` (or batch-first) and $h_T$.
        """
        out, (h,) = self.run(input, None if hx is None else (hx,))
        return out, h
