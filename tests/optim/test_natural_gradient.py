"""Natural gradient, K-FAC and WoodFisher against Fishers computed by hand and exact identities."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch

from refimpl.functional import (
    categorical_output_fisher,
    kronecker_factors,
    woodfisher_inverse,
)
from refimpl.optim import KFAC, SGD, NaturalGradient, WoodFisher

DT = torch.float64


def data(N: int = 24, D: int = 3, K: int = 3, seed: int = 0):
    gen = torch.Generator().manual_seed(seed)
    X = torch.randn(N, D, generator=gen, dtype=DT)
    y = torch.randint(0, K, (N,), generator=gen)
    W = 0.5 * torch.randn(K, D, generator=gen, dtype=DT)
    return X, y, W


def softmax_closure(model: torch.nn.Module, X: torch.Tensor, y: torch.Tensor):
    def closure():
        z = model(X)
        return torch.nn.functional.cross_entropy(z, y, reduction="none"), z

    return closure


def gaussian_closure(model: torch.nn.Module, X: torch.Tensor, t: torch.Tensor):
    def closure():
        z = model(X)
        return 0.5 * ((z - t) ** 2).sum(1), z

    return closure


def linear(W: torch.Tensor, bias: torch.Tensor | None = None) -> torch.nn.Linear:
    layer = torch.nn.Linear(W.shape[1], W.shape[0], bias=bias is not None).double()
    with torch.no_grad():
        layer.weight.copy_(W)
        if bias is not None:
            layer.bias.copy_(bias)
    return layer


# --- natural gradient: Fishers by hand (NumPy) ---------------------------------------------


@pytest.mark.parametrize("fisher", ["model", "empirical"])
def test_softmax_regression_step_equals_hand_computed_fisher(fisher: str) -> None:
    X, y, W = data()
    N, D = X.shape
    K = W.shape[0]
    lr, lam = 0.5, 1e-3
    Xn, Wn = X.numpy(), W.numpy()
    z = Xn @ Wn.T
    P = np.exp(z - z.max(1, keepdims=True))
    P /= P.sum(1, keepdims=True)
    E = np.eye(K)[y.numpy()]
    # per-example gradients of cross-entropy w.r.t. W (row-major): (p − e_y) xᵀ
    G = np.stack([np.outer(P[n] - E[n], Xn[n]).reshape(-1) for n in range(N)])
    g = G.mean(0)
    if fisher == "model":
        F = sum(
            np.kron(np.diag(P[n]) - np.outer(P[n], P[n]), np.outer(Xn[n], Xn[n])) for n in range(N)
        )
        F = F / N
    else:
        F = G.T @ G / N
    expected = Wn.reshape(-1) - lr * np.linalg.solve(F + lam * np.eye(K * D), g)

    model = linear(W)
    opt = NaturalGradient(model.parameters(), lr=lr, damping=lam, fisher=fisher)
    loss = opt.step(softmax_closure(model, X, y))
    np.testing.assert_allclose(model.weight.detach().numpy().reshape(-1), expected, rtol=1e-10)
    assert loss.item() == pytest.approx(torch.nn.functional.cross_entropy(X @ W.T, y).item())


def test_gaussian_fisher_is_input_covariance() -> None:
    X, _, W = data(N=30, D=4, K=2)
    t = torch.randn(30, 2, dtype=DT, generator=torch.Generator().manual_seed(5))
    model = linear(W)
    lr, var = 0.3, 2.0
    opt = NaturalGradient(
        model.parameters(), lr=lr, damping=0.0, likelihood="gaussian", variance=var
    )
    opt.step(gaussian_closure(model, X, t))
    # F = I ⊗ XᵀX / (Nσ²): the natural step solves least squares (scaled by lr·σ²)
    Xn, Wn, tn = X.numpy(), W.numpy(), t.numpy()
    g = ((Xn @ Wn.T - tn).T @ Xn) / 30
    F_in = Xn.T @ Xn / (30 * var)
    expected = Wn - lr * np.linalg.solve(F_in, g.T).T
    np.testing.assert_allclose(model.weight.detach().numpy(), expected, rtol=1e-10)


class Reparametrised(torch.nn.Module):
    """A 3-4-2 tanh MLP whose flat parameter vector is θ = B φ (B = I: the plain model)."""

    def __init__(self, theta: torch.Tensor, B: torch.Tensor) -> None:
        super().__init__()
        self.B = B
        self.phi = torch.nn.Parameter(torch.linalg.solve(B, theta))

    def theta(self) -> torch.Tensor:
        return self.B @ self.phi

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        th = self.theta()
        W1, b1 = th[:12].view(4, 3), th[12:16]
        W2, b2 = th[16:24].view(2, 4), th[24:26]
        return torch.tanh(X @ W1.T + b1) @ W2.T + b2


def test_natural_gradient_is_invariant_to_linear_reparametrisation() -> None:
    gen = torch.Generator().manual_seed(3)
    X = torch.randn(40, 3, generator=gen, dtype=DT)
    t = torch.randn(40, 2, generator=gen, dtype=DT)
    theta0 = 0.5 * torch.randn(26, generator=gen, dtype=DT)
    B = torch.randn(26, 26, generator=gen, dtype=DT) + 3 * torch.eye(26, dtype=DT)
    plain = Reparametrised(theta0, torch.eye(26, dtype=DT))
    reparam = Reparametrised(theta0, B)
    for m in (plain, reparam):
        opt = NaturalGradient(m.parameters(), lr=0.1, damping=0.0, likelihood="gaussian")
        opt.step(gaussian_closure(m, X, t))
    # Δθ = B Δφ: the same step in function space (F here has condition number ~1e6)
    step = plain.theta().detach() - theta0
    torch.testing.assert_close(reparam.theta().detach() - theta0, step, rtol=1e-8, atol=1e-9)
    assert step.norm() > 0.1
    # gradient descent is not invariant
    plain, reparam = Reparametrised(theta0, torch.eye(26, dtype=DT)), Reparametrised(theta0, B)
    for m in (plain, reparam):
        opt = SGD(m.parameters(), lr=0.01)
        opt.zero_grad()
        gaussian_closure(m, X, t)()[0].mean().backward()
        opt.step()
    assert (reparam.theta() - plain.theta()).norm() > 1e-3


# --- K-FAC: exact where the Kronecker factorisation is exact ------------------------------


@pytest.mark.parametrize(
    ("likelihood", "fisher", "N"),
    [("gaussian", "model", 20), ("categorical", "model", 1), ("categorical", "empirical", 1)],
)
def test_kfac_equals_exact_natural_gradient_where_factorisation_is_exact(
    likelihood: str, fisher: str, N: int
) -> None:
    """One linear layer: with a Gaussian output G = I/σ² does not depend on x, and with a single
    example E[aaᵀ ⊗ ggᵀ] = aaᵀ ⊗ ggᵀ; in both cases F = A ⊗ G exactly."""
    X, y, W = data(N=N, D=3, K=3, seed=N)
    b = torch.linspace(-0.2, 0.3, 3, dtype=DT)
    t = torch.randn(N, 3, dtype=DT, generator=torch.Generator().manual_seed(9))
    ref, ours = linear(W, b), linear(W, b)
    make = gaussian_closure if likelihood == "gaussian" else softmax_closure
    target = t if likelihood == "gaussian" else y
    kw = {"lr": 0.7, "damping": 1e-2, "fisher": fisher, "likelihood": likelihood}
    ng = NaturalGradient(ref.parameters(), **kw)
    kfac = KFAC(ours, **kw)
    for _ in range(3):
        ng.step(make(ref, X, target))
        kfac.step(make(ours, X, target))
    torch.testing.assert_close(ours.weight, ref.weight, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(ours.bias, ref.bias, rtol=1e-10, atol=1e-12)


def test_kfac_factors_of_an_mlp() -> None:
    """A = E[āāᵀ] of each layer's input; G of the last layer = E[Λ] for a softmax output."""
    gen = torch.Generator().manual_seed(1)
    X = torch.randn(16, 3, generator=gen, dtype=DT)
    y = torch.randint(0, 4, (16,), generator=gen)
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 4)
    ).double()
    start = copy.deepcopy(model)
    opt = KFAC(model, lr=0.1, damping=1e-2)
    opt.step(softmax_closure(model, X, y))
    a1 = torch.cat([X, torch.ones(16, 1, dtype=DT)], 1)
    z = start(X).detach()
    u = torch.stack(
        [
            torch.softmax(z, 1)[:, k : k + 1].sqrt()
            * (torch.eye(4, dtype=DT)[k] - torch.softmax(z, 1))
            for k in range(4)
        ]
    )
    A, G = kronecker_factors(a1, u)
    torch.testing.assert_close(A, a1.T @ a1 / 16)
    torch.testing.assert_close(G, categorical_output_fisher(z).mean(0))
    # the step moved both layers and the loss went down
    assert not torch.equal(model[0].weight, start[0].weight)
    after = torch.nn.functional.cross_entropy(model(X), y)
    assert after < torch.nn.functional.cross_entropy(start(X), y)


