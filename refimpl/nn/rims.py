r"""Recurrent Independent Mechanisms (Goyal et al. 2021): modules that compete to update.

The hidden state is split into $n$ modules $h_1, \dots, h_n$, each with its own recurrent cell.
At every step:

1. **Input attention.** Module $m$ queries the input augmented with a null (all-zero) row,
   $X_t = [0;\ x_t]$: $\alpha_m = \mathrm{softmax}(q_m K^\top/\sqrt{d})$ with $q_m = W^q_m h_m$,
   $K = X_t W^k$, and reads $a_m = \alpha_m X_t W^v$.
2. **Competition.** The $k$ modules that attend most to the real input (least to the null row)
   are active, $\mathcal S_t = \mathrm{top}\text{-}k_m\ \alpha_{m,1}$.
3. **Independent dynamics.** Each module runs its own cell,
   $\tilde h_m = \tanh(W^x_m a_m + W^h_m h_m + b_m)$ (the paper uses LSTM or GRU cells).
4. **Sparse communication.** Active modules attend to all modules,
   $h_m \leftarrow \tilde h_m + \mathrm{softmax}(\tilde q_m \tilde K^\top/\sqrt{d})\tilde V$ for
   $m \in \mathcal S_t$; inactive modules keep their state, $h_m \leftarrow h_m$.

Reading list: `goyal2021rims`.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from refimpl.functional.attention import softmax

__all__ = ["RIMs"]


def _per_module(n: int, fan_in: int, fan_out: int) -> nn.Parameter:
    """A stack of ``n`` weight matrices ``(n, fan_in, fan_out)``, uniform in ±1/√fan_in."""
    bound = 1.0 / math.sqrt(fan_in)
    return nn.Parameter(torch.empty(n, fan_in, fan_out).uniform_(-bound, bound))


class RIMs(nn.Module):
    r"""$n$ recurrent modules of which $k$ update per step, on ``(N, T, input_size)``.

    Args:
        input_size: the input width $D$.
        hidden_size: the state width $H$ of each module.
        num_units: $n$, the number of modules.
        k: the number of active modules per step.
        key_size: the width $d$ of queries and keys in both attentions.
        value_size: the width of the input-attention values.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_units: int = 6,
        k: int = 3,
        key_size: int = 16,
        value_size: int = 16,
    ) -> None:
        super().__init__()
        if not 0 < k <= num_units:
            raise ValueError("need 0 < k <= num_units")
        n, H, d = num_units, hidden_size, key_size
        self.num_units, self.hidden_size, self.k = n, H, k
        # input attention: shared keys and values of the input, per-module queries
        self.input_key = nn.Parameter(torch.randn(input_size, d) / math.sqrt(input_size))
        self.input_value = nn.Parameter(torch.randn(input_size, value_size) / math.sqrt(input_size))
        self.input_query = _per_module(n, H, d)
        # independent dynamics: one tanh cell per module
        self.cell_input = _per_module(n, value_size, H)
        self.cell_hidden = _per_module(n, H, H)
        self.cell_bias = nn.Parameter(torch.zeros(n, H))
        # communication attention, per-module projections
        self.comm_query = _per_module(n, H, d)
        self.comm_key = _per_module(n, H, d)
        self.comm_value = _per_module(n, H, H)

    def input_attention(self, x: Tensor, h: Tensor) -> tuple[Tensor, Tensor]:
        r"""Each module's attention over $[0;\ x]$ and what it reads.

        Args:
            x: the input ``(N, D)``.
            h: the module states ``(N, n, H)``.

        Returns:
            ``(alpha, a)``: weights ``(N, n, 2)`` (column 1 is the real input) and the read
            values ``(N, n, d_v)``.
        """
        X = torch.stack([torch.zeros_like(x), x], dim=1)  # (N, 2, D)
        K, V = X @ self.input_key, X @ self.input_value  # (N, 2, d), (N, 2, d_v)
        q = torch.einsum("bnh,nhd->bnd", h, self.input_query)  # (N, n, d)
        alpha = softmax(q @ K.transpose(1, 2) / math.sqrt(K.shape[-1]), dim=-1)  # (N, n, 2)
        return alpha, alpha @ V

    # --8<-- [start:step]
    def step(self, x: Tensor, h: Tensor) -> tuple[Tensor, Tensor]:
        """One step from input ``x`` ``(N, D)`` and states ``h`` ``(N, n, H)``.

        Returns:
            The new states ``(N, n, H)`` and the active modules ``(N, n)`` (bool).
        """
        d = self.input_key.shape[1]
        # 1. input attention over [null; x_t]
        alpha, a = self.input_attention(x, h)  # (N, n, 2), (N, n, d_v)
        # 2. competition: the k modules that attend most to the real input are active
        top = alpha[..., 1].topk(self.k, dim=1).indices  # (N, k)
        active = torch.zeros_like(alpha[..., 1], dtype=torch.bool).scatter(1, top, True)
        # 3. independent dynamics: h̃_m = tanh(W^x_m a_m + W^h_m h_m + b_m)
        pre = torch.einsum("bnv,nvh->bnh", a, self.cell_input)
        pre = pre + torch.einsum("bng,ngh->bnh", h, self.cell_hidden) + self.cell_bias
        h_new = torch.tanh(pre)  # (N, n, H)
        # 4. communication: h̃_m + softmax(q̃_m K̃ᵀ/√d) Ṽ for the active modules
        qc = torch.einsum("bnh,nhd->bnd", h_new, self.comm_query)
        kc = torch.einsum("bnh,nhd->bnd", h_new, self.comm_key)
        vc = torch.einsum("bnh,nhg->bng", h_new, self.comm_value)
        h_new = h_new + softmax(qc @ kc.transpose(1, 2) / math.sqrt(d), dim=-1) @ vc
        # inactive modules keep their state exactly
        return torch.where(active[..., None], h_new, h), active

    # --8<-- [end:step]

    def forward(self, x: Tensor, h0: Tensor | None = None) -> tuple[Tensor, Tensor, Tensor]:
        """Run over ``x`` ``(N, T, D)``.

        Args:
            x: the input sequence.
            h0: initial states ``(N, n, H)``; zeros by default.

        Returns:
            ``(outputs, h_T, active)``: the concatenated states ``(N, T, n H)``, the final
            states ``(N, n, H)`` and the active modules ``(N, T, n)``.
        """
        N, T, _ = x.shape
        h = h0 if h0 is not None else x.new_zeros(N, self.num_units, self.hidden_size)
        outputs, actives = [], []
        for t in range(T):
            h, active = self.step(x[:, t], h)
            outputs.append(h.reshape(N, -1))
            actives.append(active)
        return torch.stack(outputs, 1), h, torch.stack(actives, 1)
