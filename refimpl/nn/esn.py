r"""The echo state network, ``EchoStateNetwork``: reservoir computing with a trained readout.

A large random recurrent network (the reservoir) is driven by the input and left untrained;
its weights $W$ are rescaled to a spectral radius $\rho(W)$ below about one, so that the state
is a fading, nonlinear echo of the input history (the *echo state property*: the influence of
the initial state dies out). A linear readout is then fitted to targets by ridge regression,
in closed form. See ``refimpl.functional.esn`` for the equations. Reading list:
``jaeger2007esn``.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor, nn

from refimpl.functional.esn import esn_states, ridge_readout
from refimpl.functional.recurrent_init import with_spectral_radius

__all__ = ["EchoStateNetwork"]


class EchoStateNetwork(nn.Module):
    r"""Echo state network: fixed sparse reservoir, trainable linear readout (fitted by `fit`).

    Buffers (never trained): `weight_in` $W^{in}$ `(N, I)`, `weight` $W$ `(N, N)`. Parameters:
    `readout_weight` `(P, N)` and `readout_bias` `(P,)`, set by `fit` (or by gradient descent,
    if one prefers).

    Args:
        input_size: features $I$ of $u(n)$.
        reservoir_size: reservoir units $N$.
        output_size: features $P$ of $y(n)$.
        spectral_radius: $\rho(W)$ after rescaling.
        input_scaling: $W^{in}$ is uniform in $\pm$ this value.
        density: fraction of non-zero entries of $W$.
        leak_rate: $\alpha$; 1 means no leak.
        ridge: $\beta$ of the ridge-regression readout.
        washout: initial steps left out of `fit` (the transient from $x(0) = 0$).
        generator: random generator for the reservoir.
        device: where to create the tensors.
        dtype: their dtype.
    """

    def __init__(
        self,
        input_size: int,
        reservoir_size: int,
        output_size: int,
        spectral_radius: float = 0.9,
        input_scaling: float = 1.0,
        density: float = 0.1,
        leak_rate: float = 1.0,
        ridge: float = 1e-6,
        washout: int = 50,
        generator: torch.Generator | None = None,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        f: dict[str, Any] = {"dtype": dtype or torch.get_default_dtype()}
        N = reservoir_size
        W = torch.randn(N, N, generator=generator, **f)
        W = W * (torch.rand(N, N, generator=generator, **f) < density)  # sparse
        W_in = input_scaling * (2 * torch.rand(N, input_size, generator=generator, **f) - 1)
        self.register_buffer("weight", with_spectral_radius(W.double(), spectral_radius).to(W))
        self.register_buffer("weight_in", W_in)
        self.readout_weight = nn.Parameter(torch.zeros(output_size, N, **f))
        self.readout_bias = nn.Parameter(torch.zeros(output_size, **f))
        self.leak_rate, self.ridge, self.washout = leak_rate, ridge, washout
        self.to(device)

    def states(self, input: Tensor, x0: Tensor | None = None) -> Tensor:
        """Reservoir states `(T, B, N)` for `input` `(T, B, I)` (time-major)."""
        return esn_states(input, self.weight_in, self.weight, self.leak_rate, x0)

    def forward(self, input: Tensor, x0: Tensor | None = None) -> Tensor:
        """Outputs $y(n) = W^{out}x(n) + b$, `(T, B, P)`, for `input` `(T, B, I)`."""
        return self.states(input, x0) @ self.readout_weight.T + self.readout_bias

    @torch.no_grad()
    def fit(self, input: Tensor, target: Tensor) -> EchoStateNetwork:
        """Fit the readout by ridge regression on `input` `(T, B, I)`, `target` `(T, B, P)`."""
        x = self.states(input)[self.washout :]  # (T − washout, B, N)
        y = target[self.washout :]
        W_out, b = ridge_readout(x.reshape(-1, x.shape[-1]), y.reshape(-1, y.shape[-1]), self.ridge)
        self.readout_weight.copy_(W_out)
        self.readout_bias.copy_(b)
        return self
