"""The machinery shared by ``RNN``, ``LSTM`` and ``GRU``: torch's parameters, shapes and stacking.

A layer of a recurrent network is a loop over time of a *cell* (``refimpl.functional.recurrent``).
This base class does what the three torch.nn classes share: it creates the parameters with
torch's names, shapes and initialisation, accepts time-major, batch-first and unbatched input,
stacks ``num_layers`` layers (with dropout between them), runs a second, time-reversed pass per
layer when ``bidirectional``, and returns torch's ``(output, h_n)``. The input projection
$W_{ih}x_t + b_{ih}$ of all time steps is one matmul; only $W_{hh}h_{t-1}$ is in the loop.
While gradients are recorded, ``LSTM`` and ``GRU`` run that loop as one autograd function with
a hand-written backward pass (``refimpl.functional.recurrent_fused``). ``SlidesLayer`` is the
same for the single-layer forms of the slides (``GravesLSTM``, ``ChungGRU``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any

import torch
from torch import Tensor, nn

__all__ = ["RecurrentBase", "SlidesLayer", "unroll"]


def unroll(
    cell: Callable[[Tensor, tuple[Tensor, ...]], tuple[Tensor, ...]],
    x_proj: Tensor,
    state: tuple[Tensor, ...],
) -> tuple[Tensor, tuple[Tensor, ...]]:
    """Apply `cell` at every step of `x_proj` `(T, B, ·)`: the outputs `(T, B, P)`, last state.

    `cell(x_t, state)` returns the new state tuple, output first.
    """
    outputs: list[Tensor] = []
    # unbind once: indexing x_proj[t] in the loop would make the backward pass allocate
    # and zero-fill a full (T, B, G·H) gradient for every step
    for x_t in x_proj.unbind(0):
        state = cell(x_t, state)
        outputs.append(state[0])
    return torch.stack(outputs), state  # (T, B, P)


class RecurrentBase(nn.Module):
    """A stack of recurrent layers with torch.nn's ``RNNBase`` interface (see the module doc)."""

    #: number of gate blocks in ``weight_ih`` (1 for Elman, 4 for LSTM, 3 for GRU)
    gates: int = 1
    #: number of state tensors carried from step to step (2 for the LSTM's ``(h, c)``)
    state_tensors: int = 1
    #: add ``bias_hh`` to the input projection before the loop (not for the GRU, whose
    #: reset gate multiplies part of it)
    fold_bias_hh: bool = True
    #: whether ``proj_size`` is accepted (torch: only by the LSTM)
    projection: bool = False
    #: use the hand-written backward pass of ``refimpl.functional.recurrent_fused`` where the
    #: subclass has one; set it to ``False`` for the plain autograd loop (double backward)
    fused: bool = True

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        if not 0 <= dropout <= 1:
            raise ValueError("dropout should be a number in range [0, 1]")
        if hidden_size <= 0 or num_layers <= 0:
            raise ValueError("hidden_size and num_layers must be positive")
        if proj_size and not self.projection:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if not 0 <= proj_size < hidden_size:
            raise ValueError("proj_size has to be a non-negative integer smaller than hidden_size")
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.dropout = bias, batch_first, float(dropout)
        self.bidirectional, self.proj_size = bidirectional, proj_size
        factory: dict[str, Any] = {"device": device, "dtype": dtype}
        out_size = proj_size or hidden_size
        directions = 2 if bidirectional else 1
        for layer in range(num_layers):
            layer_in = input_size if layer == 0 else out_size * directions
            for suffix in ("", "_reverse")[:directions]:
                tag = f"l{layer}{suffix}"
                G = self.gates * hidden_size
                self.register_parameter(
                    f"weight_ih_{tag}", nn.Parameter(torch.empty(G, layer_in, **factory))
                )
                self.register_parameter(
                    f"weight_hh_{tag}", nn.Parameter(torch.empty(G, out_size, **factory))
                )
                if bias:
                    self.register_parameter(
                        f"bias_ih_{tag}", nn.Parameter(torch.empty(G, **factory))
                    )
                    self.register_parameter(
                        f"bias_hh_{tag}", nn.Parameter(torch.empty(G, **factory))
                    )
                if proj_size:
                    self.register_parameter(
                        f"weight_hr_{tag}",
                        nn.Parameter(torch.empty(proj_size, hidden_size, **factory)),
                    )
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """torch's initialisation: every parameter uniform in $\\pm 1/\\sqrt{H}$."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        with torch.no_grad():
            for p in self.parameters():
                p.uniform_(-bound, bound)

    # -- the part each subclass defines ---------------------------------------------------
    def step(self, x_proj: Tensor, state: tuple[Tensor, ...], tag: str) -> tuple[Tensor, ...]:
        """One time step of the layer ``tag``; returns the new state, output first."""
        raise TypeError(f"{type(self).__name__} must define step()")

    @classmethod
    def extra_config(cls, module: nn.Module) -> dict[str, Any]:
        """Constructor arguments beyond the common ones, read off a torch module."""
        return {}

    # -- shared ---------------------------------------------------------------------------
    def param(self, name: str, tag: str) -> Tensor | None:
        """The parameter ``{name}_{tag}``, or ``None`` when the layer has no such parameter."""
        return getattr(self, f"{name}_{tag}", None)

    def step_bias(self, tag: str) -> Tensor | None:
        """``bias_hh`` for the step function, or ``None`` when it was folded into the input."""
        return None if self.fold_bias_hh else self.param("bias_hh", tag)

    def recurrence(
        self, x_proj: Tensor, state: tuple[Tensor, ...], tag: str
    ) -> tuple[Tensor, tuple[Tensor, ...]]:
        """The loop over time of layer ``tag``: `step` at every step, autograd records it all.

        `LSTM` and `GRU` replace it, while `fused` is set and gradients are recorded, by one
        `torch.autograd.Function` for the whole sequence (`refimpl.functional.lstm_layer`).
        """
        return unroll(partial(self.step, tag=tag), x_proj, state)

    def use_fused(self, x_proj: Tensor) -> bool:
        """Whether `recurrence` may use the fused backward: `fused` is set, gradients are
        recorded, and autocast is off (the hand-written backward keeps one dtype)."""
        return (
            self.fused
            and torch.is_grad_enabled()
            and not torch.is_autocast_enabled(x_proj.device.type)
        )

    def _run_direction(
        self, x: Tensor, state: tuple[Tensor, ...], tag: str, reverse: bool
    ) -> tuple[Tensor, tuple[Tensor, ...]]:
        """Run one layer in one direction over time-major ``x`` of shape `(T, B, I)`."""
        w_ih, bias = self.param("weight_ih", tag), self.param("bias_ih", tag)
        if bias is not None and self.fold_bias_hh:
            # b_hh adds to the same pre-activation as b_ih: fold it in once
            bias = bias + self.param("bias_hh", tag)
        T, B, I = x.shape
        # W_ih x_t + b for every step at once: one matmul over the T·B rows
        rows = x.reshape(T * B, I)  # (T·B, I)
        x_proj = rows @ w_ih.T if bias is None else torch.addmm(bias, rows, w_ih.T)
        x_proj = x_proj.view(T, B, -1)  # (T, B, G·H)
        if reverse:  # the backward direction reads the sequence from its end
            x_proj = x_proj.flip(0)
        out, state = self.recurrence(x_proj, state, tag)  # (T, B, P)
        return (out.flip(0) if reverse else out), state

    def forward(self, input: Tensor, hx: Any = None) -> tuple[Tensor, Any]:
        """Run the stack over a sequence.

        Args:
            input: `(T, B, I)`, or `(B, T, I)` with `batch_first`, or unbatched `(T, I)`.
            hx: the initial state, `(D·num_layers, B, H)` (the LSTM takes a pair `(h_0, c_0)`);
                zeros when `None`.

        Returns:
            `output` of shape `(T, B, D·H)` (batch-first or unbatched like the input) and the
            final state `h_n` (the LSTM returns `(h_n, c_n)`), `D = 2` when bidirectional.
        """
        batched = input.dim() == 3
        x = input if batched else input.unsqueeze(1)  # (T, B, I) or (B, T, I)
        if batched and self.batch_first:
            x = x.transpose(0, 1)  # (T, B, I)
        directions = 2 if self.bidirectional else 1
        B = x.shape[1]
        out_size = self.proj_size or self.hidden_size
        sizes = (out_size, self.hidden_size)[: self.state_tensors]
        if hx is None:
            init = tuple(
                x.new_zeros(self.num_layers * directions, B, size) for size in sizes
            )  # each (D·L, B, ·)
        else:
            init = tuple(hx) if isinstance(hx, tuple | list) else (hx,)
            if not batched:
                init = tuple(h.unsqueeze(1) for h in init)  # (D·L, 1, ·)
        finals: list[list[Tensor]] = [[] for _ in sizes]
        for layer in range(self.num_layers):
            outs = []
            for d, suffix in enumerate(("", "_reverse")[:directions]):
                k = layer * directions + d
                out, state = self._run_direction(
                    x, tuple(h[k] for h in init), f"l{layer}{suffix}", reverse=d == 1
                )
                outs.append(out)
                for store, s in zip(finals, state, strict=True):
                    store.append(s)
            x = torch.cat(outs, dim=-1) if directions == 2 else outs[0]  # (T, B, D·P)
            if self.training and self.dropout > 0 and layer < self.num_layers - 1:
                # inverted dropout between layers: keep with probability 1 − p, rescale
                keep = torch.rand_like(x) >= self.dropout
                x = x * keep / (1.0 - self.dropout)
        if batched and self.batch_first:
            x = x.transpose(0, 1)  # (B, T, D·P)
        state_out = [torch.stack(s) for s in finals]  # each (D·L, B, ·)
        if not batched:
            x = x.squeeze(1)  # (T, D·P)
            state_out = [s.squeeze(1) for s in state_out]  # (D·L, ·)
        return x, (tuple(state_out) if self.state_tensors > 1 else state_out[0])

    @classmethod
    def from_torch(cls, module: nn.Module) -> RecurrentBase:
        """The refimpl module with the configuration and weights of the torch module."""
        ref = next(module.parameters())
        ours = cls(
            module.input_size,
            module.hidden_size,
            num_layers=module.num_layers,
            bias=module.bias,
            batch_first=module.batch_first,
            dropout=module.dropout,
            bidirectional=module.bidirectional,
            device=ref.device,
            dtype=ref.dtype,
            **({"proj_size": module.proj_size} if cls.projection else {}),
            **cls.extra_config(module),
        )
        ours.load_state_dict(module.state_dict())
        return ours

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}, num_layers={self.num_layers}"
        if self.batch_first:
            s += ", batch_first=True"
        if self.bidirectional:
            s += ", bidirectional=True"
        if self.proj_size:
            s += f", proj_size={self.proj_size}"
        return s


class SlidesLayer(nn.Module):
    """One recurrent layer in a slides' form: `weight_x` `(G·H, I)`, `weight_h` `(G·H, H)`.

    With `bias`, also `bias` `(G·H,)`; all uniform in $\\pm 1/\\sqrt{H}$. The input projection
    of every step is one matmul; subclasses define `cell`, one step on a state tuple.
    """

    #: number of gate blocks in ``weight_x`` and ``weight_h``
    gates: int = 1
    #: number of state tensors carried from step to step
    state_size: int = 1

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        batch_first: bool,
        bias: bool,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        factory: dict[str, Any] = {"device": device, "dtype": dtype}
        self.input_size, self.hidden_size, self.batch_first = input_size, hidden_size, batch_first
        bound = 1.0 / math.sqrt(hidden_size)
        G = self.gates * hidden_size
        self.weight_x = nn.Parameter(torch.empty(G, input_size, **factory).uniform_(-bound, bound))
        self.weight_h = nn.Parameter(torch.empty(G, hidden_size, **factory).uniform_(-bound, bound))
        self.bias = (
            nn.Parameter(torch.empty(G, **factory).uniform_(-bound, bound)) if bias else None
        )

    def cell(self, x_proj: Tensor, state: tuple[Tensor, ...]) -> tuple[Tensor, ...]:
        """One time step; returns the new state, output first."""
        raise TypeError(f"{type(self).__name__} must define cell()")

    def run(self, input: Tensor, state: tuple[Tensor, ...] | None) -> tuple[Tensor, tuple]:
        """The outputs over time (batch-first like `input`) and the final state.

        Args:
            input: `(T, B, I)`, or `(B, T, I)` with `batch_first`.
            state: the initial state tuple, each `(B, H)`; zeros when `None`.
        """
        x = input.transpose(0, 1) if self.batch_first else input  # (T, B, I)
        if state is None:
            state = (x.new_zeros(x.shape[1], self.hidden_size),) * self.state_size  # (B, H)
        x_proj = x @ self.weight_x.T  # (T, B, G·H)
        if self.bias is not None:
            x_proj = x_proj + self.bias
        out, state = unroll(self.cell, x_proj, state)  # (T, B, H)
        return (out.transpose(0, 1) if self.batch_first else out), state
