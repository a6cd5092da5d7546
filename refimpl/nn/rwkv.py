r"""RWKV-4 time-mixing and channel-mixing blocks (Peng et al. 2023).

Both blocks first interpolate each token with the previous one ("token shift"),
$\tilde x^{(\mu)}_t = \mu \odot x_t + (1-\mu)\odot x_{t-1}$. Time mixing:

$$
r_t = W_r \tilde x^{(\mu_r)}_t,\ k_t = W_k \tilde x^{(\mu_k)}_t,\ v_t = W_v \tilde x^{(\mu_v)}_t,
\qquad o_t = W_o\big(\sigma(r_t)\odot \mathrm{wkv}_t\big),
$$

with the WKV operator of `refimpl.functional.rwkv`. Channel mixing:
$o_t = \sigma(W_r \tilde x^{(\mu_r)}_t) \odot W_v \max(W_k \tilde x^{(\mu_k)}_t, 0)^2$.
`RWKVBlock` stacks them with pre-norm residuals. ``mode="recurrent"`` runs the same network as
an RNN (state: the last token and the WKV sums). Reading list: `peng2023rwkv`, `zhai2021aft`.
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import Tensor, nn

from refimpl.functional.rwkv import wkv_parallel, wkv_recurrent
from refimpl.nn.multihead_attention import _Linear
from refimpl.nn.normalization import LayerNorm

__all__ = ["RWKVBlock", "RWKVChannelMixing", "RWKVTimeMixing"]

Mode = Literal["parallel", "recurrent"]


def _shift(x: Tensor) -> Tensor:
    """$x_{t-1}$ for every $t$, with $x_0 = 0$: ``(N, T, d)`` -> ``(N, T, d)``."""
    return torch.cat([torch.zeros_like(x[:, :1]), x[:, :-1]], dim=1)


def _mix(x: Tensor, prev: Tensor, mu: Tensor) -> Tensor:
    # x̃_t = μ ⊙ x_t + (1 − μ) ⊙ x_{t−1}
    return mu * x + (1.0 - mu) * prev


class RWKVTimeMixing(nn.Module):
    r"""RWKV's attention replacement: receptance-gated WKV with a learned per-channel decay.

    Args:
        d_model: the width $d$.

    Parameters ``time_decay`` ($\log w$, so $w = e^{\text{time\_decay}} > 0$), ``time_first``
    ($u$) and the mixing coefficients ``time_mix_k``, ``time_mix_v``, ``time_mix_r`` follow the
    names of the authors' code.
    """

    def __init__(self, d_model: int) -> None:
        super().__init__()
        ramp = torch.arange(d_model, dtype=torch.float32) / max(d_model - 1, 1)
        # decays spread from fast to slow across channels, as in the reference initialisation
        self.time_decay = nn.Parameter(-5.0 + 8.0 * ramp**0.7)
        self.time_first = nn.Parameter(torch.full((d_model,), 0.5))
        self.time_mix_k = nn.Parameter(ramp.clone())
        self.time_mix_v = nn.Parameter(ramp.clone())
        self.time_mix_r = nn.Parameter(0.5 * ramp)
        self.key = _Linear(d_model, d_model, bias=False)
        self.value = _Linear(d_model, d_model, bias=False)
        self.receptance = _Linear(d_model, d_model, bias=False)
        self.output = _Linear(d_model, d_model, bias=False)

    # --8<-- [start:time-mixing]
    def forward(self, x: Tensor, mode: Mode = "parallel") -> Tensor:
        """Mix ``x`` of shape ``(N, T, d)`` over time."""
        prev = _shift(x)  # x_{t−1}
        k = self.key(_mix(x, prev, self.time_mix_k))
        v = self.value(_mix(x, prev, self.time_mix_v))
        r = self.receptance(_mix(x, prev, self.time_mix_r))
        w = torch.exp(self.time_decay)  # w > 0
        if mode == "parallel":
            wkv = wkv_parallel(w, self.time_first, k, v)
        else:
            wkv, _ = wkv_recurrent(w, self.time_first, k, v)
        # o_t = W_o (σ(r_t) ⊙ wkv_t)
        return self.output(torch.sigmoid(r) * wkv)

    # --8<-- [end:time-mixing]


class RWKVChannelMixing(nn.Module):
    r"""RWKV's feed-forward block: a squared-ReLU MLP gated by a receptance.

    Args:
        d_model: the width $d$.
        hidden: the hidden width (4 $d$ by default).
    """

    def __init__(self, d_model: int, hidden: int | None = None) -> None:
        super().__init__()
        hidden = hidden or 4 * d_model
        ramp = torch.arange(d_model, dtype=torch.float32) / max(d_model - 1, 1)
        self.time_mix_k = nn.Parameter(ramp.clone())
        self.time_mix_r = nn.Parameter(ramp.clone())
        self.key = _Linear(d_model, hidden, bias=False)
        self.value = _Linear(hidden, d_model, bias=False)
        self.receptance = _Linear(d_model, d_model, bias=False)

    def forward(self, x: Tensor) -> Tensor:
        """Mix ``x`` of shape ``(N, T, d)`` over channels (and one step back in time)."""
        prev = _shift(x)
        k = self.key(_mix(x, prev, self.time_mix_k))
        r = self.receptance(_mix(x, prev, self.time_mix_r))
        # o_t = σ(r_t) ⊙ W_v max(k_t, 0)²
        return torch.sigmoid(r) * self.value(torch.clamp_min(k, 0.0) ** 2)


class RWKVBlock(nn.Module):
    r"""An RWKV layer: time mixing, then channel mixing, each in a pre-norm residual branch.

    $x \leftarrow x + \mathrm{TimeMix}(\mathrm{LN}_1 x)$, then
    $x \leftarrow x + \mathrm{ChannelMix}(\mathrm{LN}_2 x)$.

    Args:
        d_model: the width $d$.
        hidden: the channel-mixing hidden width (4 $d$ by default).
    """

    def __init__(self, d_model: int, hidden: int | None = None) -> None:
        super().__init__()
        self.ln1, self.ln2 = LayerNorm(d_model), LayerNorm(d_model)
        self.att = RWKVTimeMixing(d_model)
        self.ffn = RWKVChannelMixing(d_model, hidden)

    def forward(self, x: Tensor, mode: Mode = "parallel") -> Tensor:
        """Apply the block to ``x`` of shape ``(N, T, d)``."""
        x = x + self.att(self.ln1(x), mode=mode)
        return x + self.ffn(self.ln2(x))
