r"""One LSTM or GRU layer over a whole sequence, with a hand-written backward pass (BPTT).

Autograd through a loop of cells records a dozen small operations per time step and replays
them in reverse, and it computes the weight gradient $\partial L/\partial W_{hh}$ as $T$ small
products. Here one `torch.autograd.Function` covers the whole recurrence of a layer: the
forward pass runs the cell equations (`lstm_cell`, `gru_cell`, written once, in
`refimpl.functional.recurrent`) without recording a graph and keeps their gate activations;
the backward pass walks time in reverse carrying only $\delta h$ (and $\delta c$), one matmul
with $W_{hh}$ per step, and then forms every weight gradient at once over the $T\cdot B$ rows,

$$
\frac{\partial L}{\partial W_{hh}} = \sum_t \delta a_t^\top h_{t-1}
= \delta A^\top H_{\text{prev}}, \qquad
\frac{\partial L}{\partial b_{hh}} = \sum_t \delta a_t ,
$$

where $\delta a_t = \partial L/\partial a_t$ is the gradient of the gates' pre-activations. The
derivatives of the gates use $\sigma' = \sigma(1 - \sigma)$ and $\tanh' = 1 - \tanh^2$ of the
saved activations; each step is a handful of element-wise products on `(B, H)` tensors, written
into one preallocated `(T, B, G·H)` gradient, and one matmul (no large temporaries: on a CPU
every fresh multi-megabyte tensor costs page faults). The input projection
$W_{ih}x_t + b_{ih}$ stays outside (autograd differentiates it as one matmul). The backward is
not itself differentiable: under `create_graph=True` it raises, and `fused = False` on the
module selects the autograd loop, which is. Reading list: ``werbos1990bptt``,
``hochreiter1997lstm``, ``cho2014``.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor
from torch.autograd.function import FunctionCtx

from refimpl.functional.recurrent import gru_cell, lstm_cell

__all__ = ["gru_layer", "lstm_layer"]


def _weight_grad(d_pre: Tensor, h0: Tensor, outputs: Tensor) -> Tensor:
    """$\\sum_t \\delta a_t^\\top h_{t-1}$ in two matmuls: $h_0$ for step 0, then the outputs."""
    grad = d_pre[0].T @ h0  # (G, P)
    if d_pre.shape[0] > 1:
        grad = grad.addmm_(d_pre[1:].flatten(0, 1).T, outputs[:-1].flatten(0, 1))  # (T−1)·B rows
    return grad


def _rows_contiguous_transpose(weight: Tensor) -> Tensor:
    """`weight` with the same values, stored so that `weight.T` is contiguous: the cells compute
    $h W^\\top$, and a contiguous $W^\\top$ makes each step's small matmul faster on a CPU."""
    return weight.T.contiguous().T


def _sigmoid_grad(s: Tensor) -> Tensor:
    """$\\sigma'(a) = s(1 - s)$ from $s = \\sigma(a)$, computed as $s - s^2$ in one kernel."""
    return torch.addcmul(s, s, s, value=-1)


def _tanh_grad(y: Tensor, one: Tensor) -> Tensor:
    """$\\tanh'(a) = 1 - y^2$ from $y = \\tanh(a)$ (`one`: a 0-d tensor), in one kernel."""
    return torch.addcmul(one, y, y, value=-1)


def _no_double_backward() -> None:
    """Refuse ``create_graph=True``: this backward is not recorded, so its gradient is lost."""
    if torch.is_grad_enabled():
        raise RuntimeError(
            "the fused LSTM/GRU backward cannot be differentiated twice; "
            "set `fused = False` on the module (or use the cells) for double backward"
        )


