r"""Recurrent weight initialisations: spectral-radius scaling, orthogonal and unitary matrices.

The product of Jacobians through time, $\prod_t \mathrm{diag}(\phi'(a_t))W_{hh}$, shrinks or
grows roughly like $\rho(W_{hh})^k$, where $\rho$ is the spectral radius (largest eigenvalue
modulus). Three common starting points:

- a random matrix rescaled to a chosen spectral radius $\rho$ (echo state networks,
  Sutskever et al. 2013);
- an orthogonal matrix, $W^\top W = I$: every singular value is 1, so a *linear* recurrence
  preserves norms exactly, $\lVert W^k h\rVert = \lVert h\rVert$ (Saxe et al. 2014; Henaff et
  al. 2016);
- a unitary matrix, $W^{\mathsf H}W = I$, its complex counterpart, the state space of the
  unitary RNN (Arjovsky et al. 2016).

Random orthogonal and unitary matrices are drawn from the Haar measure by a QR decomposition of
a Gaussian matrix with the signs of $R$'s diagonal moved into $Q$ (Mezzadri 2007). Reading list:
``saxe2014``, ``henaff2016``, ``arjovsky2016``, ``sutskever2013init``.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["random_orthogonal", "random_unitary", "spectral_radius", "with_spectral_radius"]


def spectral_radius(W: Tensor) -> Tensor:
    r"""$\rho(W) = \max_i |\lambda_i(W)|$ of a square matrix."""
    return torch.linalg.eigvals(W).abs().max()


def with_spectral_radius(W: Tensor, rho: float) -> Tensor:
    r"""$W$ rescaled so that its spectral radius is $\rho$."""
    return W * (rho / spectral_radius(W)).to(W.dtype)


def _haar(A: Tensor) -> Tensor:
    Q, R = torch.linalg.qr(A)
    d = torch.diagonal(R)
    # Q ← Q diag(sign(r_ii)): makes the decomposition unique and the distribution Haar
    return Q * (d / d.abs()).unsqueeze(0)


def random_orthogonal(
    n: int, gain: float = 1.0, *, generator: torch.Generator | None = None,
    dtype: torch.dtype = torch.float32, device: torch.device | str | None = None,
) -> Tensor:  # fmt: skip
    r"""A Haar-random orthogonal matrix times `gain` (all singular values equal `gain`).

    Args:
        n: the size.
        gain: the common singular value (and spectral radius).
        generator: the random generator.
        dtype: a real dtype.
        device: where to create it.
    """
    A = torch.randn(n, n, generator=generator, dtype=dtype, device=device)
    return gain * _haar(A)


def random_unitary(
    n: int, *, generator: torch.Generator | None = None,
    dtype: torch.dtype = torch.complex64, device: torch.device | str | None = None,
) -> Tensor:  # fmt: skip
    r"""A Haar-random unitary matrix, $W^{\mathsf H}W = I$; its eigenvalues lie on the unit circle.

    Args:
        n: the size.
        generator: the random generator.
        dtype: a complex dtype.
        device: where to create it.
    """
    real = torch.randn(2, n, n, generator=generator, device=device, dtype=dtype.to_real())
    return _haar(torch.complex(real[0], real[1]).to(dtype) / 2**0.5)
