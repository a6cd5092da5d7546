"""`S4D` and `LRU`: two views of one model, and the LRU against the paper's forward pass.

- `S4D`'s convolutional forward (FFT) equals its recurrent forward for every discretisation,
  and its kernel equals the general `ssm_kernel` of the equivalent block-diagonal real system;
- `LRU` equals a NumPy loop written from the JAX reference code of Orvieto et al. (2023,
  appendix A); its chunked, parallel and sequential scans agree; the ring initialisation puts |λ| in
  [r_min, r_max] and the phases in [0, max_phase].
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from refimpl.functional import ssm_kernel
from refimpl.nn import LRU, S4D

F64 = torch.float64
TOL = {"rtol": 1e-10, "atol": 1e-12}


@pytest.mark.parametrize("method", ["euler", "zoh", "bilinear"])
def test_s4d_convolution_equals_recurrence(method):
    torch.manual_seed(0)
    layer = S4D(3, d_state=8, method=method, dt_min=0.01, dt_max=0.2).double()
    u = torch.randn(2, 40, 3, dtype=F64)
    torch.testing.assert_close(layer(u), layer.forward_recurrent(u), **TOL)


def test_s4d_kernel_equals_the_general_kernel():
    """Each complex mode and its conjugate as a real 2×2 block: the same kernel."""
    torch.manual_seed(1)
    layer = S4D(1, d_state=6, method="zoh").double()
    a_bar, b_bar, C = (t[0].detach() for t in layer.discrete())  # (N/2,) each
    # a complex mode z ↦ a z acts on (Re z, Im z) as [[Re a, −Im a], [Im a, Re a]]
    blocks = [torch.tensor([[a.real, -a.imag], [a.imag, a.real]]) for a in a_bar]
    A_bar = torch.block_diag(*blocks)
    B_bar = torch.stack([b_bar.real, b_bar.imag], dim=1).reshape(-1, 1)
    # 2 Re(c z) = 2 (Re c Re z − Im c Im z)
    C_real = 2 * torch.stack([C.real, -C.imag], dim=1).reshape(1, -1)
    K = ssm_kernel(A_bar, B_bar, C_real, 30)[:, 0, 0]
    torch.testing.assert_close(layer.kernel(30)[0].detach(), K, **TOL)


def paper_lru_forward(p: dict[str, np.ndarray], u: np.ndarray) -> np.ndarray:
    """Orvieto et al. (2023), appendix A, `forward_LRU`, with a loop for the scan."""
    lam = np.exp(-np.exp(p["nu_log"]) + 1j * np.exp(p["theta_log"]))
    B_norm = (p["B_re"] + 1j * p["B_im"]) * np.exp(p["gamma_log"])[:, None]
    C = p["C_re"] + 1j * p["C_im"]
    x = np.zeros(lam.shape, dtype=complex)
    ys = []
    for u_k in u:
        x = lam * x + B_norm @ u_k
        ys.append((C @ x).real + p["D"] * u_k)
    return np.stack(ys)


@pytest.mark.parametrize("scan", ["chunked", "parallel", "sequential"])
def test_lru_matches_the_papers_forward(scan):
    torch.manual_seed(2)
    layer = LRU(4, 6, r_min=0.5, r_max=0.99, scan=scan).double()
    u = torch.randn(3, 25, 4, dtype=F64)
    params = {k: v.detach().numpy() for k, v in layer.named_parameters()}
    expected = np.stack([paper_lru_forward(params, u[b].numpy()) for b in range(3)])
    np.testing.assert_allclose(layer(u).detach().numpy(), expected, rtol=1e-10, atol=1e-12)


def test_lru_ring_initialisation():
    torch.manual_seed(3)
    layer = LRU(2, 2000, r_min=0.4, r_max=0.9, max_phase=math.pi / 5).double()
    lam = layer.eigenvalues().detach()
    assert lam.abs().min() >= 0.4 - 1e-12
    assert lam.abs().max() <= 0.9 + 1e-12
    assert torch.angle(lam).min() >= 0 and torch.angle(lam).max() <= math.pi / 5 + 1e-12
    # uniform on the ring's area: |λ|² is uniform on [r_min², r_max²]
    r2 = (lam.abs() ** 2).numpy()
    assert abs(r2.mean() - (0.16 + 0.81) / 2) < 0.02
    # γ starts at √(1 − |λ|²)
    gamma = torch.sqrt(1 - lam.abs() ** 2)
    torch.testing.assert_close(torch.exp(layer.gamma_log), gamma, rtol=1e-6, atol=0)  # float32 init
