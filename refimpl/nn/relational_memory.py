r"""Relational memory core (RMC): a recurrent memory whose slots attend to each other.

The state is a memory $M \in \mathbb{R}^{N \times d}$ of $N$ slots. At each step the input is
projected to one extra row $\tilde x = W_x x_t + b_x$, every slot attends over the memory and
that row with multi-head dot-product attention, a row-wise MLP refines the result (each with a
residual connection and layer norm), and LSTM-style gates decide how much of each slot to
overwrite (Santoro et al. 2018). With $Z = [M; \tilde x]$ and, per head,
$[Q, K, V] = \mathrm{LN}_0(Z W^{qkv} + b^{qkv})$ (queries from the memory rows only):

$$
\begin{aligned}
A &= \big[\mathrm{softmax}(Q_h K_h^\top / \sqrt{d_h})\, V_h\big]_{h=1}^{H}, &
\hat M &= \mathrm{LN}_1(M + A), &
\tilde M &= \mathrm{LN}_2\big(\hat M + \mathrm{MLP}(\hat M)\big),\\
i &= \sigma\big(W_i \tilde x + U_i \tanh M + b_i\big), &
f &= \sigma\big(W_f \tilde x + U_f \tanh M + b_f\big), &
M' &= i \odot \tanh \tilde M + f \odot M .
\end{aligned}
$$

Gates are per unit ($i, f \in \mathbb{R}^{N \times d}$) or per slot ($\mathbb{R}^{N \times 1}$).
This follows DeepMind's Sonnet `RelationalMemory` (one attention block, the heads concatenated
without an output projection, default biases $b_f = 1$, $b_i = 0$), including its layer norm
$\mathrm{LN}_0$ on the query/key/value projections (`qkv_norm`): without it the attention
weights of a freshly initialised core are almost uniform and it learns far more slowly. With
`qkv_norm=False` the attention is `torch.nn.MultiheadAttention` with an identity output
projection. Reading list: `santoro2018rrnn`, `vaswani2017`.
"""

from __future__ import annotations

from typing import Any, Literal

import torch
from torch import Tensor, nn

from refimpl.functional.attention import scaled_dot_product_attention
from refimpl.nn.linear import Linear
from refimpl.nn.mlp import MLP
from refimpl.nn.normalization import LayerNorm

__all__ = ["RelationalMemory"]


