r"""The Linear Recurrent Unit, ``LRU`` (Orvieto et al. 2023).

$$
x_k = \mathrm{diag}(\lambda)\,x_{k-1} + \gamma\odot B u_k,\qquad
y_k = \mathrm{Re}(C x_k) + D\odot u_k,
$$

$\lambda_j = \exp(-\exp(\nu_j) + i\exp(\theta_j))$ (stable for every real $\nu_j$),
$\gamma_j$ a learned normalisation initialised to $\sqrt{1 - |\lambda_j|^2}$, complex $B$ and
$C$. Ring initialisation: $|\lambda|^2$ uniform on $[r_{\min}^2, r_{\max}^2]$ (uniform on the
ring's area) and phases uniform on $[0, \text{max\_phase}]$. The recurrence is computed by a
loop, a chunked scan or a parallel associative scan (by default the loop on a CPU and the
parallel scan on an accelerator). Reading list: ``orvieto2023lru``.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import Tensor, nn

from refimpl.functional.lru import associative_scan, chunked_scan, lru_lambda, sequential_scan

__all__ = ["LRU"]

_SCANS = {"chunked": chunked_scan, "parallel": associative_scan, "sequential": sequential_scan}


class LRU(nn.Module):
    r"""Linear Recurrent Unit; input and output `(B, L, H)`.

    Parameters (the names of the paper's code): `nu_log`, `theta_log`, `gamma_log` `(N,)`,
    `B_re`, `B_im` `(N, H)`, `C_re`, `C_im` `(H, N)`, `D` `(H,)`.

    Args:
        d_model: input and output features $H$.
        d_state: complex state size $N$.
        r_min: smallest initial $|\lambda|$.
        r_max: largest initial $|\lambda|$.
        max_phase: largest initial phase of $\lambda$.
        scan: `"auto"` (default: the loop on a CPU, the parallel scan on an accelerator),
            `"sequential"` (a loop over time), `"chunked"` (about $2\sqrt{L}$ sequential
            steps) or `"parallel"` (the log-depth associative scan).
        device: where to create the parameters.
        dtype: their real dtype.
    """

    def __init__(
        self,
        d_model: int,
        d_state: int,
        r_min: float = 0.0,
        r_max: float = 1.0,
        max_phase: float = 2 * math.pi,
        scan: str = "auto",
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        if scan not in (*_SCANS, "auto"):
            raise ValueError(f"scan must be 'auto' or one of {sorted(_SCANS)}")
        f: dict[str, Any] = {"device": device, "dtype": dtype}
        H, N = d_model, d_state
        self.scan = scan
        u1, u2 = torch.rand(N, **f), torch.rand(N, **f)
        # |λ|² uniform on [r_min², r_max²]:  ν = log(−½ log(u₁(r_max² − r_min²) + r_min²))
        self.nu_log = nn.Parameter(
            torch.log(-0.5 * torch.log(u1 * (r_max**2 - r_min**2) + r_min**2))
        )
        self.theta_log = nn.Parameter(torch.log(max_phase * u2))
        lam_abs = torch.exp(-torch.exp(self.nu_log.detach()))
        # γ = √(1 − |λ|²), stored as a log, trained like the other parameters
        self.gamma_log = nn.Parameter(torch.log(torch.sqrt(1 - lam_abs**2)))
        self.B_re = nn.Parameter(torch.randn(N, H, **f) / math.sqrt(2 * H))
        self.B_im = nn.Parameter(torch.randn(N, H, **f) / math.sqrt(2 * H))
        self.C_re = nn.Parameter(torch.randn(H, N, **f) / math.sqrt(N))
        self.C_im = nn.Parameter(torch.randn(H, N, **f) / math.sqrt(N))
        self.D = nn.Parameter(torch.randn(H, **f))

    def eigenvalues(self) -> Tensor:
        r"""The diagonal $\lambda$ of the recurrence, complex `(N,)`."""
        return lru_lambda(self.nu_log, self.theta_log)

    def states(self, u: Tensor) -> Tensor:
        r"""The hidden states $x_1..x_L$, complex `(L, B, N)`, for `u` of shape `(B, L, H)`."""
        lam = self.eigenvalues()  # (N,)
        B_norm = torch.complex(self.B_re, self.B_im) * torch.exp(self.gamma_log).unsqueeze(-1)
        Bu = u.transpose(0, 1).to(B_norm.dtype) @ B_norm.T  # (L, B, N): γ ⊙ B u_k
        a = lam.expand_as(Bu)  # (L, B, N)
        scan = self.scan
        if scan == "auto":
            scan = "sequential" if Bu.device.type == "cpu" else "parallel"
        return _SCANS[scan](a, Bu)

    def forward(self, u: Tensor) -> Tensor:
        """$y_k = \\mathrm{Re}(C x_k) + D \\odot u_k$ for `u` of shape `(B, L, H)`."""
        x = self.states(u)  # (L, B, N)
        C = torch.complex(self.C_re, self.C_im)
        y = (x @ C.T).real.transpose(0, 1)  # (B, L, H)
        return y + self.D * u
