"""`EchoStateNetwork`: the echo state property, the ridge readout, and a memory task.

- the reservoir has the requested spectral radius;
- echo state property: from two different initial states, the same input drives the states
  together (ρ = 0.9); with a large spectral radius and weak input they stay apart;
- `ridge_readout` equals the least-squares solution of the augmented system
  [X 1; √β I 0] w = [y; 0] computed by `numpy.linalg.lstsq`;
- a fitted ESN recalls its input 5 steps back (R² > 0.9 on held-out data).
"""

from __future__ import annotations

import numpy as np
import torch

from refimpl.functional import ridge_readout, spectral_radius
from refimpl.nn import EchoStateNetwork

F64 = torch.float64


def test_reservoir_has_the_requested_spectral_radius():
    esn = EchoStateNetwork(
        1, 80, 1, spectral_radius=0.7, generator=torch.Generator().manual_seed(0)
    )
    torch.testing.assert_close(spectral_radius(esn.weight.double()).float(), torch.tensor(0.7))


def state_gap(rho: float, input_scaling: float) -> float:
    gen = torch.Generator().manual_seed(1)
    esn = EchoStateNetwork(1, 100, 1, spectral_radius=rho, input_scaling=input_scaling,
                           density=0.2, generator=gen, dtype=F64)  # fmt: skip
    u = torch.rand(300, 1, 1, generator=gen, dtype=F64) - 0.5
    x0 = torch.rand(2, 100, generator=gen, dtype=F64) * 2 - 1
    a = esn.states(u, x0[:1])
    b = esn.states(u, x0[1:])
    return (a[-1] - b[-1]).norm().item()


def test_echo_state_property():
    assert state_gap(0.9, 0.5) < 1e-8  # the initial state is forgotten
    assert state_gap(3.0, 0.05) > 1e-2  # a strongly recurrent reservoir keeps its own dynamics


def test_ridge_readout_matches_least_squares():
    gen = torch.Generator().manual_seed(2)
    X = torch.randn(200, 6, generator=gen, dtype=F64)
    Y = torch.randn(200, 2, generator=gen, dtype=F64)
    beta = 0.3
    W, b = ridge_readout(X, Y, beta)
    A = np.block([[X.numpy(), np.ones((200, 1))], [np.sqrt(beta) * np.eye(6), np.zeros((6, 1))]])
    rhs = np.vstack([Y.numpy(), np.zeros((6, 2))])
    sol = np.linalg.lstsq(A, rhs, rcond=None)[0]  # (7, 2): W^T stacked on b
    np.testing.assert_allclose(W.numpy(), sol[:6].T, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(b.numpy(), sol[6], rtol=1e-10, atol=1e-12)


def test_esn_recalls_a_delayed_input():
    gen = torch.Generator().manual_seed(3)
    esn = EchoStateNetwork(1, 100, 1, spectral_radius=0.9, input_scaling=0.5, generator=gen,
                           dtype=F64)  # fmt: skip
    u = torch.rand(1200, 1, 1, generator=gen, dtype=F64) - 0.5
    target = torch.roll(u, 5, dims=0)  # y(n) = u(n − 5)
    esn.fit(u[:800], target[:800])
    with torch.no_grad():
        y = esn(u)[850:]
    residual = ((y - target[850:]) ** 2).sum()
    total = ((target[850:] - target[850:].mean()) ** 2).sum()
    assert 1 - residual / total > 0.9
