"""Multiplicative interactions against independent references: a linear layer on the
concatenation, `torch.nn.Bilinear`, hand-written FiLM and polynomial formulas, the closed form
for $x z$, and finite differences."""

from __future__ import annotations

import torch

from refimpl import nn
from refimpl.experiments._threads import single_thread
from refimpl.functional import multiplicative_interaction

F64 = torch.float64


def _mi(n: int = 3, m: int = 4, k: int = 5, seed: int = 0) -> nn.MultiplicativeInteraction:
    torch.manual_seed(seed)
    return nn.MultiplicativeInteraction(n, m, k, dtype=F64)


def _inputs(n: int = 3, m: int = 4, batch: int = 7) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(1)
    return torch.randn(batch, n, generator=g, dtype=F64), torch.randn(
        batch, m, generator=g, dtype=F64
    )


def test_matches_the_einsum_definition() -> None:
    mi = _mi()
    x, z = _inputs()
    w, u, v, b = mi.weight, mi.weight_z, mi.weight_x, mi.bias
    expected = torch.einsum("bj,cji,bi->bc", z, w, x) + z @ u.T + x @ v.T + b
    torch.testing.assert_close(mi(x, z), expected, rtol=1e-12, atol=1e-12)


def test_without_the_three_way_term_it_is_a_linear_layer_on_the_concatenation() -> None:
    mi = _mi()
    x, z = _inputs()
    with torch.no_grad():
        mi.weight.zero_()
    linear = torch.nn.Linear(3 + 4, 5, dtype=F64)
    with torch.no_grad():
        linear.weight.copy_(torch.cat([mi.weight_x, mi.weight_z], dim=1))  # [V, U]
        linear.bias.copy_(mi.bias)
    torch.testing.assert_close(mi(x, z), linear(torch.cat([x, z], dim=-1)), rtol=1e-12, atol=1e-12)


def test_without_the_additive_terms_it_is_torch_bilinear() -> None:
    mi = _mi()
    x, z = _inputs()
    with torch.no_grad():
        mi.weight_z.zero_()
        mi.weight_x.zero_()
    bilinear = torch.nn.Bilinear(4, 3, 5, dtype=F64)  # input1 = z, input2 = x
    with torch.no_grad():
        bilinear.weight.copy_(mi.weight)
        bilinear.bias.copy_(mi.bias)
    torch.testing.assert_close(mi(x, z), bilinear(z, x), rtol=1e-12, atol=1e-12)


def test_diagonal_three_way_tensor_is_film() -> None:
    # FiLM: f = γ(z) ⊙ x + β(z) with γ(z) = A z + c and β(z) = B z + d.
    n, m = 3, 4
    g = torch.Generator().manual_seed(2)
    a, bmat = torch.randn(n, m, generator=g, dtype=F64), torch.randn(n, m, generator=g, dtype=F64)
    c, d = torch.randn(n, generator=g, dtype=F64), torch.randn(n, generator=g, dtype=F64)
    mi = nn.MultiplicativeInteraction(n, m, n, dtype=F64)
    with torch.no_grad():
        # 𝕎_{c,j,i} = A_{c,j} δ_{c,i}: output c reads only x_c, scaled by (A z)_c
        mi.weight.copy_(a[:, :, None] * torch.eye(n, dtype=F64)[:, None, :])
        mi.weight_z.copy_(bmat)
        mi.weight_x.copy_(torch.diag(c))
        mi.bias.copy_(d)
    x, z = _inputs(n, m)
    film = (z @ a.T + c) * x + (z @ bmat.T + d)
    torch.testing.assert_close(mi(x, z), film, rtol=1e-12, atol=1e-12)


def test_the_hypernetwork_view_writes_the_weights_of_an_affine_map() -> None:
    mi = _mi()
    x, z = _inputs()
    w, b = mi.implicit_affine(z)
    assert w.shape == (7, 5, 3) and b.shape == (7, 5)
    for row in range(7):  # one affine map per example, applied by hand
        torch.testing.assert_close(
            mi(x[row], z[row]), w[row] @ x[row] + b[row], rtol=1e-12, atol=1e-12
        )


