r"""GTrXL's gated residual connections (Parisotto et al. 2020).

GTrXL makes two changes to a Transformer block. The layer norms move onto the inputs of the
sub-layers (identity map reordering), and each residual sum $x + y$ is replaced by a GRU-type
gate $g(x, y)$ that mixes the stream $x$ with the sub-layer's output $y$:

$$
r = \sigma(W_r y + U_r x),\quad z = \sigma(W_z y + U_z x - b_g),\quad
\hat h = \tanh\big(W_g y + U_g (r\odot x)\big),\quad g(x, y) = (1 - z)\odot x + z\odot\hat h .
$$

With $b_g > 0$ the update gate starts nearly closed, $z \approx \sigma(-b_g)$, so the block
starts close to the identity map. The block is
$y_1 = \mathrm{MHA}(\mathrm{LN}(x))$, $x_1 = g_1(x, \mathrm{ReLU}(y_1))$,
$y_2 = \mathrm{MLP}(\mathrm{LN}(x_1))$, $x_2 = g_2(x_1, \mathrm{ReLU}(y_2))$; we use absolute
causal attention rather than Transformer-XL's relative attention over a memory.
Reading list: `parisotto2020`.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from refimpl.functional.attention import causal_mask
from refimpl.nn.multihead_attention import MultiheadAttention, _Linear
from refimpl.nn.normalization import LayerNorm

__all__ = ["GRUGate", "GatedTransformerBlock"]


class GRUGate(nn.Module):
    r"""The gate $g(x, y)$ that replaces the residual sum $x + y$.

    Args:
        d_model: the width of $x$ and $y$.
        gate_bias: $b_g$; positive values start the block near the identity map.
    """

    def __init__(self, d_model: int, gate_bias: float = 2.0) -> None:
        super().__init__()
        self.W_r, self.U_r = _Linear(d_model, d_model, False), _Linear(d_model, d_model, False)
        self.W_z, self.U_z = _Linear(d_model, d_model, False), _Linear(d_model, d_model, False)
        self.W_g, self.U_g = _Linear(d_model, d_model, False), _Linear(d_model, d_model, False)
        self.gate_bias = nn.Parameter(torch.full((d_model,), float(gate_bias)))

    # --8<-- [start:gate]
    def forward(self, x: Tensor, y: Tensor) -> Tensor:
        """Gate the stream ``x`` with the sub-layer output ``y`` (same shape)."""
        # r = σ(W_r y + U_r x)
        r = torch.sigmoid(self.W_r(y) + self.U_r(x))
        # z = σ(W_z y + U_z x − b_g)
        z = torch.sigmoid(self.W_z(y) + self.U_z(x) - self.gate_bias)
        # ĥ = tanh(W_g y + U_g (r ⊙ x))
        h = torch.tanh(self.W_g(y) + self.U_g(r * x))
        # g(x, y) = (1 − z) ⊙ x + z ⊙ ĥ
        return (1.0 - z) * x + z * h

    # --8<-- [end:gate]


class GatedTransformerBlock(nn.Module):
    r"""A GTrXL block on batch-first sequences ``(N, T, d)``, causal by default.

    Args:
        d_model: the width $d$.
        nhead: attention heads.
        dim_feedforward: the MLP's hidden width.
        gate_bias: $b_g$ of both gates.
        gated: use the GRU gates; ``False`` gives the pre-norm residual block
            $x + \mathrm{ReLU}(y)$ ("TrXL-I") for comparison.
        causal: mask the future.
    """

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 256,
        gate_bias: float = 2.0,
        gated: bool = True,
        causal: bool = True,
    ) -> None:
        super().__init__()
        self.norm1, self.norm2 = LayerNorm(d_model), LayerNorm(d_model)
        self.attn = MultiheadAttention(d_model, nhead, batch_first=True)
        self.linear1 = _Linear(d_model, dim_feedforward)
        self.linear2 = _Linear(dim_feedforward, d_model)
        self.gated, self.causal = gated, causal
        if gated:
            self.gate1, self.gate2 = GRUGate(d_model, gate_bias), GRUGate(d_model, gate_bias)

    def _merge(self, gate: str, x: Tensor, y: Tensor) -> Tensor:
        if self.gated:
            return getattr(self, gate)(x, torch.relu(y))  # g(x, ReLU(y))
        return x + torch.relu(y)  # the residual sum it replaces

    # --8<-- [start:block]
    def forward(self, x: Tensor) -> Tensor:
        """Apply the block to ``x`` of shape ``(N, T, d)``."""
        mask = causal_mask(x.shape[1], device=x.device) if self.causal else None
        # y₁ = MHA(LN(x)),  x₁ = g₁(x, ReLU(y₁))
        h = self.norm1(x)
        x = self._merge("gate1", x, self.attn(h, h, h, attn_mask=mask, need_weights=False)[0])
        # y₂ = MLP(LN(x₁)),  x₂ = g₂(x₁, ReLU(y₂))
        y = self.linear2(torch.relu(self.linear1(self.norm2(x))))
        return self._merge("gate2", x, y)

    # --8<-- [end:block]
