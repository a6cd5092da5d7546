r"""The cells of the recurrent networks: one time step of the Elman RNN, the LSTM and the GRU.

Each function maps the input's projection $W x_t + b$ (computed for all time steps at once by
the caller, one matmul for the whole sequence) and the previous state to the next state. The
torch-compatible forms follow ``torch.nn.RNN``, ``torch.nn.LSTM`` and ``torch.nn.GRU``:

$$
\begin{aligned}
\text{Elman:}\quad & h_t = \phi(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh}), \\
\text{LSTM:}\quad & (i, f, g, o) = (\sigma, \sigma, \tanh, \sigma)(W_{ih} x_t + b_{ih}
    + W_{hh} h_{t-1} + b_{hh}),\ c_t = f \odot c_{t-1} + i \odot g,\
    h_t = o \odot \tanh(c_t), \\
\text{GRU:}\quad & r, z = \sigma(\cdot),\ n = \tanh(W_{in} x_t + b_{in}
    + r \odot (W_{hn} h_{t-1} + b_{hn})),\ h_t = (1 - z) \odot n + z \odot h_{t-1}.
\end{aligned}
$$

The course slides' forms are here too: ``graves_lstm_cell``, with diagonal peepholes where the
input and forget gates see $c_{t-1}$ and the output gate sees $c_t$ (Graves 2013), and
``chung_gru_cell``, with the reset applied *before* $U_h$, the update gate weighting the
*candidate*, and no biases (Chung et al. 2014). Reading list: ``elman1990finding``,
``hochreiter1997lstm``, ``graves2013``, ``cho2014``, ``chung2014gru``.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = [
    "chung_gru_cell",
    "deep_transition_cell",
    "graves_lstm_cell",
    "gru_cell",
    "lstm_cell",
    "rnn_cell",
]


# --8<-- [start:rnn]
def rnn_cell(
    x_proj: Tensor, h: Tensor, weight_hh: Tensor, bias_hh: Tensor | None, nonlinearity: str
) -> Tensor:
    r"""One Elman step, $h_t = \phi(W_{ih}x_t + b_{ih} + W_{hh}h_{t-1} + b_{hh})$.

    Args:
        x_proj: the input's projection $W_{ih}x_t + b_{ih}$, shape `(B, H)`.
        h: the previous state $h_{t-1}$, shape `(B, H)`.
        weight_hh: $W_{hh}$, shape `(H, H)`.
        bias_hh: $b_{hh}$, shape `(H,)`, or `None`.
        nonlinearity: `"tanh"` or `"relu"` ($\phi$).

    Returns:
        $h_t$, shape `(B, H)`.
    """
    # a = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh
    a = torch.addmm(x_proj, h, weight_hh.T)
    if bias_hh is not None:
        a = a + bias_hh
    # h_t = φ(a)
    return torch.tanh(a) if nonlinearity == "tanh" else torch.clamp_min(a, 0.0)


# --8<-- [end:rnn]


# --8<-- [start:lstm]
def lstm_cell(
    x_proj: Tensor,
    h: Tensor,
    c: Tensor,
    weight_hh: Tensor,
    bias_hh: Tensor | None,
    weight_hr: Tensor | None = None,
) -> tuple[Tensor, Tensor, tuple[Tensor, Tensor]]:
    r"""One step of torch's LSTM (gate order $i, f, g, o$; optional projection $W_{hr}$).

    Args:
        x_proj: $W_{ih}x_t + b_{ih}$, shape `(B, 4H)`.
        h: $h_{t-1}$, shape `(B, P)` ($P = H$ without projection).
        c: $c_{t-1}$, shape `(B, H)`.
        weight_hh: $W_{hh}$, shape `(4H, P)`.
        bias_hh: $b_{hh}$, shape `(4H,)`, or `None`.
        weight_hr: the projection $W_{hr}$, shape `(P, H)`, or `None`.

    Returns:
        $(h_t, c_t)$ and the gate activations `(sig, g)`: `sig` `(B, 4H)` holds
        $(i, f, \cdot, o)$ (its third block is unused), `g` `(B, H)` is $g_t$; the fused
        backward of `refimpl.functional.lstm_layer` reuses them.
    """
    H = c.shape[-1]
    # a = W_ih x_t + b_ih + W_hh h_{t-1} (+ b_hh): one fused multiply-add
    gates = torch.addmm(x_proj, h, weight_hh.T)  # (B, 4H), blocks (i, f, g, o)
    if bias_hh is not None:
        gates = gates + bias_hh
    # g = tanh(a_g)
    g = torch.tanh(gates[:, 2 * H : 3 * H])
    # i = σ(a_i), f = σ(a_f), o = σ(a_o)   (σ on all four blocks in place: one kernel, no copy)
    sig = gates.sigmoid_()
    i, f, o = sig[:, :H], sig[:, H : 2 * H], sig[:, 3 * H :]
    # c_t = f ⊙ c_{t-1} + i ⊙ g
    c = torch.addcmul(f * c, i, g)
    # h_t = o ⊙ tanh(c_t)   (then h_t ← W_hr h_t with a projection)
    h = o * torch.tanh(c)
    if weight_hr is not None:
        h = h @ weight_hr.T
    return h, c, (sig, g)


# --8<-- [end:lstm]


# --8<-- [start:graves]
def graves_lstm_cell(
    x_proj: Tensor, h: Tensor, c: Tensor, weight_hh: Tensor, peephole: Tensor
) -> tuple[Tensor, Tensor]:
    r"""One step of the LSTM with peepholes as written by Graves (2013), equations (7)–(11).

    $$
    \begin{aligned}
    i_t &= \sigma(W_{xi}x_t + W_{hi}h_{t-1} + w_{ci}\odot c_{t-1} + b_i) \\
    f_t &= \sigma(W_{xf}x_t + W_{hf}h_{t-1} + w_{cf}\odot c_{t-1} + b_f) \\
    c_t &= f_t\odot c_{t-1} + i_t\odot\tanh(W_{xc}x_t + W_{hc}h_{t-1} + b_c) \\
    o_t &= \sigma(W_{xo}x_t + W_{ho}h_{t-1} + w_{co}\odot c_t + b_o) \\
    h_t &= o_t\odot\tanh(c_t)
    \end{aligned}
    $$

    The peephole matrices $W_{c\cdot}$ are diagonal, stored as vectors $w_{c\cdot}$.

    Args:
        x_proj: $W_x x_t + b$ for the blocks $(i, f, c, o)$, shape `(B, 4H)`.
        h: $h_{t-1}$, shape `(B, H)`.
        c: $c_{t-1}$, shape `(B, H)`.
        weight_hh: $W_h$ for the blocks $(i, f, c, o)$, shape `(4H, H)`.
        peephole: $(w_{ci}, w_{cf}, w_{co})$ stacked, shape `(3, H)`.

    Returns:
        $(h_t, c_t)$.
    """
    a_i, a_f, a_c, a_o = (x_proj + h @ weight_hh.T).chunk(4, dim=-1)  # 4 × (B, H)
    w_ci, w_cf, w_co = peephole
    # i_t and f_t peek at the previous cell c_{t-1}
    i = torch.sigmoid(a_i + w_ci * c)
    f = torch.sigmoid(a_f + w_cf * c)
    # c_t = f_t c_{t-1} + i_t tanh(W_xc x_t + W_hc h_{t-1} + b_c)
    c = f * c + i * torch.tanh(a_c)
    # o_t peeks at the *new* cell c_t
    o = torch.sigmoid(a_o + w_co * c)
    # h_t = o_t tanh(c_t)
    return o * torch.tanh(c), c


# --8<-- [end:graves]


# --8<-- [start:gru]
def gru_cell(
    x_proj: Tensor, h: Tensor, weight_hh: Tensor, bias_hh: Tensor | None
) -> tuple[Tensor, tuple[Tensor, Tensor, Tensor]]:
    r"""One step of torch's GRU (gate order $r, z, n$; reset applied after $W_{hn}$).

    Args:
        x_proj: $W_{ih}x_t + b_{ih}$, shape `(B, 3H)`.
        h: $h_{t-1}$, shape `(B, H)`.
        weight_hh: $W_{hh}$, shape `(3H, H)`.
        bias_hh: $b_{hh}$, shape `(3H,)`, or `None`.

    Returns:
        $h_t$, shape `(B, H)`, and the activations `(rz, n, hp_n)`: $(r, z)$ `(B, 2H)`, $n$
        and $W_{hn}h_{t-1} + b_{hn}$, each `(B, H)`; the fused backward of
        `refimpl.functional.gru_layer` reuses them.
    """
    H = h.shape[-1]
    # W_hh h_{t-1} + b_hh: one fused multiply-add
    h_proj = torch.addmm(bias_hh, h, weight_hh.T) if bias_hh is not None else h @ weight_hh.T
    # r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz)
    rz = torch.sigmoid(x_proj[:, : 2 * H] + h_proj[:, : 2 * H])  # (B, 2H)
    r, z = rz[:, :H], rz[:, H:]
    # n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))   ("reset after" the matrix product)
    hp_n = h_proj[:, 2 * H :]
    n = torch.tanh(torch.addcmul(x_proj[:, 2 * H :], r, hp_n))
    # h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}   (z weights the *old* state)
    return torch.lerp(n, h, z), (rz, n, hp_n)


# --8<-- [end:gru]


# --8<-- [start:chung]
def chung_gru_cell(x_proj: Tensor, h: Tensor, weight_hh: Tensor) -> Tensor:
    r"""One step of the GRU as on the course slides (Chung et al. 2014, no biases).

    $$
    z = \sigma(W_z x_t + U_z h_{t-1}),\quad r = \sigma(W_r x_t + U_r h_{t-1}),\quad
    \tilde h = \tanh(W_h x_t + U_h(r\odot h_{t-1})),\quad
    h_t = (1 - z)\odot h_{t-1} + z\odot\tilde h .
    $$

    Args:
        x_proj: $(W_z x_t, W_r x_t, W_h x_t)$ concatenated, shape `(B, 3H)`.
        h: $h_{t-1}$, shape `(B, H)`.
        weight_hh: $(U_z, U_r, U_h)$ stacked by rows, shape `(3H, H)`.

    Returns:
        $h_t$, shape `(B, H)`.
    """
    H = h.shape[-1]
    x_z, x_r, x_h = x_proj.chunk(3, dim=-1)  # 3 × (B, H)
    a_z, a_r = (h @ weight_hh[: 2 * H].T).chunk(2, dim=-1)  # 2 × (B, H)
    z = torch.sigmoid(x_z + a_z)
    r = torch.sigmoid(x_r + a_r)
    # h̃ = tanh(W_h x_t + U_h (r ⊙ h_{t-1}))   ("reset before" the matrix product)
    h_tilde = torch.tanh(x_h + (r * h) @ weight_hh[2 * H :].T)
    # h_t = (1 − z) ⊙ h_{t-1} + z ⊙ h̃   (z weights the *candidate*)
    return h + z * (h_tilde - h)


# --8<-- [end:chung]


# --8<-- [start:deep]
def deep_transition_cell(
    x: Tensor,
    h: Tensor,
    input_weight: Tensor,
    transition: list[tuple[Tensor, Tensor]],
    shortcut: tuple[Tensor, Tensor] | None,
    nonlinearity: str = "tanh",
) -> Tensor:
    r"""One step of a deep-transition RNN (Pascanu et al. 2014): an MLP from $h_{t-1}$ to $h_t$.

    $$
    z_1 = \phi(W_1 h_{t-1} + U x_t + b_1),\quad z_l = \phi(W_l z_{l-1} + b_l)\ (l = 2..L),
    \quad h_t = z_L ;
    $$

    with a shortcut (DT(S)-RNN) the last layer also sees $h_{t-1}$ and $x_t$ directly,
    $z_L = \phi(W_L z_{L-1} + b_L + \bar W h_{t-1} + \bar U x_t)$. With $L = 1$ this is the
    Elman step.

    Args:
        x: $x_t$, shape `(B, I)`.
        h: $h_{t-1}$, shape `(B, H)`.
        input_weight: $U$, shape `(H, I)`.
        transition: $[(W_1, b_1), \dots, (W_L, b_L)]$, each `(H, H)` and `(H,)`.
        shortcut: $(\bar W, \bar U)$, or `None` for a plain DT-RNN.
        nonlinearity: `"tanh"` or `"relu"` ($\phi$).

    Returns:
        $h_t$, shape `(B, H)`.
    """
    phi = torch.tanh if nonlinearity == "tanh" else torch.relu
    z = h
    for l, (W, b) in enumerate(transition):
        a = z @ W.T + b
        if l == 0:
            # the input enters at the bottom of the transition: W_1 h_{t-1} + U x_t + b_1
            a = a + x @ input_weight.T
        if l == len(transition) - 1 and shortcut is not None and l > 0:
            # DT(S): h_{t-1} and x_t also reach the top layer in one step
            a = a + h @ shortcut[0].T + x @ shortcut[1].T
        z = phi(a)
    return z


# --8<-- [end:deep]
