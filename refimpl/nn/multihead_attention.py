r"""Multi-head attention, a drop-in replacement for `torch.nn.MultiheadAttention`.

Each of $h$ heads projects the inputs to its own queries, keys and values of width
$d_h = E/h$, attends, and the heads' outputs are concatenated and mixed (Vaswani et al. 2017):

$$
\mathrm{head}_i = \mathrm{softmax}\!\Big(\frac{Q W^Q_i (K W^K_i)^\top}{\sqrt{d_h}} + M\Big)
V W^V_i, \qquad
\mathrm{MultiHead}(Q, K, V) = [\mathrm{head}_1, \dots, \mathrm{head}_h]\, W^O .
$$

Parameters, `state_dict` keys, masks and return values are torch's; the arithmetic is
`refimpl.functional.scaled_dot_product_attention` (matmuls and a softmax from `exp`/`sum`).
Reading list: `vaswani2017`.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from refimpl.functional.attention import (
    as_additive_mask,
    causal_mask,
    scaled_dot_product_attention,
)

__all__ = ["MultiheadAttention"]


class _Linear(nn.Module):
    """$y = x W^\top + b$ with torch.nn.Linear's parameter names and initialisation."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.empty(out_features, in_features))
        self.bias = nn.Parameter(torch.empty(out_features)) if bias else None
        nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1.0 / math.sqrt(in_features)
            nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, x: Tensor) -> Tensor:
        # y = x Wᵀ + b
        y = x @ self.weight.T
        return y if self.bias is None else y + self.bias


