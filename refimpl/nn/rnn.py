r"""The Elman recurrent network, torch-compatible: ``refimpl.nn.RNN``.

A simple (Elman) RNN keeps a state $h_t$ that it updates from the input and its own past,

$$
h_t = \phi\big(W_{ih}x_t + b_{ih} + W_{hh}h_{t-1} + b_{hh}\big), \qquad \phi \in \{\tanh,
\mathrm{ReLU}\},
$$

the same weights at every step, so that a length-$T$ sequence unrolls into a $T$-layer network
with tied weights ("depth in time"). Stacking layers, running a reversed copy
(bidirectional) and dropout between layers follow ``torch.nn.RNN``. Reading list:
``elman1990finding``, ``pascanu2014deeprnn``, ``goodfellow2016`` (chapter 10).
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor, nn

from refimpl.functional.recurrent import rnn_cell
from refimpl.nn._recurrent import RecurrentBase

__all__ = ["RNN"]


class RNN(RecurrentBase):
    r"""Elman RNN with $\tanh$ or ReLU, a drop-in replacement for `torch.nn.RNN`.

    Same constructor arguments, parameters (`weight_ih_l{k}`, `weight_hh_l{k}`, `bias_ih_l{k}`,
    `bias_hh_l{k}`, plus `_reverse` copies when bidirectional), initialisation
    ($\mathcal{U}(\pm 1/\sqrt{H})$), forward signature and return values.

    Args:
        input_size: features $I$ of $x_t$.
        hidden_size: features $H$ of $h_t$.
        num_layers: stacked layers; layer $k > 0$ reads the outputs of layer $k - 1$.
        nonlinearity: `"tanh"` or `"relu"`.
        bias: use $b_{ih}$ and $b_{hh}$.
        batch_first: input and output are `(B, T, ·)` instead of `(T, B, ·)`.
        dropout: dropout probability on the outputs of every layer but the last (training only).
        bidirectional: add a layer reading the sequence backwards; outputs are concatenated.
        device: where to create the parameters.
        dtype: their dtype.

    Example:
        >>> import torch
        >>> from refimpl.nn import RNN
        >>> rnn = RNN(3, 5, num_layers=2, batch_first=True)
        >>> out, h_n = rnn(torch.randn(4, 7, 3))
        >>> out.shape, h_n.shape
        (torch.Size([4, 7, 5]), torch.Size([2, 4, 5]))
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        nonlinearity: str = "tanh",
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select 'tanh' or 'relu'.")
        self.nonlinearity = nonlinearity
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
        """One Elman step of layer ``tag`` (see `refimpl.functional.rnn_cell`)."""
        h = rnn_cell(
            x_proj,
            state[0],
            self.param("weight_hh", tag),
            self.step_bias(tag),
            self.nonlinearity,
        )
        return (h,)

    @classmethod
    def extra_config(cls, module: nn.Module) -> dict[str, Any]:
        """The nonlinearity of a `torch.nn.RNN`."""
        return {"nonlinearity": module.nonlinearity}