class _LSTMLayer(torch.autograd.Function):
    @staticmethod
    def forward(
        ctx: FunctionCtx,
        x_proj: Tensor,
        h0: Tensor,
        c0: Tensor,
        weight_hh: Tensor,
        weight_hr: Tensor | None,
    ) -> tuple[Tensor, Tensor, Tensor]:
        h, c = h0, c0
        hs, cs, gates = [], [c0], []
        w_hh = _rows_contiguous_transpose(weight_hh)
        for x_t in x_proj.unbind(0):
            h, c, step_gates = lstm_cell(x_t, h, c, w_hh, None, weight_hr)
            hs.append(h), cs.append(c), gates.append(step_gates)
        out = torch.stack(hs)  # (T, B, P)
        ctx.save_for_backward(h0, weight_hh, weight_hr, out)
        # per-step tensors, not stacked: the backward reads them one step at a time
        ctx.cs, ctx.gates = cs, gates  # c_0..c_T; (sig, g) of every step
        return out, h, c

    @staticmethod
    def backward(ctx: Any, d_out: Tensor, d_hT: Tensor, d_cT: Tensor) -> tuple[Tensor | None, ...]:
        _no_double_backward()
        h0, weight_hh, weight_hr, out = ctx.saved_tensors
        T, B, _ = out.shape
        H = d_cT.shape[-1]
        d_pre = d_out.new_empty(T, B, 4 * H)  # δa_t, blocks (i, f, g, o)
        d_hs = []  # δh_t, kept for ∂L/∂W_hr with a projection
        d_h, d_c = d_out[-1] + d_hT, d_cT  # the total gradients reaching h_T and c_T
        one = d_out.new_ones(())
        # --8<-- [start:lstm-backward]
        for t in range(T - 1, -1, -1):
            sig, g = ctx.gates[t]
            i, f, o = sig[:, :H], sig[:, H : 2 * H], sig[:, 3 * H :]
            c_prev, tanh_c = ctx.cs[t], torch.tanh(ctx.cs[t + 1])
            d_i, d_f, d_g, d_o = d_pre[t].split(H, dim=-1)  # views: written in place
            # h_t = m_t = o ⊙ tanh(c_t), or W_hr m_t with a projection: δm_t = W_hrᵀ δh_t
            d_m = d_h
            if weight_hr is not None:
                d_m = d_h @ weight_hr
                d_hs.append(d_h)
            # δa_o = δm_t ⊙ tanh(c_t) ⊙ o(1 − o)
            torch.mul(d_m * tanh_c, _sigmoid_grad(o), out=d_o)
            # δc_t = δc_{t+1} ⊙ f_{t+1} + δm_t ⊙ o ⊙ (1 − tanh² c_t)
            d_c = torch.addcmul(d_c, d_m, o * _tanh_grad(tanh_c, one))
            # c_t = f ⊙ c_{t-1} + i ⊙ g:  δa_i = δc_t ⊙ g ⊙ i(1 − i)
            torch.mul(d_c * g, _sigmoid_grad(i), out=d_i)
            # δa_f = δc_t ⊙ c_{t-1} ⊙ f(1 − f)
            torch.mul(d_c * c_prev, _sigmoid_grad(f), out=d_f)
            # δa_g = δc_t ⊙ i ⊙ (1 − g²)
            torch.mul(d_c * i, _tanh_grad(g, one), out=d_g)
            # what reaches the previous step: δc_{t-1} = δc_t ⊙ f, δh_{t-1} = ∂L/∂y + W_hhᵀ δa_t
            d_c = d_c * f
            d_h = d_pre[t] @ weight_hh if t == 0 else torch.addmm(d_out[t - 1], d_pre[t], weight_hh)
        d_weight_hh = _weight_grad(d_pre, h0, out) if ctx.needs_input_grad[3] else None
        # --8<-- [end:lstm-backward]
        d_weight_hr = None
        if weight_hr is not None and ctx.needs_input_grad[4]:
            # ∂L/∂W_hr = Σ_t δh_t m_tᵀ with m_t = o ⊙ tanh(c_t), one matmul over all T·B rows
            sig = torch.stack([gates[0] for gates in ctx.gates])  # (T, B, 4H)
            m = sig[..., 3 * H :] * torch.tanh(torch.stack(ctx.cs[1:]))  # (T, B, H)
            d_h_all = torch.stack(d_hs[::-1])  # (T, B, P)
            d_weight_hr = d_h_all.flatten(0, 1).T @ m.flatten(0, 1)
        return d_pre, d_h, d_c, d_weight_hh, d_weight_hr


class _GRULayer(torch.autograd.Function):
    @staticmethod
    def forward(
        ctx: FunctionCtx, x_proj: Tensor, h0: Tensor, weight_hh: Tensor, bias_hh: Tensor | None
    ) -> tuple[Tensor, Tensor]:
        h = h0
        hs, gates = [], []
        w_hh = _rows_contiguous_transpose(weight_hh)
        for x_t in x_proj.unbind(0):
            h, step_gates = gru_cell(x_t, h, w_hh, bias_hh)
            hs.append(h), gates.append(step_gates)
        out = torch.stack(hs)  # (T, B, H)
        ctx.save_for_backward(h0, weight_hh, out)
        ctx.gates = gates  # (rz, n, W_hn h + b_hn) of every step
        return out, h

    @staticmethod
    def backward(ctx: Any, d_out: Tensor, d_hT: Tensor) -> tuple[Tensor | None, ...]:
        _no_double_backward()
        h0, weight_hh, out = ctx.saved_tensors
        T, B, H = out.shape
        d_x = d_out.new_empty(T, B, 3 * H)  # δ(W_ih x_t + b_ih), blocks (r, z, n)
        d_hp = d_out.new_empty(T, B, 3 * H)  # δ(W_hh h_{t-1} + b_hh), blocks (r, z, n)
        d_h = d_out[-1] + d_hT  # the total gradient reaching h_T
        one = d_out.new_ones(())
        for t in range(T - 1, -1, -1):
            rz, n, hp_n = ctx.gates[t]
            r, z = rz[:, :H], rz[:, H:]
            h_prev = out[t - 1] if t > 0 else h0
            d_r, d_z, d_n = d_hp[t].split(H, dim=-1)  # views: written in place
            # h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}, n = tanh(a_n):  δa_n = δh_t ⊙ (1 − z) ⊙ (1 − n²)
            d_h_keep = torch.addcmul(d_h, d_h, z, value=-1)  # δh_t ⊙ (1 − z)
            d_a_n = torch.mul(d_h_keep, _tanh_grad(n, one), out=d_x[t, :, 2 * H :])
            # δa_z = δh_t ⊙ (h_{t-1} − n) ⊙ z(1 − z)
            torch.mul(d_h * (h_prev - n), _sigmoid_grad(z), out=d_z)
            # a_n = W_in x + b_in + r ⊙ (W_hn h + b_hn):  δa_r = δa_n ⊙ (W_hn h + b_hn) ⊙ r(1 − r)
            torch.mul(d_a_n * hp_n, _sigmoid_grad(r), out=d_r)
            # and W_hn h + b_hn receives r ⊙ δa_n
            torch.mul(d_a_n, r, out=d_n)
            # δh_{t-1} = ∂L/∂y_{t-1} + z ⊙ δh_t + W_hhᵀ δ(W_hh h_{t-1} + b_hh)
            d_h_prev = d_h * z if t == 0 else torch.addcmul(d_out[t - 1], d_h, z)
            d_h = d_h_prev.addmm_(d_hp[t], weight_hh)
        d_x[..., : 2 * H] = d_hp[..., : 2 * H]  # r and z: input and recurrent parts add alike
        d_weight_hh = _weight_grad(d_hp, h0, out) if ctx.needs_input_grad[2] else None
        d_bias_hh = d_hp.sum((0, 1)) if ctx.needs_input_grad[3] else None
        return d_x, d_h, d_weight_hh, d_bias_hh


