"""RealNVP: exact invertibility, and the log-determinant against the autograd Jacobian."""

from __future__ import annotations

import math

import pytest
import torch

from refimpl.nn import RealNVP


@pytest.fixture
def flow() -> RealNVP:
    torch.manual_seed(0)
    model = RealNVP(2, num_layers=6, hidden=16).double()
    with (
        torch.no_grad()
    ):  # larger output weights than at initialisation, so the map is far from identity
        for layer in model.layers:
            layer.net.weights[-1].normal_(0, 0.7)
            layer.net.biases[-1].normal_(0, 0.5)
    return model


def test_inverse_undoes_forward_and_forward_undoes_inverse(flow: RealNVP):
    x = 2 * torch.randn(200, 2, dtype=torch.float64)
    z, _ = flow(x)
    assert (z - x).abs().max() > 0.1  # not the identity
    torch.testing.assert_close(flow.inverse(z), x, rtol=0, atol=1e-12)
    torch.testing.assert_close(flow(flow.inverse(x))[0], x, rtol=0, atol=1e-12)


def test_log_determinant_equals_log_abs_det_of_the_autograd_jacobian(flow: RealNVP):
    x = torch.randn(10, 2, dtype=torch.float64)
    _, logdet = flow(x)
    for i in range(len(x)):
        J = torch.autograd.functional.jacobian(lambda v: flow(v[None])[0][0], x[i])  # (2, 2)
        torch.testing.assert_close(
            logdet[i], torch.linalg.slogdet(J).logabsdet, rtol=1e-10, atol=1e-12
        )


def test_each_coupling_has_a_triangular_jacobian(flow: RealNVP):
    x = torch.randn(2, dtype=torch.float64)
    layer = flow.layers[0]  # keeps coordinate 0 (mask 1, 0)
    J = torch.autograd.functional.jacobian(lambda v: layer(v[None])[0][0], x)
    kept = int(layer.mask.argmax())
    other = 1 - kept
    assert J[kept, other] == 0 and J[kept, kept] == 1


def test_density_integrates_to_one():
    torch.manual_seed(1)
    flow = RealNVP(2, num_layers=4, hidden=16).double()
    with torch.no_grad():
        for layer in flow.layers:
            layer.net.weights[-1].normal_(0, 0.3)
    grid = torch.linspace(-8, 8, 321, dtype=torch.float64)
    X, Y = torch.meshgrid(grid, grid, indexing="ij")
    with torch.no_grad():
        density = flow.log_prob(torch.stack([X.flatten(), Y.flatten()], dim=1)).exp()
    cell = (grid[1] - grid[0]) ** 2
    assert abs(density.sum().item() * cell - 1.0) < 2e-3


def test_log_prob_of_the_identity_flow_is_the_standard_gaussian():
    model = RealNVP(2, num_layers=2, hidden=4).double()
    with torch.no_grad():
        for layer in model.layers:
            layer.net.weights[-1].zero_()
            layer.net.biases[-1].zero_()
    x = torch.randn(7, 2, dtype=torch.float64)
    expected = -0.5 * (x**2).sum(1) - math.log(2 * math.pi)
    torch.testing.assert_close(model.log_prob(x), expected)
