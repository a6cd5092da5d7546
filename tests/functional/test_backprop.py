"""The NumPy δ recursion gives the gradients torch.autograd computes (float64)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from refimpl.functional.backprop import ACTIVATIONS, mlp_backward, mlp_forward

TORCH_F = {
    "identity": lambda z: z,
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
}


def network(sizes: list[int], seed: int = 0):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, 1 / np.sqrt(a), (a, b)) for a, b in itertools.pairwise(sizes)]
    biases = [rng.normal(0, 0.1, b) for b in sizes[1:]]
    return weights, biases, rng


@pytest.mark.parametrize("hidden", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("sizes", [[3, 1], [3, 5, 2], [4, 6, 6, 6, 3]])
def test_delta_recursion_matches_autograd(hidden: str, sizes: list[int]) -> None:
    weights, biases, rng = network(sizes)
    x = rng.normal(size=(sizes[0], 7))  # 7 examples as columns
    target = rng.normal(size=(sizes[-1], 7))
    acts = [hidden] * (len(sizes) - 2) + ["identity"]
    cache = mlp_forward(weights, biases, x, acts)
    # J = ½ ‖a_L − y‖², so ∂J/∂a_L = a_L − y
    grads_W, grads_b = mlp_backward(weights, cache, cache.output - target)

    Ws = [torch.tensor(W, requires_grad=True) for W in weights]
    bs = [torch.tensor(b, requires_grad=True) for b in biases]
    a = torch.tensor(x)
    for W, b, name in zip(Ws, bs, acts, strict=True):
        a = TORCH_F[name](W.T @ a + b[:, None])
    np.testing.assert_allclose(cache.output, a.detach().numpy(), rtol=1e-13)
    (0.5 * ((a - torch.tensor(target)) ** 2).sum()).backward()
    for ours, ref in zip(grads_W, Ws, strict=True):
        np.testing.assert_allclose(ours, ref.grad.numpy(), rtol=1e-10, atol=1e-13)
    for ours, ref in zip(grads_b, bs, strict=True):
        np.testing.assert_allclose(ours, ref.grad.numpy(), rtol=1e-10, atol=1e-13)


def test_delta_recursion_matches_finite_differences() -> None:
    sizes = [2, 4, 1]
    weights, biases, rng = network(sizes, seed=2)
    x = rng.normal(size=(2, 5))
    acts = ["tanh", "sigmoid"]

    def loss(ws: list[np.ndarray]) -> float:
        return float(mlp_forward(ws, biases, x, acts).output.sum())

    cache = mlp_forward(weights, biases, x, acts)
    grads_W, _ = mlp_backward(weights, cache, np.ones_like(cache.output))
    eps = 1e-6
    for m, W in enumerate(weights):
        for idx in np.ndindex(W.shape):
            plus = [w.copy() for w in weights]
            minus = [w.copy() for w in weights]
            plus[m][idx] += eps
            minus[m][idx] -= eps
            fd = (loss(plus) - loss(minus)) / (2 * eps)
            assert grads_W[m][idx] == pytest.approx(fd, rel=1e-6, abs=1e-9)


def test_activation_derivatives_match_autograd() -> None:
    z = np.linspace(-6, 6, 101) + 0.01  # avoid the ReLU kink at exactly 0
    for name, (f, f_prime) in ACTIVATIONS.items():
        zt = torch.tensor(z, requires_grad=True)
        TORCH_F[name](zt).sum().backward()
        np.testing.assert_allclose(f(z), TORCH_F[name](torch.tensor(z)).numpy(), rtol=1e-12)
        np.testing.assert_allclose(f_prime(z), zt.grad.numpy(), rtol=1e-10, atol=1e-14)