def lstm_layer(
    x_proj: Tensor, h0: Tensor, c0: Tensor, weight_hh: Tensor, weight_hr: Tensor | None = None
) -> tuple[Tensor, Tensor, Tensor]:
    r"""torch's LSTM recurrence over a whole sequence, with the fused backward (module doc).

    The backward pass per step: with $m_t = o\odot\tanh c_t$ and $\delta m_t = \delta h_t$
    ($W_{hr}^\top\delta h_t$ with a projection),
    $\delta c_t = \delta c_{t+1}\odot f_{t+1} + \delta m_t\odot o\odot(1 - \tanh^2 c_t)$,
    $\delta a_i = \delta c_t\odot g\odot i(1 - i)$,
    $\delta a_f = \delta c_t\odot c_{t-1}\odot f(1 - f)$,
    $\delta a_g = \delta c_t\odot i\odot(1 - g^2)$,
    $\delta a_o = \delta m_t\odot\tanh c_t\odot o(1 - o)$, and
    $\delta h_{t-1} = \partial L/\partial y_{t-1} + W_{hh}^\top\delta a_t$.

    Args:
        x_proj: $W_{ih}x_t + b_{ih} + b_{hh}$ for every step, shape `(T, B, 4H)`.
        h0: $h_0$, shape `(B, P)`.
        c0: $c_0$, shape `(B, H)`.
        weight_hh: $W_{hh}$, shape `(4H, P)`.
        weight_hr: the projection $W_{hr}$, shape `(P, H)`, or `None`.

    Returns:
        The outputs $h_1..h_T$ `(T, B, P)`, and $h_T$, $c_T$.
    """
    return _LSTMLayer.apply(x_proj, h0, c0, weight_hh, weight_hr)


def gru_layer(
    x_proj: Tensor, h0: Tensor, weight_hh: Tensor, bias_hh: Tensor | None
) -> tuple[Tensor, Tensor]:
    r"""torch's GRU recurrence over a whole sequence, with the fused backward (module doc).

    The backward pass per step, with $h_t = (1 - z)\odot n + z\odot h_{t-1}$ and
    $a_n = W_{in}x_t + b_{in} + r\odot(W_{hn}h_{t-1} + b_{hn})$:
    $\delta a_n = \delta h_t\odot(1 - z)\odot(1 - n^2)$,
    $\delta a_z = \delta h_t\odot(h_{t-1} - n)\odot z(1 - z)$,
    $\delta a_r = \delta a_n\odot(W_{hn}h_{t-1} + b_{hn})\odot r(1 - r)$; the recurrent
    pre-activation $W_{hh}h_{t-1} + b_{hh}$ receives $(\delta a_r, \delta a_z, r\odot\delta a_n)$,
    and $\delta h_{t-1} = \partial L/\partial y_{t-1} + z\odot\delta h_t
    + W_{hh}^\top(\delta a_r, \delta a_z, r\odot\delta a_n)$.

    Args:
        x_proj: $W_{ih}x_t + b_{ih}$ for every step, shape `(T, B, 3H)`.
        h0: $h_0$, shape `(B, H)`.
        weight_hh: $W_{hh}$, shape `(3H, H)`.
        bias_hh: $b_{hh}$, shape `(3H,)`, or `None`.

    Returns:
        The outputs $h_1..h_T$ `(T, B, H)`, and $h_T$.
    """
    return _GRULayer.apply(x_proj, h0, weight_hh, bias_hh)
