r"""Multi-head linear attention (Katharopoulos et al. 2020), with three interchangeable forms.

Queries and keys pass through the positive feature map $\phi(x) = \mathrm{elu}(x) + 1$ and the
softmax is replaced by the normalised kernel $\phi(q)\cdot\phi(k)$:

$$
o_t = W^O\,\frac{\phi(q_t)^\top \sum_{s\le t}\phi(k_s)v_s^\top}
          {\phi(q_t)^\top\sum_{s\le t}\phi(k_s)},
\qquad q = W^Q x,\ k = W^K x,\ v = W^V x .
$$

``mode`` picks how the same numbers are computed: ``"parallel"`` (masked $T\times T$ product),
``"recurrent"`` (running sums, constant memory per step) or ``"chunked"``; the math is in
`refimpl.functional.linear_attention`. Reading list: `katharopoulos2020`.
"""

from __future__ import annotations

from typing import Literal

from torch import Tensor, nn

from refimpl.functional.linear_attention import (
    elu_feature_map,
    linear_attention_chunked,
    linear_attention_parallel,
    linear_attention_recurrent,
)
from refimpl.nn.multihead_attention import _Linear

__all__ = ["LinearAttention"]

Mode = Literal["parallel", "recurrent", "chunked"]


class LinearAttention(nn.Module):
    r"""Linear self-attention on batch-first sequences ``(N, T, E)``.

    Args:
        embed_dim: the model width $E$.
        num_heads: the number of heads $h$ (each of width $E/h$).
        causal: position $t$ attends to $s \le t$ only. Non-causal attention has only the
            parallel form (the sums run over the whole sequence).
        mode: ``"parallel"``, ``"recurrent"`` or ``"chunked"`` (causal only); the three agree.
        chunk_size: the block length of the chunked form.
        eps: added to the normaliser.
    """

    def __init__(
        self,
        embed_dim: int,
        num_heads: int = 1,
        causal: bool = True,
        mode: Mode = "parallel",
        chunk_size: int = 64,
        eps: float = 1e-6,
    ) -> None:
        super().__init__()
        if embed_dim % num_heads:
            raise ValueError("embed_dim must be divisible by num_heads")
        self.embed_dim, self.num_heads, self.causal = embed_dim, num_heads, causal
        self.mode, self.chunk_size, self.eps = mode, chunk_size, eps
        self.q_proj = _Linear(embed_dim, embed_dim)
        self.k_proj = _Linear(embed_dim, embed_dim)
        self.v_proj = _Linear(embed_dim, embed_dim)
        self.out_proj = _Linear(embed_dim, embed_dim)

    # --8<-- [start:forward]
    def forward(self, x: Tensor, mode: Mode | None = None) -> Tensor:
        """Attend within ``x`` of shape ``(N, T, E)``; ``mode`` overrides the default form."""
        mode = mode or self.mode
        N, T, E = x.shape
        h = self.num_heads

        def heads(y: Tensor) -> Tensor:  # (N, T, E) -> (N, h, T, E/h)
            return y.reshape(N, T, h, E // h).transpose(1, 2)

        # φ(q_t), φ(k_t), v_t for every head
        q = elu_feature_map(heads(self.q_proj(x)))
        k = elu_feature_map(heads(self.k_proj(x)))
        v = heads(self.v_proj(x))
        if not self.causal or mode == "parallel":
            out = linear_attention_parallel(q, k, v, causal=self.causal, eps=self.eps)
        elif mode == "recurrent":
            out = linear_attention_recurrent(q, k, v, eps=self.eps)
        elif mode == "chunked":
            out = linear_attention_chunked(q, k, v, chunk_size=self.chunk_size, eps=self.eps)
        else:
            raise ValueError(f"unknown mode {mode!r}")
        return self.out_proj(out.transpose(1, 2).reshape(N, T, E))  # (N, T, E)

    # --8<-- [end:forward]
