r"""RealNVP: a normalising flow built from affine coupling layers (Dinh, Sohl-Dickstein and Bengio).

A flow is an invertible map $z = f(x)$ onto a simple base density $p_Z$ (a standard Gaussian);
by the change of variables the data density is

$$
\log p_X(x) = \log p_Z\big(f(x)\big) + \log\left|\det \frac{\partial f(x)}{\partial x}\right| .
$$

An affine coupling layer keeps the coordinates selected by a binary mask $m$ and rescales and
shifts the others by functions of the kept ones,

$$
y = m\odot x + (1-m)\odot\big(x\odot e^{s(m\odot x)} + t(m\odot x)\big),
\qquad \log|\det J| = \textstyle\sum_i (1-m_i)\, s_i(m\odot x),
$$

so its Jacobian is triangular and its inverse is as cheap as its forward pass. Alternating masks
lets every coordinate be transformed. Reading list: ``dinh2017realnvp``, ``weng2021diffusion``.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

__all__ = ["AffineCoupling", "RealNVP"]


class _ScaleShiftNet(torch.nn.Module):
    """A two-hidden-layer tanh MLP returning a scale and a shift, as parameters and matmuls."""

    def __init__(self, dim: int, hidden: int) -> None:
        super().__init__()
        sizes = [(dim, hidden), (hidden, hidden), (hidden, 2 * dim)]
        self.weights = torch.nn.ParameterList(
            [torch.nn.Parameter(torch.randn(a, b) / math.sqrt(a)) for a, b in sizes]
        )
        self.biases = torch.nn.ParameterList([torch.nn.Parameter(torch.zeros(b)) for _, b in sizes])
        with torch.no_grad():
            self.weights[-1].mul_(0.01)  # start close to the identity map

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor]:
        for w, b in zip(self.weights[:-1], self.biases[:-1], strict=True):
            x = torch.tanh(x @ w + b)
        s, t = (x @ self.weights[-1] + self.biases[-1]).chunk(2, dim=-1)
        return torch.tanh(s), t  # a bounded log-scale keeps early training stable


class AffineCoupling(torch.nn.Module):
    """One affine coupling layer: the masked coordinates condition an affine map of the rest.

    Args:
        mask: a 0/1 vector of length `dim`; ones are kept, zeros are transformed.
        hidden: width of the scale-and-shift network.
    """

    def __init__(self, mask: Tensor, hidden: int = 64) -> None:
        super().__init__()
        self.register_buffer("mask", mask.float())
        self.net = _ScaleShiftNet(len(mask), hidden)

    # --8<-- [start:coupling]
    def forward(self, x: Tensor) -> tuple[Tensor, Tensor]:
        """Maps `(B, dim)` data towards the base space; returns `y` and `log|det J|` `(B,)`."""
        m = self.mask.to(x.dtype)
        s, t = self.net(m * x)
        s, t = (1 - m) * s, (1 - m) * t  # the kept coordinates are not touched
        # y = m ⊙ x + (1 − m) ⊙ (x ⊙ exp(s) + t)
        y = m * x + (1 - m) * (x * torch.exp(s) + t)
        # log|det ∂y/∂x| = Σ_i (1 − m_i) s_i  (the Jacobian is triangular)
        return y, s.sum(dim=-1)

    def inverse(self, y: Tensor) -> Tensor:
        """The exact inverse, $x = m\\odot y + (1-m)\\odot (y - t)\\,e^{-s}$.

        The kept coordinates are unchanged, so $s$ and $t$ are computed from $m\\odot y$.
        """
        m = self.mask.to(y.dtype)
        s, t = self.net(m * y)  # m ⊙ y = m ⊙ x, so s and t are the ones of the forward pass
        s, t = (1 - m) * s, (1 - m) * t
        return m * y + (1 - m) * (y - t) * torch.exp(-s)

    # --8<-- [end:coupling]


class RealNVP(torch.nn.Module):
    """A stack of affine couplings with alternating masks and a standard Gaussian base.

    Args:
        dim: data dimension (at least 2).
        num_layers: number of coupling layers.
        hidden: width of every scale-and-shift network.
    """

    def __init__(self, dim: int = 2, num_layers: int = 6, hidden: int = 64) -> None:
        super().__init__()
        base = (torch.arange(dim) % 2).float()
        self.layers = torch.nn.ModuleList(
            [AffineCoupling(base if k % 2 else 1 - base, hidden) for k in range(num_layers)]
        )
        self.dim = dim

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor]:
        """Maps data `(B, dim)` to the base space; returns `(z, log|det ∂z/∂x|)`."""
        logdet = x.new_zeros(x.shape[0])
        for layer in self.layers:
            x, ld = layer(x)
            logdet = logdet + ld
        return x, logdet

    def inverse(self, z: Tensor) -> Tensor:
        """Maps base-space points `(B, dim)` back to data space."""
        for layer in reversed(self.layers):
            z = layer.inverse(z)
        return z

    def log_prob(self, x: Tensor) -> Tensor:
        """The log-density `(B,)`.

        $\\log p_X(x) = \\log\\mathcal N(f(x); 0, I) + \\log|\\det \\partial f/\\partial x|$.
        """
        z, logdet = self(x)
        log_base = -0.5 * (z**2).sum(dim=-1) - 0.5 * self.dim * math.log(2 * math.pi)
        return log_base + logdet

    def sample(self, n: int, generator: torch.Generator | None = None) -> Tensor:
        """`n` samples: Gaussian noise pushed through the inverse flow."""
        p = self.layers[0].net.biases[0]
        z = torch.randn(n, self.dim, generator=generator, dtype=p.dtype).to(p.device)
        return self.inverse(z)