def test_sigma_pi_is_a_second_order_polynomial() -> None:
    torch.manual_seed(3)
    layer = nn.SigmaPi(3, 2, dtype=F64)
    x = torch.randn(5, 3, dtype=F64)
    expected = torch.zeros(5, 2, dtype=F64)
    for c in range(2):
        for i in range(3):
            expected[:, c] += layer.weight_x[c, i] * x[:, i]
            for j in range(3):
                expected[:, c] += layer.weight[c, i, j] * x[:, i] * x[:, j]
        expected[:, c] += layer.bias[c]
    torch.testing.assert_close(layer(x), expected, rtol=1e-12, atol=1e-12)


def test_one_unit_represents_the_product_exactly() -> None:
    # closed form: 𝕎 = 1, U = V = b = 0 gives f(x, z) = x z on every input
    mi = nn.MultiplicativeInteraction(1, 1, 1, dtype=F64)
    with torch.no_grad():
        mi.weight.fill_(1.0)
        mi.weight_z.zero_()
        mi.weight_x.zero_()
        mi.bias.zero_()
    x, z = torch.rand(200, 1, dtype=F64) * 2 - 1, torch.rand(200, 1, dtype=F64) * 2 - 1
    assert torch.equal(mi(x, z), x * z)


def test_a_small_relu_mlp_is_piecewise_linear_and_cannot_fit_the_product() -> None:
    # x z has mixed second difference h² on every square of side h; a ReLU network is
    # piecewise linear, so its mixed difference vanishes on every square no kink crosses.
    torch.manual_seed(0)
    grid = torch.linspace(-1, 1, 33, dtype=F64)
    xx, zz = torch.meshgrid(grid, grid, indexing="ij")
    inputs, target = torch.stack([xx, zz], -1).reshape(-1, 2), (xx * zz).reshape(-1, 1)
    mlp = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1)).to(F64)
    opt = torch.optim.Adam(mlp.parameters(), lr=0.05)
    with single_thread():  # a tiny problem: threads only add overhead
        for _ in range(400):
            opt.zero_grad()
            loss = ((mlp(inputs) - target) ** 2).mean()
            loss.backward()
            opt.step()
    with torch.no_grad():
        f = mlp(inputs).reshape(33, 33)

    def mixed(g: torch.Tensor) -> torch.Tensor:
        return g[1:, 1:] - g[1:, :-1] - g[:-1, 1:] + g[:-1, :-1]

    h = grid[1] - grid[0]
    torch.testing.assert_close(mixed(xx * zz), torch.full((32, 32), h.item() ** 2, dtype=F64))
    # most squares see no kink: the MLP is affine there, and cannot equal x z on them
    assert (mixed(f).abs() < 1e-12).double().mean() > 0.5
    assert loss.item() > 1e-3  # so the fit stays far from exact


def test_gradients_match_finite_differences() -> None:
    mi = _mi(2, 3, 2)
    x, z = _inputs(2, 3, batch=3)
    x.requires_grad_(True)
    z.requires_grad_(True)
    params = (mi.weight, mi.weight_z, mi.weight_x, mi.bias)
    assert torch.autograd.gradcheck(multiplicative_interaction, (x, z, *params))
    layer = nn.SigmaPi(2, 2, dtype=F64)
    assert torch.autograd.gradcheck(layer, (x,))


def test_two_mi_units_represent_the_experiment_target_exactly() -> None:
    # the page's construction: 𝕎 = ±I, U = V = b = 0, read-out (1, 1): ReLU(u) + ReLU(-u) = |u|
    from refimpl.experiments.multiplicative import MINet, conditional_task

    net = MINet(2).double()
    with torch.no_grad():
        for p in net.parameters():
            p.zero_()
        net.hidden.weight[0] = torch.eye(2, dtype=F64)
        net.hidden.weight[1] = -torch.eye(2, dtype=F64)
        net.readout.weight.fill_(1.0)
    x, z, y = conditional_task(500, torch.Generator().manual_seed(0))
    x, z = x.double(), z.double()
    target = (x * z).sum(-1, keepdim=True).abs()  # |zᵀx| in float64
    torch.testing.assert_close(y.double(), target, rtol=1e-6, atol=1e-6)  # the task's own y
    torch.testing.assert_close(net(x, z), target, rtol=1e-12, atol=1e-12)
