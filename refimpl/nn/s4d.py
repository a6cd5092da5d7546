r"""A diagonal structured state-space layer, ``S4D``: one SSM per channel, two equivalent views.

Each of the $H$ channels runs its own SSM with a diagonal complex state matrix
$A = \mathrm{diag}(a_1, \dots, a_{N/2})$ (the conjugate modes are implicit, so the output is
real), $B = 1$, a learned $C$ and skip $D$, and a learned step $\Delta$:

$$
x_k = \bar A x_{k-1} + \bar B u_k,\qquad y_k = 2\,\mathrm{Re}(C x_k) + D u_k ,
\qquad \bar K_l = 2\,\mathrm{Re}\Big(\sum_n C_n \bar B_n \bar a_n^{\,l}\Big),
$$

computed either step by step (``forward_recurrent``) or as the causal convolution
$y = \bar K * u + Du$ by FFT (``forward``). Initialisation S4D-Lin: $a_n = -\tfrac12 + i\pi n$,
$\log\Delta \sim \mathcal{U}(\log\Delta_{\min}, \log\Delta_{\max})$. Reading list: ``gu2021s4``,
``gu2022s4d``.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import Tensor, nn

from refimpl.functional.ssm import discretize_diagonal

__all__ = ["S4D"]


class S4D(nn.Module):
    r"""Diagonal SSM layer with the S4D-Lin initialisation; input and output `(B, L, H)`.

    Parameters: `log_dt` `(H,)`, `log_A_real` and `A_imag` `(H, N/2)` (so that
    $\mathrm{Re}\,a = -e^{\text{log\_A\_real}} < 0$), `C` `(H, N/2, 2)` (real and imaginary
    parts) and `D` `(H,)`.

    Args:
        d_model: channels $H$.
        d_state: state size $N$ per channel ($N/2$ complex modes).
        dt_min: smallest initial step.
        dt_max: largest initial step.
        method: `"zoh"` (default), `"bilinear"` or `"euler"` (forward Euler, as on the slides).
        device: where to create the parameters.
        dtype: their real dtype.
    """

    def __init__(
        self,
        d_model: int,
        d_state: int = 64,
        dt_min: float = 1e-3,
        dt_max: float = 1e-1,
        method: str = "zoh",
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        f: dict[str, Any] = {"device": device, "dtype": dtype}
        H, N2 = d_model, d_state // 2
        self.method = method
        u = torch.rand(H, **f)
        self.log_dt = nn.Parameter(math.log(dt_min) + u * (math.log(dt_max) - math.log(dt_min)))
        self.log_A_real = nn.Parameter(torch.full((H, N2), math.log(0.5), **f))
        self.A_imag = nn.Parameter(math.pi * torch.arange(N2, **f).expand(H, N2).clone())
        self.C = nn.Parameter(torch.randn(H, N2, 2, **f) * math.sqrt(0.5))
        self.D = nn.Parameter(torch.randn(H, **f))

    def discrete(self) -> tuple[Tensor, Tensor, Tensor]:
        r"""$(\bar a, \bar b, C)$, each complex `(H, N/2)`."""
        A = torch.complex(-torch.exp(self.log_A_real), self.A_imag)  # (H, N/2)
        dt = torch.exp(self.log_dt).unsqueeze(-1)  # (H, 1)
        A_bar, B_bar = discretize_diagonal(A, torch.ones_like(A), dt, self.method)
        return A_bar, B_bar, torch.view_as_complex(self.C)

    def kernel(self, length: int) -> Tensor:
        r"""The kernel $\bar K$, `(H, L)`.

        $\bar K_{h,l} = 2\,\mathrm{Re}\sum_n C_{hn}\bar b_{hn}\bar a_{hn}^l$.
        """
        A_bar, B_bar, C = self.discrete()
        powers = A_bar.unsqueeze(-1) ** torch.arange(length, device=A_bar.device)  # (H, N/2, L)
        return 2 * torch.einsum("hn,hnl->hl", C * B_bar, powers).real

    def forward(self, u: Tensor) -> Tensor:
        """The convolutional view: $y = \\bar K * u + D u$ by FFT. `u`: `(B, L, H)`."""
        L = u.shape[1]
        K = self.kernel(L)  # (H, L)
        K_f = torch.fft.rfft(K, n=2 * L)  # (H, L + 1)
        u_f = torch.fft.rfft(u.transpose(1, 2), n=2 * L)  # (B, H, L + 1)
        y = torch.fft.irfft(u_f * K_f, n=2 * L)[..., :L]  # (B, H, L)
        return y.transpose(1, 2) + u * self.D  # (B, L, H)

    def forward_recurrent(self, u: Tensor) -> Tensor:
        """The recurrent view, one step at a time (constant memory per step). `u`: `(B, L, H)`."""
        A_bar, B_bar, C = self.discrete()
        x = torch.zeros(u.shape[0], *A_bar.shape, dtype=A_bar.dtype, device=u.device)  # (B, H, N/2)
        ys = []
        for u_k in u.unbind(1):  # (B, H)
            x = A_bar * x + B_bar * u_k.unsqueeze(-1)  # x_k = Ā x_{k-1} + B̄ u_k
            ys.append(2 * (C * x).sum(-1).real + self.D * u_k)  # y_k = 2 Re(C x_k) + D u_k
        return torch.stack(ys, dim=1)  # (B, L, H)
