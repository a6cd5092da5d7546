r"""Deep recurrent networks beyond stacking (Pascanu et al. 2014): ``DeepTransitionRNN``.

An RNN is deep in time, but each step from $h_{t-1}$ to $h_t$, and from $h_t$ to $y_t$, is a
single layer. Pascanu et al. (2014) make those functions deep instead of (or besides) stacking
recurrent layers:

$$
\begin{aligned}
\text{DT-RNN:}\quad & h_t = \phi\big(W_L\,\phi(\cdots\phi(W_1 h_{t-1} + U x_t + b_1)\cdots)
    + b_L\big), \\
\text{DT(S)-RNN:}\quad & \text{the same, with } \bar W h_{t-1} + \bar U x_t
    \text{ added inside the top layer (a shortcut)}, \\
\text{DO-RNN:}\quad & y_t = V_M\,\phi(\cdots\phi(V_1 h_t + c_1)\cdots) + c_M .
\end{aligned}
$$

A DOT-RNN has both a deep transition and a deep output. The stacked RNN (sRNN) is
``refimpl.nn.RNN`` with ``num_layers > 1``. Reading list: ``pascanu2014deeprnn``.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import Tensor, nn

from refimpl.functional.recurrent import deep_transition_cell

__all__ = ["DeepTransitionRNN"]


class DeepTransitionRNN(nn.Module):
    r"""DT-, DT(S)-, DO- and DOT-RNNs of Pascanu et al. (2014), with a linear readout.

    Parameters: `input_weight` $U$ `(H, I)`; `transition_weight_{l}`, `transition_bias_{l}`
    for $l = 1..L$; with `shortcut`, `shortcut_hidden` $\bar W$ `(H, H)` and `shortcut_input`
    $\bar U$ `(H, I)`; `output_weight_{m}`, `output_bias_{m}` for $m = 1..M$ (the last one
    maps to `output_size`, without a nonlinearity).

    Args:
        input_size: features $I$ of $x_t$.
        hidden_size: features $H$ of $h_t$ and of every intermediate layer.
        output_size: features of $y_t$.
        transition_layers: $L \ge 1$; $L = 1$ is the Elman RNN.
        output_layers: $M \ge 1$; $M = 1$ is a linear readout, $M > 1$ a deep output.
        shortcut: add the DT(S) shortcut (needs $L \ge 2$).
        nonlinearity: `"tanh"` or `"relu"`.
        batch_first: `(B, T, ·)` instead of `(T, B, ·)`.
        device: where to create the parameters.
        dtype: their dtype.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_size: int,
        transition_layers: int = 2,
        output_layers: int = 1,
        shortcut: bool = False,
        nonlinearity: str = "tanh",
        batch_first: bool = False,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        if transition_layers < 1 or output_layers < 1:
            raise ValueError("transition_layers and output_layers must be at least 1")
        if shortcut and transition_layers < 2:
            raise ValueError("a shortcut needs at least two transition layers")
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select 'tanh' or 'relu'.")
        f: dict[str, Any] = {"device": device, "dtype": dtype}
        self.hidden_size, self.batch_first, self.nonlinearity = (
            hidden_size,
            batch_first,
            nonlinearity,
        )
        self.transition_layers, self.output_layers = transition_layers, output_layers
        bound = 1.0 / math.sqrt(hidden_size)

        def uniform(*shape: int) -> nn.Parameter:
            return nn.Parameter(torch.empty(*shape, **f).uniform_(-bound, bound))

        H = hidden_size
        self.input_weight = uniform(H, input_size)
        for l in range(1, transition_layers + 1):
            setattr(self, f"transition_weight_{l}", uniform(H, H))
            setattr(self, f"transition_bias_{l}", uniform(H))
        if shortcut:
            self.shortcut_hidden, self.shortcut_input = uniform(H, H), uniform(H, input_size)
        for m in range(1, output_layers + 1):
            out = output_size if m == output_layers else H
            setattr(self, f"output_weight_{m}", uniform(out, H))
            setattr(self, f"output_bias_{m}", uniform(out))

    def forward(self, input: Tensor, hx: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """Run over `input` `(T, B, I)` (or `(B, T, I)` with `batch_first`).

        Args:
            input: the sequence.
            hx: $h_0$ `(B, H)`; zeros when `None`.

        Returns:
            the outputs $y_t$ `(T, B, O)` (or batch-first) and the final state $h_T$ `(B, H)`.
        """
        x = input.transpose(0, 1) if self.batch_first else input  # (T, B, I)
        h = x.new_zeros(x.shape[1], self.hidden_size) if hx is None else hx  # (B, H)
        transition = [
            (getattr(self, f"transition_weight_{l}"), getattr(self, f"transition_bias_{l}"))
            for l in range(1, self.transition_layers + 1)
        ]
        shortcut = (
            (self.shortcut_hidden, self.shortcut_input)
            if hasattr(self, "shortcut_hidden")
            else None
        )
        states = []
        for x_t in x:
            h = deep_transition_cell(
                x_t, h, self.input_weight, transition, shortcut, self.nonlinearity
            )
            states.append(h)
        y = torch.stack(states)  # (T, B, H)
        phi = torch.tanh if self.nonlinearity == "tanh" else torch.relu
        for m in range(1, self.output_layers + 1):
            # y ← V_m y + c_m, with φ between the layers of a deep output
            y = y @ getattr(self, f"output_weight_{m}").T + getattr(self, f"output_bias_{m}")
            if m < self.output_layers:
                y = phi(y)
        return (y.transpose(0, 1) if self.batch_first else y), h
