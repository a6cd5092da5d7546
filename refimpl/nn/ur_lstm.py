r"""The UR-LSTM: an LSTM whose forget gate has uniform initialisation and a refine gate.

Gu et al. (2020) keep the LSTM's cell but change its forget gate in two ways: the biases $b_f$
start from uniform gate initialisation, $\sigma(b_f) \sim \mathcal{U}[1/d, 1 - 1/d]$, and a
refine gate $r_t$ pushes the effective forget gate $g_t$ towards 0 or 1; the input gate is
tied to $1 - g_t$:

$$
\begin{aligned}
f_t &= \sigma(W_f x_t + U_f h_{t-1} + b_f), &
r_t &= \sigma(W_r x_t + U_r h_{t-1} - b_f), \\
g_t &= r_t\,(1 - (1 - f_t)^2) + (1 - r_t)\,f_t^2, &
c_t &= g_t \odot c_{t-1} + (1 - g_t) \odot \tanh(W_u x_t + U_u h_{t-1}), \\
o_t &= \sigma(W_o x_t + U_o h_{t-1}), & h_t &= o_t \odot \tanh(c_t),
\end{aligned}
$$

each $W x_t$ with its own bias. The math of one step is ``refimpl.functional.ur_lstm_cell``.
Reading list: ``gu2020gating``, ``hochreiter1997lstm``.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import Tensor, nn

from refimpl.functional.gating import ugi_forget_bias, ur_lstm_cell

__all__ = ["URLSTM"]


class URLSTM(nn.Module):
    r"""One UR-LSTM layer (Gu et al. 2020), with torch's `(output, (h_n, c_n))` interface.

    Parameters: `weight_ih` `(4H, I)`, `weight_hh` `(4H, H)` and `bias` `(4H,)` with row blocks
    $(f, r, u, o)$ (forget, refine, candidate, output), all uniform in $\pm 1/\sqrt{H}$ as in
    torch; and `forget_bias` $b_f$ `(H,)`, added to $f$'s pre-activation and subtracted from
    $r$'s, drawn by uniform gate initialisation (or zeros with `uniform_init=False`).

    Args:
        input_size: features $I$ of $x_t$.
        hidden_size: cell size $H$ (at least 3 for uniform initialisation).
        batch_first: `(B, T, ·)` instead of `(T, B, ·)`.
        refine: use the refine gate; without it $g_t = f_t$ (an LSTM with tied input gate).
        uniform_init: draw `forget_bias` by uniform gate initialisation.
        device: where to create the parameters.
        dtype: their dtype.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        batch_first: bool = False,
        refine: bool = True,
        uniform_init: bool = True,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        factory: dict[str, Any] = {"device": device, "dtype": dtype}
        self.input_size, self.hidden_size = input_size, hidden_size
        self.batch_first, self.refine, self.uniform_init = batch_first, refine, uniform_init
        H = hidden_size
        self.weight_ih = nn.Parameter(torch.empty(4 * H, input_size, **factory))
        self.weight_hh = nn.Parameter(torch.empty(4 * H, H, **factory))
        self.bias = nn.Parameter(torch.empty(4 * H, **factory))
        self.forget_bias = nn.Parameter(torch.zeros(H, **factory))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        r"""Weights and `bias` uniform in $\pm 1/\sqrt{H}$; `forget_bias` by UGI (or zeros)."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        with torch.no_grad():
            for p in (self.weight_ih, self.weight_hh, self.bias):
                p.uniform_(-bound, bound)
            if self.uniform_init:
                fb = self.forget_bias
                fb.copy_(ugi_forget_bias(self.hidden_size, dtype=fb.dtype, device=fb.device))
            else:
                self.forget_bias.zero_()

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
        x = input.transpose(0, 1) if self.batch_first else input  # (T, B, I)
        if hx is None:
            h = c = x.new_zeros(x.shape[1], self.hidden_size)  # (B, H)
        else:
            h, c = hx
        # W_ih x_t + b for every step at once: one matmul for the sequence
        x_proj = torch.addmm(self.bias, x.flatten(0, 1), self.weight_ih.T)  # (T·B, 4H)
        x_proj = x_proj.unflatten(0, x.shape[:2])  # (T, B, 4H)
        outputs = []
        for x_t in x_proj.unbind(0):  # unbind, not x_proj[t]: a cheaper backward
            h, c = ur_lstm_cell(x_t, h, c, self.weight_hh, self.forget_bias, self.refine)
            outputs.append(h)
        out = torch.stack(outputs)  # (T, B, H)
        return (out.transpose(0, 1) if self.batch_first else out), (h, c)