def test_kfac_rejects_models_with_other_parameters() -> None:
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.LayerNorm(2))
    with pytest.raises(ValueError, match="Linear layers only"):
        KFAC(model)


# --- WoodFisher ------------------------------------------------------------------------------


@pytest.mark.parametrize(("N", "d", "lam"), [(1, 3, 0.1), (10, 6, 1e-3), (50, 8, 1.0)])
def test_woodfisher_recursion_equals_the_damped_inverse(N: int, d: int, lam: float) -> None:
    G = torch.randn(N, d, dtype=DT, generator=torch.Generator().manual_seed(N))
    expected = np.linalg.inv(lam * np.eye(d) + G.numpy().T @ G.numpy() / N)
    got = woodfisher_inverse(G, lam).numpy()
    assert np.abs(got - expected).max() <= 1e-12 * np.abs(expected).max()


def test_woodfisher_step_equals_empirical_natural_gradient() -> None:
    X, y, W = data(N=12)
    ref, ours = linear(W), linear(W)
    NaturalGradient(ref.parameters(), lr=0.5, damping=0.05, fisher="empirical").step(
        softmax_closure(ref, X, y)
    )
    closure = softmax_closure(ours, X, y)
    WoodFisher(ours.parameters(), lr=0.5, damping=0.05).step(lambda: closure()[0])
    torch.testing.assert_close(ours.weight, ref.weight, rtol=1e-10, atol=1e-12)