class MultiheadAttention(nn.Module):
    r"""Multi-head scaled dot-product attention with torch's interface.

    Args:
        embed_dim: the model width $E$ (queries and outputs).
        num_heads: $h$; $E$ must be divisible by it.
        dropout: dropout probability on the attention weights (training mode only).
        bias: add biases to the input and output projections.
        add_bias_kv: append a learned key and value to the key/value sequences.
        add_zero_attn: append a zero key and value (after projection).
        kdim: width of the keys (default $E$).
        vdim: width of the values (default $E$).
        batch_first: inputs are ``(N, L, E)`` rather than ``(L, N, E)``.
        device: where to create the parameters.
        dtype: their dtype.

    With ``kdim == vdim == embed_dim`` the three input projections are stacked in
    ``in_proj_weight`` $(3E, E)$; otherwise they are ``q_proj_weight``, ``k_proj_weight`` and
    ``v_proj_weight``, as in torch.
    """

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        add_bias_kv: bool = False,
        add_zero_attn: bool = False,
        kdim: int | None = None,
        vdim: int | None = None,
        batch_first: bool = False,
        device: torch.device | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        if embed_dim % num_heads:
            raise ValueError("embed_dim must be divisible by num_heads")
        self.embed_dim, self.num_heads, self.dropout = embed_dim, num_heads, dropout
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.head_dim = embed_dim // num_heads
        self.batch_first, self.add_zero_attn = batch_first, add_zero_attn
        E = embed_dim
        if self._qkv_same_embed_dim:
            self.in_proj_weight = nn.Parameter(torch.empty(3 * E, E))
            self.register_parameter("q_proj_weight", None)
            self.register_parameter("k_proj_weight", None)
            self.register_parameter("v_proj_weight", None)
        else:
            self.register_parameter("in_proj_weight", None)
            self.q_proj_weight = nn.Parameter(torch.empty(E, E))
            self.k_proj_weight = nn.Parameter(torch.empty(E, self.kdim))
            self.v_proj_weight = nn.Parameter(torch.empty(E, self.vdim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * E)) if bias else None
        if add_bias_kv:
            self.bias_k = nn.Parameter(torch.empty(1, 1, E))
            self.bias_v = nn.Parameter(torch.empty(1, 1, E))
        else:
            self.bias_k = self.bias_v = None
        self.out_proj = _Linear(E, E, bias=bias)
        for w in (self.in_proj_weight, self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
            if w is not None:
                nn.init.xavier_uniform_(w)
        if self.out_proj.bias is not None:
            nn.init.zeros_(self.out_proj.bias)
        for b in (self.bias_k, self.bias_v):
            if b is not None:
                nn.init.xavier_normal_(b)
        self.to(device=device, dtype=dtype)

    @classmethod
    def from_torch(cls, module: nn.MultiheadAttention) -> MultiheadAttention:
        """A copy of a `torch.nn.MultiheadAttention`, with the same configuration and weights."""
        w = module.out_proj.weight
        ours = cls(
            module.embed_dim,
            module.num_heads,
            dropout=module.dropout,
            bias=module.out_proj.bias is not None,
            add_bias_kv=module.bias_k is not None,
            add_zero_attn=module.add_zero_attn,
            kdim=module.kdim,
            vdim=module.vdim,
            batch_first=module.batch_first,
            device=w.device,
            dtype=w.dtype,
        )
        ours.load_state_dict(module.state_dict())
        return ours.train(module.training)

    def _project(self, query: Tensor, key: Tensor, value: Tensor) -> tuple[Tensor, ...]:
        """$Q W^Q + b^Q$, $K W^K + b^K$, $V W^V + b^V$ on ``(N, L, ·)`` inputs."""
        E = self.embed_dim
        if self._qkv_same_embed_dim:
            w_q, w_k, w_v = self.in_proj_weight.split(E)
        else:
            w_q, w_k, w_v = self.q_proj_weight, self.k_proj_weight, self.v_proj_weight
        b = (None,) * 3 if self.in_proj_bias is None else self.in_proj_bias.split(E)
        out = []
        for x, w, b_i in zip((query, key, value), (w_q, w_k, w_v), b, strict=True):
            y = x @ w.T
            out.append(y if b_i is None else y + b_i)
        return tuple(out)

    # --8<-- [start:forward]
    def forward(
        self,
        query: Tensor,
        key: Tensor,
        value: Tensor,
        key_padding_mask: Tensor | None = None,
        need_weights: bool = True,
        attn_mask: Tensor | None = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple[Tensor, Tensor | None]:
        r"""Attend from ``query`` to ``key``/``value``.

        Args:
            query: ``(L, N, E)``, ``(N, L, E)`` with ``batch_first``, or unbatched ``(L, E)``.
            key: ``(S, N, kdim)`` (or batch-first / unbatched likewise).
            value: ``(S, N, vdim)``.
            key_padding_mask: ``(N, S)``; True (or $-\infty$) hides a key from every query.
            need_weights: also return the attention weights.
            attn_mask: ``(L, S)`` or ``(N h, L, S)``; True (or $-\infty$) hides key $s$ from
                query $l$.
            average_attn_weights: average the returned weights over the heads.
            is_causal: the hint that ``attn_mask`` is the causal mask; without an
                ``attn_mask`` we build that mask (torch raises instead).

        Returns:
            ``(output, weights)``: output shaped like ``query`` with width $E$; weights
            ``(N, L, S)`` (``(N, h, L, S)`` unaveraged), or ``None`` unless ``need_weights``.
        """
        unbatched = query.dim() == 2
        if unbatched:
            query, key, value = query[:, None], key[:, None], value[:, None]
            if key_padding_mask is not None:
                key_padding_mask = key_padding_mask[None]
        if unbatched or not self.batch_first:  # our layout is (N, L, E): (L, N, E) -> (N, L, E)
            query, key, value = query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1)
        N, L, E = query.shape
        h, d_h = self.num_heads, self.head_dim
        if attn_mask is None and is_causal:
            attn_mask = causal_mask(L, device=query.device)
        q, k, v = self._project(query, key, value)  # (N, L, E), (N, S, E), (N, S, E)
        mask = as_additive_mask(attn_mask, q.dtype)  # (L, S) or (N h, L, S)
        pad = as_additive_mask(key_padding_mask, q.dtype)  # (N, S)
        if self.bias_k is not None:  # one more key/value: the learned biases
            k = torch.cat([k, self.bias_k.expand(N, 1, E)], dim=1)
            v = torch.cat([v, self.bias_v.expand(N, 1, E)], dim=1)
            mask = None if mask is None else nn.functional.pad(mask, (0, 1))
            pad = None if pad is None else nn.functional.pad(pad, (0, 1))
        # split the width into heads: (N, S, E) -> (N, h, S, d_h)
        q = q.reshape(N, L, h, d_h).transpose(1, 2)
        k = k.reshape(N, -1, h, d_h).transpose(1, 2)
        v = v.reshape(N, -1, h, d_h).transpose(1, 2)
        if self.add_zero_attn:  # one more key/value: zeros
            k = torch.cat([k, k.new_zeros(N, h, 1, d_h)], dim=2)
            v = torch.cat([v, v.new_zeros(N, h, 1, d_h)], dim=2)
            mask = None if mask is None else nn.functional.pad(mask, (0, 1))
            pad = None if pad is None else nn.functional.pad(pad, (0, 1))
        if mask is not None and mask.dim() == 3:
            mask = mask.reshape(N, h, L, -1)  # (N h, L, S) -> (N, h, L, S)
        if pad is not None:
            # M ← M + padding: a hidden key is hidden from every query of every head
            pad = pad[:, None, None, :]  # (N, 1, 1, S)
            mask = pad if mask is None else mask + pad
        # softmax(q kᵀ/√d_h + M) v, per head
        out, weights = scaled_dot_product_attention(q, k, v, mask)  # (N, h, L, d_h)
        if self.training and self.dropout > 0.0:
            keep = torch.rand_like(weights) >= self.dropout
            weights = weights * keep / (1.0 - self.dropout)
            out = weights @ v
        # concatenate the heads: (N, h, L, d_h) -> (N, L, E), then mix them with W^O
        out = self.out_proj(out.transpose(1, 2).reshape(N, L, E))
        if unbatched:
            out = out[0]  # (L, E)
        elif not self.batch_first:
            out = out.transpose(0, 1)  # (L, N, E)
        if not need_weights:
            return out, None
        if average_attn_weights:
            weights = weights.mean(dim=1)  # (N, L, S)
        return out, (weights[0] if unbatched else weights)

    # --8<-- [end:forward]
