r"""The Transformer encoder layer (torch-compatible) and a small causal decoder-only model.

An encoder layer is self-attention followed by a position-wise MLP, each wrapped in a residual
connection and a layer norm (Vaswani et al. 2017). Post-norm (the paper, torch's default):

$$
x \leftarrow \mathrm{LN}_1\big(x + \mathrm{MHA}(x, x, x)\big), \qquad
x \leftarrow \mathrm{LN}_2\big(x + W_2\,\phi(W_1 x + b_1) + b_2\big);
$$

pre-norm (``norm_first=True``) moves the norms to the branch inputs,
$x \leftarrow x + \mathrm{MHA}(\mathrm{LN}_1 x)$ and
$x \leftarrow x + \mathrm{MLP}(\mathrm{LN}_2 x)$.
`CausalTransformer` stacks pre-norm layers under a causal mask, on token embeddings plus
sinusoidal positional encodings, and reads out next-token logits (a GPT-like decoder).
Reading list: `vaswani2017`, `ba2016ln`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import Tensor, nn

from refimpl.functional.attention import causal_mask, sinusoidal_positional_encoding
from refimpl.nn.multihead_attention import MultiheadAttention, _Linear
from refimpl.nn.normalization import LayerNorm

__all__ = ["CausalTransformer", "TransformerEncoderLayer"]


def _relu(x: Tensor) -> Tensor:
    r"""$\max(x, 0)$."""
    return torch.where(x > 0, x, torch.zeros_like(x))


def _gelu(x: Tensor) -> Tensor:
    r"""GELU: $x\,\Phi(x) = \tfrac{x}{2}\big(1 + \mathrm{erf}(x/\sqrt2)\big)$."""
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


_ACTIVATIONS: dict[str, Callable[[Tensor], Tensor]] = {"relu": _relu, "gelu": _gelu}


def _dropout(x: Tensor, p: float, training: bool) -> Tensor:
    """Inverted dropout: zero each entry with probability $p$, scale the rest by $1/(1-p)$."""
    if not training or p == 0.0:
        return x
    return x * (torch.rand_like(x) >= p) / (1.0 - p)


class TransformerEncoderLayer(nn.Module):
    r"""Self-attention and an MLP, with residuals and layer norms; torch's interface.

    Args:
        d_model: the model width $E$.
        nhead: the number of attention heads.
        dim_feedforward: the MLP's hidden width.
        dropout: dropout on the attention weights and on both branches (training only).
        activation: ``"relu"``, ``"gelu"`` or a callable $\phi$.
        layer_norm_eps: $\epsilon$ of both layer norms.
        batch_first: inputs are ``(N, T, E)`` rather than ``(T, N, E)``.
        norm_first: pre-norm (True) or post-norm (False, the paper's order).
        bias: biases in the projections and the layer norms.
        device: where to create the parameters.
        dtype: their dtype.
    """

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: str | Callable[[Tensor], Tensor] = "relu",
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device: torch.device | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        self.self_attn = MultiheadAttention(
            d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first
        )
        self.linear1 = _Linear(d_model, dim_feedforward, bias=bias)
        self.linear2 = _Linear(dim_feedforward, d_model, bias=bias)
        self.norm_first, self.dropout_p = norm_first, dropout
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias)
        self.activation = _ACTIVATIONS[activation] if isinstance(activation, str) else activation
        self.to(device=device, dtype=dtype)

    @classmethod
    def from_torch(cls, module: nn.TransformerEncoderLayer) -> TransformerEncoderLayer:
        """A copy of a `torch.nn.TransformerEncoderLayer`, same configuration and weights."""
        act = module.activation
        if act is nn.functional.relu or isinstance(act, nn.ReLU):
            act = "relu"
        elif act is nn.functional.gelu or isinstance(act, nn.GELU):
            act = "gelu"
        w = module.linear1.weight
        ours = cls(
            module.self_attn.embed_dim,
            module.self_attn.num_heads,
            dim_feedforward=module.linear1.out_features,
            dropout=module.dropout.p,
            activation=act,
            layer_norm_eps=module.norm1.eps,
            batch_first=module.self_attn.batch_first,
            norm_first=module.norm_first,
            bias=module.linear1.bias is not None,
            device=w.device,
            dtype=w.dtype,
        )
        ours.load_state_dict(module.state_dict())
        return ours.train(module.training)

    def _sa_block(self, x: Tensor, mask: Tensor | None, pad: Tensor | None, causal: bool) -> Tensor:
        out = self.self_attn(
            x, x, x, attn_mask=mask, key_padding_mask=pad, need_weights=False, is_causal=causal
        )[0]
        return _dropout(out, self.dropout_p, self.training)

    def _ff_block(self, x: Tensor) -> Tensor:
        # MLP(x) = W₂ φ(W₁ x + b₁) + b₂
        hidden = _dropout(self.activation(self.linear1(x)), self.dropout_p, self.training)
        return _dropout(self.linear2(hidden), self.dropout_p, self.training)

    # --8<-- [start:encoder-layer]
    def forward(
        self,
        src: Tensor,
        src_mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        is_causal: bool = False,
    ) -> Tensor:
        """One encoder layer on ``src`` (``(T, N, E)``, ``(N, T, E)`` or ``(T, E)``).

        ``src_mask`` and ``src_key_padding_mask`` follow `MultiheadAttention`'s conventions.
        """
        x = src
        if self.norm_first:
            # pre-norm: x ← x + SA(LN₁ x);  x ← x + MLP(LN₂ x)
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            x = x + self._ff_block(self.norm2(x))
        else:
            # post-norm: x ← LN₁(x + SA(x));  x ← LN₂(x + MLP(x))
            x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal))
            x = self.norm2(x + self._ff_block(x))
        return x

    # --8<-- [end:encoder-layer]


class CausalTransformer(nn.Module):
    r"""A small GPT-like language model: embeddings, causal pre-norm layers, logits.

    $h^0_t = E[x_t] + PE_t$; $L$ `TransformerEncoderLayer`s with ``norm_first=True`` under the
    causal mask; logits $= \mathrm{LN}(h^L_t)\,W_{\text{out}}^\top$. Position $t$ sees tokens
    $x_1, \dots, x_t$ only.

    Args:
        vocab_size: the number of token ids $V$.
        d_model: the width $E$ (even).
        nhead: attention heads per layer.
        num_layers: $L$.
        dim_feedforward: the MLP's hidden width.
        dropout: dropout probability in every layer (training mode only).
    """

    def __init__(
        self,
        vocab_size: int,
        d_model: int = 64,
        nhead: int = 4,
        num_layers: int = 2,
        dim_feedforward: int = 256,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.embedding = nn.Parameter(torch.randn(vocab_size, d_model) * 0.02)
        self.layers = nn.ModuleList(
            TransformerEncoderLayer(
                d_model,
                nhead,
                dim_feedforward,
                dropout=dropout,
                activation="gelu",
                batch_first=True,
                norm_first=True,
            )
            for _ in range(num_layers)
        )
        self.norm = LayerNorm(d_model)
        self.head = _Linear(d_model, vocab_size, bias=False)

    # --8<-- [start:causal-lm]
    def forward(self, tokens: Tensor) -> Tensor:
        """Next-token logits ``(N, T, V)`` for integer ``tokens`` of shape ``(N, T)``."""
        T = tokens.shape[1]
        # h⁰_t = E[x_t] + PE_t
        pe = sinusoidal_positional_encoding(
            T, self.embedding.shape[1], device=tokens.device, dtype=self.embedding.dtype
        )
        h = self.embedding[tokens] + pe  # (N, T, E)
        mask = causal_mask(T, device=tokens.device)  # (T, T): True above the diagonal
        for layer in self.layers:
            h = layer(h, src_mask=mask, is_causal=True)
        return self.head(self.norm(h))  # (N, T, V)

    # --8<-- [end:causal-lm]
