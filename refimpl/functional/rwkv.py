r"""RWKV's weighted key-value (WKV) operator, in its parallel and its recurrent form.

With a per-channel decay $w > 0$ and bonus $u$ (Peng et al. 2023):

$$
\mathrm{wkv}_t = \frac{\sum_{i=1}^{t-1} e^{-(t-1-i)w + k_i} \odot v_i + e^{u + k_t}\odot v_t}
                      {\sum_{i=1}^{t-1} e^{-(t-1-i)w + k_i} + e^{u + k_t}} ,
$$

a softmax over the past per channel, with logits $k_i$ penalised linearly in the age
$t - 1 - i$ and the current token boosted by $u$. The *parallel* form evaluates that softmax on
a $T \times T$ grid for every channel; the *recurrent* form carries numerator and denominator
$a_t = e^{-w} a_{t-1} + e^{k_t} v_t$, $b_t = e^{-w} b_{t-1} + e^{k_t}$, with a running maximum
exponent $p_t$ so that nothing overflows (as in the authors' code). Reading list: `peng2023rwkv`.
"""

from __future__ import annotations

import torch
from torch import Tensor

from refimpl.functional.attention import softmax

__all__ = ["wkv_parallel", "wkv_recurrent"]


# --8<-- [start:wkv-parallel]
def wkv_parallel(w: Tensor, u: Tensor, k: Tensor, v: Tensor) -> Tensor:
    r"""WKV as a per-channel softmax over the past, $O(T^2 d)$ time and memory.

    Args:
        w: the decay $w > 0$, shape ``(d,)``.
        u: the bonus of the current token, shape ``(d,)``.
        k: keys, shape ``(B, T, d)``.
        v: values, shape ``(B, T, d)``.

    Returns:
        $\mathrm{wkv}_t$, shape ``(B, T, d)``.
    """
    T = k.shape[1]
    t = torch.arange(T, device=k.device)
    age = (t[:, None] - 1 - t[None, :]).to(k.dtype)  # (T, T): t − 1 − i
    # logit of token i seen from t: −(t−1−i) w + k_i  for i < t
    logits = -age[:, :, None] * w + k[:, None, :, :]  # (B, T, T, d)
    # ... u + k_t for i = t, and −∞ for the future i > t
    diag = torch.eye(T, dtype=torch.bool, device=k.device)[:, :, None]  # (T, T, 1)
    logits = torch.where(diag, (u + k)[:, :, None, :], logits)
    future = torch.ones(T, T, dtype=torch.bool, device=k.device).triu(1)[:, :, None]
    logits = logits.masked_fill(future, float("-inf"))
    # wkv_t = Σ_i softmax_i(logits_t) ⊙ v_i
    return (softmax(logits, dim=2) * v[:, None, :, :]).sum(2)


# --8<-- [end:wkv-parallel]


# --8<-- [start:wkv-recurrent]
def wkv_recurrent(
    w: Tensor, u: Tensor, k: Tensor, v: Tensor, state: tuple[Tensor, Tensor, Tensor] | None = None
) -> tuple[Tensor, tuple[Tensor, Tensor, Tensor]]:
    r"""WKV as an RNN with state $(a, b, p)$: $O(T d)$ time, $O(d)$ memory.

    The true numerator and denominator are $a e^{p}$ and $b e^{p}$.

    Args:
        w: the decay $w > 0$, shape ``(d,)``.
        u: the bonus of the current token, shape ``(d,)``.
        k: keys, shape ``(B, T, d)``.
        v: values, shape ``(B, T, d)``.
        state: $(a, b, p)$ from a previous call, each ``(B, d)``, or ``None`` (empty past).

    Returns:
        ``(wkv, state)``: outputs ``(B, T, d)`` and the state after the last step.
    """
    B, T, d = k.shape
    if state is None:
        zeros = k.new_zeros(B, d)
        state = (zeros, zeros, torch.full_like(zeros, -1e38))
    a, b, p = state
    outputs = []
    for t in range(T):
        k_t, v_t = k[:, t], v[:, t]
        # output: (a_{t−1} + e^{u+k_t} v_t) / (b_{t−1} + e^{u+k_t}), rescaled by e^{−q}
        q = torch.maximum(p, u + k_t)
        e1, e2 = torch.exp(p - q), torch.exp(u + k_t - q)
        outputs.append((e1 * a + e2 * v_t) / (e1 * b + e2))
        # state: a_t = e^{−w} a_{t−1} + e^{k_t} v_t,  b_t = e^{−w} b_{t−1} + e^{k_t}
        q = torch.maximum(p - w, k_t)
        e1, e2 = torch.exp(p - w - q), torch.exp(k_t - q)
        a, b, p = e1 * a + e2 * v_t, e1 * b + e2, q
    return torch.stack(outputs, dim=1), (a, b, p)


# --8<-- [end:wkv-recurrent]
