r"""Backpropagation through time, by hand, for the tanh Elman RNN; and its truncated form.

For $h_t = \tanh(a_t)$, $a_t = W_{ih}x_t + W_{hh}h_{t-1} + b$ and a loss $L = \sum_t \ell_t(h_t)$,
the reverse pass walks back in time with the error $\delta_t = \partial L/\partial a_t$:

$$
\frac{\partial L}{\partial h_t} = \frac{\partial \ell_t}{\partial h_t}
  + W_{hh}^\top\delta_{t+1},\qquad
\delta_t = \frac{\partial L}{\partial h_t}\odot(1 - h_t^2),\qquad
\frac{\partial L}{\partial W_{hh}} = \sum_t \delta_t h_{t-1}^\top,\quad
\frac{\partial L}{\partial W_{ih}} = \sum_t \delta_t x_t^\top,\quad
\frac{\partial L}{\partial b} = \sum_t \delta_t .
$$

Truncated BPTT with window $k$ cuts the sequence into chunks of $k$ steps and does not pass
$\delta$ across a chunk boundary — exactly what detaching the carried state between chunks does
in an autograd training loop. Reading list: ``werbos1990bptt``, ``williams1990truncated``,
``goodfellow2016`` (section 10.2.2).
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["elman_bptt", "elman_states"]


def elman_states(x: Tensor, h0: Tensor, W_ih: Tensor, W_hh: Tensor, b: Tensor) -> Tensor:
    r"""The states $h_0, \dots, h_T$ of the tanh Elman RNN.

    Args:
        x: inputs, shape `(T, B, I)`.
        h0: initial state, shape `(B, H)`.
        W_ih: input weights, shape `(H, I)`.
        W_hh: recurrent weights, shape `(H, H)`.
        b: bias, shape `(H,)`.

    Returns:
        the states, shape `(T + 1, B, H)`, with `h0` first.
    """
    hs = [h0]
    for x_t in x:
        # h_t = tanh(W_ih x_t + W_hh h_{t-1} + b)
        hs.append(torch.tanh(x_t @ W_ih.T + hs[-1] @ W_hh.T + b))
    return torch.stack(hs)


# --8<-- [start:bptt]
def elman_bptt(
    x: Tensor, hs: Tensor, W_hh: Tensor, grad_h: Tensor, truncation: int | None = None
) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    r"""Gradients of $L = \sum_t \ell_t(h_t)$ by (truncated) backpropagation through time.

    Args:
        x: inputs $x_1..x_T$, shape `(T, B, I)`.
        hs: states $h_0..h_T$ from `elman_states`, shape `(T + 1, B, H)`.
        W_hh: recurrent weights, shape `(H, H)`.
        grad_h: the direct loss gradients $\partial\ell_t/\partial h_t$, shape `(T, B, H)`.
        truncation: chunk length $k$; `None` for full BPTT.

    Returns:
        $(\partial L/\partial W_{ih}, \partial L/\partial W_{hh}, \partial L/\partial b,
        \partial L/\partial h_0)$.
    """
    T = x.shape[0]
    dW_ih = x.new_zeros(W_hh.shape[0], x.shape[2])
    dW_hh, db = torch.zeros_like(W_hh), x.new_zeros(W_hh.shape[0])
    carry = torch.zeros_like(hs[0])  # W_hh^T δ_{t+1}: the error arriving from the future
    for t in range(T, 0, -1):
        # ∂L/∂h_t = ∂ℓ_t/∂h_t + W_hh^T δ_{t+1}
        g = grad_h[t - 1] + carry
        # δ_t = ∂L/∂h_t ⊙ tanh'(a_t) = ∂L/∂h_t ⊙ (1 − h_t²)
        delta = g * (1 - hs[t] ** 2)  # (B, H)
        dW_hh += delta.T @ hs[t - 1]
        dW_ih += delta.T @ x[t - 1]
        db += delta.sum(0)
        carry = delta @ W_hh
        if truncation is not None and (t - 1) % truncation == 0:
            # a chunk starts at step t: its carried-in state h_{t-1} is treated as a constant
            carry = torch.zeros_like(carry)
    return dW_ih, dW_hh, db, carry


# --8<-- [end:bptt]
