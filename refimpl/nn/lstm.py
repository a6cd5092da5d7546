r"""Long short-term memory: the torch-compatible ``LSTM`` and the peephole ``GravesLSTM``.

The LSTM adds a memory cell $c_t$ that is updated additively, under the control of input,
forget and output gates (torch's form, gate order $i, f, g, o$):

$$
\begin{aligned}
i_t &= \sigma(W_{ii}x_t + b_{ii} + W_{hi}h_{t-1} + b_{hi}), &
f_t &= \sigma(W_{if}x_t + b_{if} + W_{hf}h_{t-1} + b_{hf}), \\
g_t &= \tanh(W_{ig}x_t + b_{ig} + W_{hg}h_{t-1} + b_{hg}), &
o_t &= \sigma(W_{io}x_t + b_{io} + W_{ho}h_{t-1} + b_{ho}), \\
c_t &= f_t\odot c_{t-1} + i_t\odot g_t, & h_t &= o_t\odot\tanh(c_t).
\end{aligned}
$$

``GravesLSTM`` is the form on the course slides (Graves 2013): one bias per gate and diagonal
peepholes, with $i_t$, $f_t$ reading $c_{t-1}$ and $o_t$ reading $c_t$. The 1997 LSTM had
neither the forget gate (Gers et al. 2000) nor peepholes. Reading list: ``hochreiter1997lstm``,
``graves2013``, ``gu2020gating``.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from refimpl.functional.recurrent import graves_lstm_cell, lstm_cell
from refimpl.functional.recurrent_fused import lstm_layer
from refimpl.nn._recurrent import RecurrentBase, SlidesLayer

__all__ = ["LSTM", "GravesLSTM"]


class LSTM(RecurrentBase):
    r"""LSTM, a drop-in replacement for `torch.nn.LSTM` (including `proj_size`).

    Parameters as in torch: `weight_ih_l{k}` `(4H, I)`, `weight_hh_l{k}` `(4H, P)`,
    `bias_ih_l{k}`, `bias_hh_l{k}` `(4H,)`, and `weight_hr_l{k}` `(P, H)` when `proj_size`
    $P > 0$; the four row blocks are the gates $i, f, g, o$. `forward(input, (h_0, c_0))`
    returns `(output, (h_n, c_n))`.

    While gradients are recorded, each layer's loop over time is one autograd function with a
    hand-written backward pass (`refimpl.functional.lstm_layer`); `model.fused = False` selects
    the plain autograd loop instead (needed for double backward).

    Args:
        input_size: features $I$ of $x_t$.
        hidden_size: cell size $H$.
        num_layers: stacked layers.
        bias: use the two bias vectors.
        batch_first: `(B, T, ·)` instead of `(T, B, ·)`.
        dropout: dropout on the outputs of every layer but the last (training only).
        bidirectional: add a backwards layer; outputs are concatenated.
        proj_size: if $> 0$, $h_t = W_{hr}(o_t\odot\tanh c_t)$ has $P$ features.
        device: where to create the parameters.
        dtype: their dtype.
    """

    gates = 4
    state_tensors = 2
    projection = True

    def step(self, x_proj: Tensor, state: tuple[Tensor, ...], tag: str) -> tuple[Tensor, Tensor]:
        """One LSTM step of layer ``tag`` (see `refimpl.functional.lstm_cell`)."""
        h, c = state
        w_hh, w_hr = self.param("weight_hh", tag), self.param("weight_hr", tag)
        h, c, _ = lstm_cell(x_proj, h, c, w_hh, self.step_bias(tag), w_hr)
        return h, c

    def recurrence(
        self, x_proj: Tensor, state: tuple[Tensor, ...], tag: str
    ) -> tuple[Tensor, tuple[Tensor, ...]]:
        """The fused `refimpl.functional.lstm_layer` when recording gradients, else the loop."""
        if not self.use_fused(x_proj):
            return super().recurrence(x_proj, state, tag)
        h0, c0 = state
        weight_hh, weight_hr = self.param("weight_hh", tag), self.param("weight_hr", tag)
        out, h, c = lstm_layer(x_proj, h0, c0, weight_hh, weight_hr)
        return out, (h, c)


class GravesLSTM(SlidesLayer):
    r"""One LSTM layer with diagonal peepholes, as written by Graves (2013) and on the slides.

    $$
    \begin{aligned}
    i_t &= \sigma(W_{xi}x_t + W_{hi}h_{t-1} + w_{ci}\odot c_{t-1} + b_i), \quad
    f_t = \sigma(W_{xf}x_t + W_{hf}h_{t-1} + w_{cf}\odot c_{t-1} + b_f), \\
    c_t &= f_t\odot c_{t-1} + i_t\odot\tanh(W_{xc}x_t + W_{hc}h_{t-1} + b_c), \\
    o_t &= \sigma(W_{xo}x_t + W_{ho}h_{t-1} + w_{co}\odot c_t + b_o), \quad
    h_t = o_t\odot\tanh(c_t).
    \end{aligned}
    $$

    Parameters: `weight_x` `(4H, I)` and `weight_h` `(4H, H)` with row blocks $(i, f, c, o)$
    (torch's order), `bias` `(4H,)`, `peephole` `(3, H)` holding $(w_{ci}, w_{cf}, w_{co})$.

    Args:
        input_size: features $I$ of $x_t$.
        hidden_size: cell size $H$.
        batch_first: `(B, T, ·)` instead of `(T, B, ·)`.
        peephole_init: the initial value of every peephole weight (the others are uniform in
            $\pm 1/\sqrt{H}$).
        device: where to create the parameters.
        dtype: their dtype.
    """

    gates = 4
    state_size = 2

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        batch_first: bool = False,
        peephole_init: float = 0.0,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__(input_size, hidden_size, batch_first, True, device, dtype)
        self.peephole = nn.Parameter(
            torch.full((3, hidden_size), float(peephole_init), device=device, dtype=dtype)
        )

    def cell(self, x_proj: Tensor, state: tuple[Tensor, ...]) -> tuple[Tensor, Tensor]:
        """One peephole step (see `refimpl.functional.graves_lstm_cell`)."""
        h, c = state
        return graves_lstm_cell(x_proj, h, c, self.weight_h, self.peephole)

    def forward(
        self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None
    ) -> tuple[Tensor, tuple[Tensor, Tensor]]:
        """Run the layer over `input` `(T, B, I)` (or `(B, T, I)` with `batch_first`).

        Args:
            input: the sequence.
            hx: `(h_0, c_0)`, each `(B, H)`; zeros when `None`.

        Returns:
            `output` `(T, B, H)` (or batch-first) and `(h_T, c_T)`.
        """
        out, (h, c) = self.run(input, None if hx is None else tuple(hx))
        return out, (h, c)
