r"""Better gates for long memory: the refine gate, uniform gate initialisation and the UR-LSTM step.

A forget gate $f = \sigma(a)$ that must keep information for $T$ steps needs $f \approx 1 - 1/T$,
where the sigmoid is flat: $\partial f/\partial a = f(1 - f) \approx 1/T$. Gu et al. (2020)
change two things. *Uniform gate initialisation* (UGI) draws the forget-gate biases so that the
initial activations are spread uniformly, $b_f = \sigma^{-1}(u)$, $u \sim \mathcal{U}[1/d,
1 - 1/d]$ for $d$ units, a range of timescales instead of one. The *refine gate* $r$ moves the
forget gate towards 0 or 1 between the bounds $f^2$ and $1 - (1 - f)^2$:

$$
g = r\,\bigl(1 - (1 - f)^2\bigr) + (1 - r)\,f^2 = 2rf + (1 - 2r)\,f^2 ,
$$

so that an effective gate $g$ near 1 is reached with $f$ and $r$ further from saturation. The
UR-LSTM uses $g$ as its forget gate and ties the input gate to $1 - g$. Chrono initialisation
(Tallec & Ollivier 2018), its predecessor, sets $b_f = \log \mathcal{U}[1, T_{\max} - 1]$.
Reading list: ``gu2020gating``, ``tallec2018warp``.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["chrono_forget_bias", "refine_gate", "ugi_forget_bias", "ur_lstm_cell"]


# --8<-- [start:refine]
def refine_gate(f: Tensor, r: Tensor | float) -> Tensor:
    r"""The effective gate $g = r\,(1 - (1 - f)^2) + (1 - r)\,f^2$ of Gu et al. (2020).

    $g$ interpolates between the lower bound $f^2$ ($r = 0$) and the upper bound
    $1 - (1 - f)^2$ ($r = 1$); at $r = 1/2$ it is $f$ itself.

    Args:
        f: the gate $f \in [0, 1]$, any shape.
        r: the refine gate $r \in [0, 1]$, broadcastable to `f`.

    Returns:
        $g$, the shape of `f`.
    """
    # g = r (1 − (1 − f)²) + (1 − r) f²  =  f² + 2 r f (1 − f)
    return f * f + 2.0 * r * f * (1.0 - f)


# --8<-- [end:refine]


# --8<-- [start:ugi]
def ugi_forget_bias(
    size: int,
    *,
    generator: torch.Generator | None = None,
    dtype: torch.dtype | None = None,
    device: torch.device | str | None = None,
) -> Tensor:
    r"""Uniform gate initialisation: $b = \sigma^{-1}(u)$, $u \sim \mathcal{U}[1/d, 1 - 1/d]$.

    With these biases (and small weights) the initial gate activations $\sigma(b)$ are spread
    uniformly over $[1/d, 1 - 1/d]$, so the $d$ units start with retention times
    $1/(1 - f)$ from about 1 to $d$ steps.

    Args:
        size: the number of units $d$ (at least 3).
        generator: the random generator.
        dtype: the dtype of the result.
        device: where to create it.

    Returns:
        the biases $b$, shape `(d,)`.
    """
    if size < 3:
        raise ValueError("uniform gate initialisation needs at least 3 units")
    u = torch.rand(size, generator=generator, dtype=dtype, device=device)
    # u ~ U[1/d, 1 − 1/d]
    u = 1.0 / size + (1.0 - 2.0 / size) * u
    # b = σ⁻¹(u) = log(u / (1 − u))
    return torch.log(u) - torch.log1p(-u)


# --8<-- [end:ugi]


def chrono_forget_bias(
    size: int,
    t_max: float,
    *,
    generator: torch.Generator | None = None,
    dtype: torch.dtype | None = None,
    device: torch.device | str | None = None,
) -> Tensor:
    r"""Chrono initialisation (Tallec & Ollivier 2018): $b_f = \log \mathcal{U}[1, T_{\max} - 1]$.

    Then $f = \sigma(b_f) = \tau / (1 + \tau)$ with $\tau \sim \mathcal{U}[1, T_{\max} - 1]$:
    retention times $1/(1 - f) = 1 + \tau$ spread up to $T_{\max}$. (The input gate's bias is
    set to $-b_f$.)

    Args:
        size: the number of units.
        t_max: the longest expected dependency $T_{\max} > 2$.
        generator: the random generator.
        dtype: the dtype of the result.
        device: where to create it.

    Returns:
        the biases $b_f$, shape `(size,)`.
    """
    tau = 1.0 + (t_max - 2.0) * torch.rand(size, generator=generator, dtype=dtype, device=device)
    return torch.log(tau)


# --8<-- [start:cell]
def ur_lstm_cell(
    x_proj: Tensor,
    h: Tensor,
    c: Tensor,
    weight_hh: Tensor,
    forget_bias: Tensor,
    refine: bool = True,
) -> tuple[Tensor, Tensor]:
    r"""One UR-LSTM step (Gu et al. 2020), gate blocks $(f, r, u, o)$.

    $$
    \begin{aligned}
    f_t &= \sigma(a_f + b_f), \quad r_t = \sigma(a_r - b_f), \quad
    g_t = r_t\,(1 - (1 - f_t)^2) + (1 - r_t)\,f_t^2, \\
    c_t &= g_t \odot c_{t-1} + (1 - g_t) \odot \tanh(a_u), \quad
    h_t = \sigma(a_o) \odot \tanh(c_t),
    \end{aligned}
    $$

    where $a = W_{ih}x_t + b + W_{hh}h_{t-1}$. With `refine=False`, $g_t = f_t$ and the $r$
    block is unused: an LSTM whose input gate is tied to $1 - f_t$.

    Args:
        x_proj: $W_{ih}x_t + b$, shape `(B, 4H)`.
        h: $h_{t-1}$, shape `(B, H)`.
        c: $c_{t-1}$, shape `(B, H)`.
        weight_hh: $W_{hh}$, shape `(4H, H)`.
        forget_bias: $b_f$ (e.g. from `ugi_forget_bias`), shape `(H,)`.
        refine: use the refine gate.

    Returns:
        $(h_t, c_t)$.
    """
    # a = W_ih x_t + b + W_hh h_{t-1}
    a_f, a_r, a_u, a_o = torch.addmm(x_proj, h, weight_hh.T).chunk(4, dim=-1)  # 4 × (B, H)
    # f_t = σ(a_f + b_f)
    f = torch.sigmoid(a_f + forget_bias)
    if refine:
        # r_t = σ(a_r − b_f)   (the refine gate starts from the opposite bias)
        r = torch.sigmoid(a_r - forget_bias)
        # g_t = r_t (1 − (1 − f_t)²) + (1 − r_t) f_t²
        g = refine_gate(f, r)
    else:
        g = f
    # c_t = g_t c_{t-1} + (1 − g_t) tanh(a_u)   (input gate tied to 1 − g_t)
    c = torch.lerp(torch.tanh(a_u), c, g)
    # h_t = σ(a_o) tanh(c_t)
    return torch.sigmoid(a_o) * torch.tanh(c), c


# --8<-- [end:cell]