class RelationalMemory(nn.Module):
    r"""Relational memory core (Santoro et al. 2018): $N$ memory slots updated by attention.

    Args:
        input_size: size of each input vector $x_t$.
        mem_slots: $N$, the number of memory slots.
        head_size: width of one attention head; a slot has width $d$ = `head_size * num_heads`.
        num_heads: number of attention heads $h$.
        gate_style: `"unit"` (a gate per slot and unit), `"memory"` (one per slot) or `None`
            (no gating: $M' = \tilde M$).
        forget_bias: $b_f$, added to the forget-gate pre-activation (Sonnet's default 1).
        input_bias: $b_i$, added to the input-gate pre-activation (default 0).
        attention_mlp_layers: number of layers of the row-wise MLP (ReLU between them).
        qkv_norm: layer-normalise each row's query/key/value projection, as Sonnet does.
        device: where to create the parameters.
        dtype: their dtype.

    Example:
        >>> import torch
        >>> from refimpl.nn import RelationalMemory
        >>> rmc = RelationalMemory(input_size=5, mem_slots=4, head_size=8, num_heads=2)
        >>> outputs, memory, weights = rmc(torch.randn(3, 7, 5))
        >>> outputs.shape, memory.shape, weights.shape
        (torch.Size([3, 7, 64]), torch.Size([3, 4, 16]), torch.Size([3, 7, 4, 5]))
    """

    def __init__(
        self,
        input_size: int,
        mem_slots: int,
        head_size: int,
        num_heads: int = 1,
        gate_style: Literal["unit", "memory"] | None = "unit",
        forget_bias: float = 1.0,
        input_bias: float = 0.0,
        attention_mlp_layers: int = 2,
        qkv_norm: bool = True,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        if gate_style not in ("unit", "memory", None):
            raise ValueError(f"gate_style must be 'unit', 'memory' or None, got {gate_style!r}")
        f: dict[str, Any] = {"device": device, "dtype": dtype}
        d = head_size * num_heads
        self.mem_slots, self.mem_size, self.num_heads = mem_slots, d, num_heads
        self.gate_style, self.forget_bias, self.input_bias = gate_style, forget_bias, input_bias
        self.input_projection = Linear(input_size, d, **f)  # W_x, b_x
        self.qkv = Linear(d, 3 * d, **f)  # W^qkv, b^qkv: [queries; keys; values] of all heads
        self.qkv_norm = LayerNorm(3 * d, **f) if qkv_norm else None  # LN_0
        self.attention_norm = LayerNorm(d, **f)  # LN_1
        self.mlp = MLP([d] * (attention_mlp_layers + 1), activation="relu", **f)
        self.mlp_norm = LayerNorm(d, **f)  # LN_2
        gate_size = {"unit": d, "memory": 1, None: 0}[gate_style]
        if gate_style is not None:
            self.gate_input = Linear(d, 2 * gate_size, **f)  # [W_i; W_f]
            self.gate_memory = Linear(d, 2 * gate_size, **f)  # [U_i; U_f]

    def initial_state(self, batch_size: int, like: Tensor | None = None) -> Tensor:
        """The identity matrix, padded or cut to `(B, N, d)`: every slot starts distinct (Sonnet).

        Args:
            batch_size: $B$.
            like: a tensor whose device and dtype the memory takes (default: the parameters').
        """
        ref = like if like is not None else self.input_projection.weight
        eye = torch.eye(self.mem_slots, self.mem_size, device=ref.device, dtype=ref.dtype)
        return eye.expand(batch_size, -1, -1).clone()  # (B, N, d)

    # --8<-- [start:step]
    def attend(self, memory_plus_input: Tensor) -> tuple[Tensor, Tensor]:
        r"""Multi-head attention of the memory rows over $Z = [M; \tilde x]$ `(B, N + 1, d)`.

        Returns:
            $A$ `(B, N, d)` (the heads concatenated) and the weights averaged over the heads
            `(B, N, N + 1)`.
        """
        B, S, d = memory_plus_input.shape
        h = self.num_heads
        # [Q, K, V] = LN_0(Z W^qkv + b^qkv), one row per slot (and one for the input)
        qkv = self.qkv(memory_plus_input)  # (B, N + 1, 3d)
        if self.qkv_norm is not None:
            qkv = self.qkv_norm(qkv)
        # split into q, k, v and heads: (B, N + 1, 3d) -> 3 × (B, h, N + 1, d_h)
        q, k, v = (t.reshape(B, S, h, d // h).transpose(1, 2) for t in qkv.chunk(3, dim=-1))
        # A_h = softmax(Q_h K_hᵀ / √d_h) V_h, queries from the N memory rows only
        out, weights = scaled_dot_product_attention(q[:, :, : S - 1], k, v)  # (B, h, N, d_h)
        # concatenate the heads: (B, h, N, d_h) -> (B, N, d)
        return out.transpose(1, 2).reshape(B, S - 1, d), weights.mean(dim=1)

    def step(self, input: Tensor, memory: Tensor) -> tuple[Tensor, Tensor]:
        r"""One update $M \to M'$.

        Args:
            input: $x_t$, `(B, input_size)`.
            memory: $M$, `(B, N, d)`.

        Returns:
            The new memory $M'$ `(B, N, d)` and the attention weights `(B, N, N + 1)` (averaged
            over heads; the last column is the weight on the input row).
        """
        # x̃ = W_x x + b_x, appended as one more row: [M; x̃]
        x = self.input_projection(input)[:, None, :]  # (B, 1, d)
        memory_plus_input = torch.cat([memory, x], dim=1)  # (B, N + 1, d)
        attended, weights = self.attend(memory_plus_input)  # (B, N, d), (B, N, N + 1)
        # M̂ = LN(M + A), M̃ = LN(M̂ + MLP(M̂)), both row-wise
        hat = self.attention_norm(memory + attended)
        tilde = self.mlp_norm(hat + self.mlp(hat))  # (B, N, d)
        if self.gate_style is None:
            return tilde, weights
        # [i; f] pre-activations = W x̃ + U tanh(M); x̃ is shared by all slots
        gates = self.gate_input(x) + self.gate_memory(torch.tanh(memory))  # (B, N, 2g)
        i_pre, f_pre = gates.chunk(2, dim=-1)  # (B, N, g) each
        # i = σ(· + b_i), f = σ(· + b_f)
        i = torch.sigmoid(i_pre + self.input_bias)
        f = torch.sigmoid(f_pre + self.forget_bias)
        # M' = i ⊙ tanh(M̃) + f ⊙ M
        return i * torch.tanh(tilde) + f * memory, weights

    # --8<-- [end:step]

    def forward(self, input: Tensor, memory: Tensor | None = None) -> tuple[Tensor, Tensor, Tensor]:
        """Run over a sequence (batch first).

        Args:
            input: `(B, T, input_size)`.
            memory: the initial memory `(B, N, d)`; default `initial_state`.

        Returns:
            The outputs `(B, T, N d)` (each step's memory, flattened, as in Sonnet), the final
            memory `(B, N, d)` and the attention weights `(B, T, N, N + 1)`.
        """
        if memory is None:
            memory = self.initial_state(input.shape[0], like=input)
        outputs, weights = [], []
        for x in input.unbind(1):  # (B, input_size) per step
            memory, w = self.step(x, memory)
            outputs.append(memory.flatten(1))  # (B, N d)
            weights.append(w)
        return torch.stack(outputs, 1), memory, torch.stack(weights, 1)
