r"""Causal linear attention in its three equivalent forms: parallel, recurrent and chunked.

Replacing $\exp(q\cdot k)$ by a kernel $\phi(q)\cdot\phi(k)$ with a positive feature map lets the
products be reassociated (Katharopoulos et al. 2020):

$$
o_t = \frac{\sum_{s\le t} (\phi(q_t)\cdot\phi(k_s))\, v_s}{\sum_{s\le t}\phi(q_t)\cdot\phi(k_s)}
    = \frac{\phi(q_t)^\top S_t}{\phi(q_t)^\top z_t},\qquad
S_t = S_{t-1} + \phi(k_t) v_t^\top,\quad z_t = z_{t-1} + \phi(k_t),
$$

with $\phi(x) = \mathrm{elu}(x) + 1$. The *parallel* form builds the masked $T\times T$ matrix
($O(T^2 d)$); the *recurrent* form carries $(S_t, z_t)$ ($O(T d^2)$ time, $O(d^2)$ state); the
*chunked* form does the parallel form inside blocks of $C$ steps and the recurrence across them
($O(T C d + T d^2)$). The functions take the features $\phi(q), \phi(k)$ already applied.
Reading list: `katharopoulos2020`.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = [
    "elu_feature_map",
    "linear_attention_chunked",
    "linear_attention_parallel",
    "linear_attention_recurrent",
]


def elu_feature_map(x: Tensor) -> Tensor:
    r"""$\phi(x) = \mathrm{elu}(x) + 1$: $x + 1$ for $x > 0$, $e^x$ otherwise (always positive)."""
    return torch.where(x > 0, x + 1.0, torch.exp(x.clamp_max(0.0)))


# --8<-- [start:parallel]
def linear_attention_parallel(
    q: Tensor, k: Tensor, v: Tensor, causal: bool = True, eps: float = 1e-6
) -> Tensor:
    r"""Linear attention as a masked matrix product, $O(T^2 d)$.

    Args:
        q: features $\phi(q_t)$, shape ``(..., T, d_k)``, positive.
        k: features $\phi(k_s)$, shape ``(..., T, d_k)``, positive.
        v: values, shape ``(..., T, d_v)``.
        causal: position $t$ sees $s \le t$ only; otherwise every $s$.
        eps: added to the normaliser.

    Returns:
        The outputs $o_t$, shape ``(..., T, d_v)``.
    """
    # A_ts = φ(q_t)·φ(k_s), zero for s > t when causal
    A = q @ k.transpose(-2, -1)  # (..., T, T)
    if causal:
        A = A.tril()
    # o_t = Σ_s A_ts v_s / Σ_s A_ts
    return (A @ v) / (A.sum(-1, keepdim=True) + eps)


# --8<-- [end:parallel]


# --8<-- [start:recurrent]
def linear_attention_recurrent(q: Tensor, k: Tensor, v: Tensor, eps: float = 1e-6) -> Tensor:
    r"""Causal linear attention as an RNN with state $(S_t, z_t)$, $O(T d_k d_v)$.

    Args:
        q: features $\phi(q_t)$, shape ``(..., T, d_k)``.
        k: features $\phi(k_t)$, shape ``(..., T, d_k)``.
        v: values, shape ``(..., T, d_v)``.
        eps: added to the normaliser.

    Returns:
        The outputs $o_t$, shape ``(..., T, d_v)``.
    """
    S = q.new_zeros(*q.shape[:-2], q.shape[-1], v.shape[-1])  # (..., d_k, d_v)
    z = q.new_zeros(*q.shape[:-2], q.shape[-1])  # (..., d_k)
    outputs = []
    for t in range(q.shape[-2]):
        q_t, k_t, v_t = q[..., t, :], k[..., t, :], v[..., t, :]
        # S_t = S_{t−1} + φ(k_t) v_tᵀ,  z_t = z_{t−1} + φ(k_t)
        S = S + k_t[..., :, None] * v_t[..., None, :]
        z = z + k_t
        # o_t = φ(q_t)ᵀ S_t / (φ(q_t)ᵀ z_t)
        num = (q_t[..., None, :] @ S)[..., 0, :]  # (..., d_v)
        outputs.append(num / ((q_t * z).sum(-1, keepdim=True) + eps))
    return torch.stack(outputs, dim=-2)


# --8<-- [end:recurrent]


# --8<-- [start:chunked]
def linear_attention_chunked(
    q: Tensor, k: Tensor, v: Tensor, chunk_size: int = 64, eps: float = 1e-6
) -> Tensor:
    r"""Causal linear attention by blocks: parallel inside a chunk, recurrent across chunks.

    For a chunk $c$ of steps with the state $(S, z)$ of everything before it,
    $o = \big(\phi(Q_c) S + \mathrm{tril}(\phi(Q_c)\phi(K_c)^\top) V_c\big) /
    \big(\phi(Q_c) z + \mathrm{tril}(\phi(Q_c)\phi(K_c)^\top)\mathbf 1\big)$.

    Args:
        q: features $\phi(q_t)$, shape ``(..., T, d_k)``.
        k: features $\phi(k_t)$, shape ``(..., T, d_k)``.
        v: values, shape ``(..., T, d_v)``.
        chunk_size: $C$, the block length.
        eps: added to the normaliser.

    Returns:
        The outputs $o_t$, shape ``(..., T, d_v)``.
    """
    S = q.new_zeros(*q.shape[:-2], q.shape[-1], v.shape[-1])  # (..., d_k, d_v)
    z = q.new_zeros(*q.shape[:-2], 1, q.shape[-1])  # (..., 1, d_k)
    outputs = []
    for start in range(0, q.shape[-2], chunk_size):
        sl = slice(start, start + chunk_size)
        q_c, k_c, v_c = q[..., sl, :], k[..., sl, :], v[..., sl, :]  # (..., C, ·)
        # inside the chunk: the masked parallel form
        A = (q_c @ k_c.transpose(-2, -1)).tril()  # (..., C, C)
        num = q_c @ S + A @ v_c  # (..., C, d_v)
        den = (q_c * z).sum(-1, keepdim=True) + A.sum(-1, keepdim=True)  # (..., C, 1)
        outputs.append(num / (den + eps))
        # across chunks: S ← S + φ(K_c)ᵀ V_c,  z ← z + Σ_t φ(k_t)
        S = S + k_c.transpose(-2, -1) @ v_c
        z = z + k_c.sum(-2, keepdim=True)
    return torch.cat(outputs, dim=-2)


# --8<-- [end:chunked]