def test_closures_are_required_and_validated() -> None:
    w = torch.nn.Parameter(torch.zeros(2, dtype=DT))
    for opt in (NaturalGradient([w]), WoodFisher([w])):
        with pytest.raises(RuntimeError, match="closure"):
            opt.step()
    with pytest.raises(ValueError, match="per-example"):
        WoodFisher([w]).step(lambda: (w**2).sum())
    with pytest.raises(ValueError):
        WoodFisher([w], damping=0.0)
    with pytest.raises(ValueError, match="outputs"):
        NaturalGradient([w]).step(lambda: w**2)


def test_sherman_morrison_identity_behind_the_recursion() -> None:
    gen = torch.Generator().manual_seed(7)
    A = torch.randn(5, 5, generator=gen, dtype=DT) + 5 * torch.eye(5, dtype=DT)
    u, v = torch.randn(5, generator=gen, dtype=DT), torch.randn(5, generator=gen, dtype=DT)
    Ai = torch.linalg.inv(A)
    sm = Ai - torch.outer(Ai @ u, v @ Ai) / (1 + v @ Ai @ u)
    torch.testing.assert_close(sm, torch.linalg.inv(A + torch.outer(u, v)), rtol=1e-10, atol=1e-12)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("name", ["model", "empirical", "kfac", "woodfisher"])
def test_fisher_optimizers_on_cuda_match_cpu(name: str) -> None:
    X, y, W = data(N=16)
    b = torch.zeros(3, dtype=DT)
    results = []
    for device in ("cpu", "cuda"):
        model = linear(W, b).to(device)
        Xd, yd = X.to(device), y.to(device)
        if name == "kfac":
            opt = KFAC(model, lr=0.5, damping=1e-2)
        elif name == "woodfisher":
            opt = WoodFisher(model.parameters(), lr=0.5, damping=1e-2)
        else:
            opt = NaturalGradient(model.parameters(), lr=0.5, damping=1e-2, fisher=name)
        closure = softmax_closure(model, Xd, yd)
        for _ in range(3):
            opt.step((lambda c=closure: c()[0]) if name == "woodfisher" else closure)
        results.append(model.weight.detach().cpu())
    torch.testing.assert_close(results[1], results[0], rtol=1e-9, atol=1e-12)
