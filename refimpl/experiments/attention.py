r"""Experiments for the attention page: positions, the softmax's scale and why several heads.

- `positional_similarity`: the sinusoidal encodings and the similarity $PE_p\cdot PE_q$, which
  depends on the offset $p - q$ only.
- `softmax_entropy`: the entropy of $\mathrm{softmax}(q\cdot k_j / \tau)$ over random keys as the
  width $d_k$ grows, with $\tau = 1$ and with $\tau = \sqrt{d_k}$.
- `two_offset_copy`: train `refimpl.nn.MultiheadAttention` with one and with two heads to output
  $[x_{t-1}, x_{t-3}]$ at every step: one head can fetch one of the two, two heads fetch both.

Reading list: `vaswani2017`.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import torch

from refimpl.functional.attention import causal_mask, sinusoidal_positional_encoding, softmax
from refimpl.nn.multihead_attention import MultiheadAttention

__all__ = [
    "HeadsRun",
    "positional_similarity",
    "softmax_entropy",
    "two_offset_copy",
]


@functools.cache
def positional_similarity(length: int = 64, dim: int = 64) -> tuple[np.ndarray, np.ndarray]:
    r"""The encodings ``(T, d)`` and their Gram matrix $PE_p\cdot PE_q / (d/2)$, ``(T, T)``."""
    pe = sinusoidal_positional_encoding(length, dim, dtype=torch.float64)
    gram = pe @ pe.T / (dim / 2)  # (T, T)
    return pe.numpy(), gram.numpy()


@functools.cache
def softmax_entropy(
    dims: tuple[int, ...] = (4, 16, 64, 256, 1024), keys: int = 64, trials: int = 200
) -> dict[str, np.ndarray]:
    r"""Mean normalised entropy $H(\alpha)/\log S$ of attention over $S$ random keys.

    Queries and keys have i.i.d. $\mathcal N(0, 1)$ entries, so $q\cdot k$ has variance $d_k$.

    Returns:
        ``{"dims", "unscaled", "scaled", "max_weight_unscaled", "max_weight_scaled"}``.
    """
    gen = torch.Generator().manual_seed(0)
    out: dict[str, list[float]] = {
        k: [] for k in ("unscaled", "scaled", "max_unscaled", "max_scaled")
    }
    for d in dims:
        q = torch.randn(trials, 1, d, generator=gen, dtype=torch.float64)
        k = torch.randn(trials, keys, d, generator=gen, dtype=torch.float64)
        logits = (q @ k.transpose(1, 2))[:, 0]  # (trials, S)
        for name, tau in (("unscaled", 1.0), ("scaled", math.sqrt(d))):
            a = softmax(logits / tau, dim=-1)
            ent = -(a * torch.log(a.clamp_min(1e-300))).sum(-1) / math.log(keys)
            out[name].append(float(ent.mean()))
            out[f"max_{name}"].append(float(a.amax(-1).mean()))
    return {"dims": np.array(dims), **{k: np.array(v) for k, v in out.items()}}


@dataclass(frozen=True)
class HeadsRun:
    """One training run of the two-offset copy task.

    Attributes:
        heads: the number of attention heads.
        losses: the training loss per step, shape ``(steps,)``.
        weights: the trained per-head attention weights on one test sequence, ``(h, T, T)``.
    """

    heads: int
    losses: np.ndarray
    weights: np.ndarray


# --8<-- [start:two-heads]
@functools.cache
def two_offset_copy(
    heads: int, steps: int = 150, length: int = 12, width: int = 4, pe_dim: int = 16
) -> HeadsRun:
    r"""Train one causal attention layer to output $[x_{t-1}, x_{t-3}]$ at each step $t$.

    The input at $t$ is $[x_t, PE_t]$ with $x_t \sim \mathcal N(0, I)$; the model is
    `MultiheadAttention` under the causal mask followed by a linear read-out; Adam, batch 32.
    """
    torch.manual_seed(0)
    embed = width + pe_dim
    mha = MultiheadAttention(embed, heads, batch_first=True)
    readout = torch.nn.Linear(embed, 2 * width)
    opt = torch.optim.Adam([*mha.parameters(), *readout.parameters()], lr=3e-2)
    pe = sinusoidal_positional_encoding(length, pe_dim, base=100.0)  # (T, d_pe)
    mask = causal_mask(length)
    gen = torch.Generator().manual_seed(1)

    def batch(n: int) -> tuple[torch.Tensor, torch.Tensor]:
        x = torch.randn(n, length, width, generator=gen)  # (B, T, w)
        target = torch.zeros(n, length, 2 * width)
        target[:, 1:, :width] = x[:, :-1]  # x_{t-1}
        target[:, 3:, width:] = x[:, :-3]  # x_{t-3}
        return torch.cat([x, pe.expand(n, length, pe_dim)], dim=-1), target

    losses = []
    for _ in range(steps):
        inputs, target = batch(32)
        out, _ = mha(inputs, inputs, inputs, attn_mask=mask, need_weights=False)
        loss = ((readout(out)[:, 3:] - target[:, 3:]) ** 2).mean()  # from t = 3 on
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    with torch.no_grad():
        inputs, _ = batch(1)
        _, weights = mha(inputs, inputs, inputs, attn_mask=mask, average_attn_weights=False)
    return HeadsRun(heads, np.array(losses), weights[0].numpy())


# --8<-- [end:two-heads]
