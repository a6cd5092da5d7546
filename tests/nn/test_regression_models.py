"""Polynomial regression, k-NN and the deep linear network against independent references."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.spatial import cKDTree

from refimpl.nn import DeepLinearNetwork, KNeighborsClassifier, PolynomialRegression


@pytest.mark.parametrize("degree", [1, 2, 5])
def test_polynomial_fit_matches_polyfit(degree: int) -> None:
    rng = np.random.default_rng(degree)
    x, y = rng.uniform(-1, 1, 30), rng.normal(size=30)
    model = PolynomialRegression(degree, dtype=torch.float64).fit(torch.tensor(x), torch.tensor(y))
    expected = np.polynomial.polynomial.polyfit(x, y, degree)
    np.testing.assert_allclose(model.coefficients().numpy(), expected, rtol=1e-8, atol=1e-10)
    with torch.no_grad():
        np.testing.assert_allclose(
            model(torch.tensor(x)).numpy(),
            np.polynomial.polynomial.polyval(x, expected),
            atol=1e-10,
        )


def test_degree_nine_interpolates_ten_points() -> None:
    x = torch.linspace(-1, 1, 10, dtype=torch.float64)
    y = (
        1.6 * x
        + 1.05
        + 0.3 * torch.randn(10, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    )
    model = PolynomialRegression(9, dtype=torch.float64).fit(x, y)
    with torch.no_grad():
        torch.testing.assert_close(model(x), y, atol=1e-8, rtol=0)


def test_knn_matches_kd_tree_vote() -> None:
    rng = np.random.default_rng(0)
    x_train, y_train = rng.normal(size=(100, 3)), rng.integers(0, 3, 100)
    queries = rng.normal(size=(40, 3))
    k = 7
    knn = KNeighborsClassifier(k, 3).fit(torch.tensor(x_train), torch.tensor(y_train))
    _, idx = cKDTree(x_train).query(queries, k=k)
    counts = np.stack([np.bincount(y_train[i], minlength=3) for i in idx])
    np.testing.assert_array_equal(knn.vote_counts(torch.tensor(queries)).numpy(), counts)
    # argmax of the counts, ties to the smallest label
    np.testing.assert_array_equal(knn(torch.tensor(queries)).numpy(), counts.argmax(1))


def test_knn_one_neighbour_memorises_and_state_dict_carries_the_data() -> None:
    x = torch.randn(20, 2, dtype=torch.float64)
    y = torch.arange(20) % 2
    knn = KNeighborsClassifier(1, 2).fit(x, y)
    assert torch.equal(knn(x), y)  # zero training error: the data are the model
    fresh = KNeighborsClassifier(1, 2)
    fresh.load_state_dict(knn.state_dict())
    assert torch.equal(fresh(x), y)


def test_deep_linear_is_the_product_of_its_layers() -> None:
    net = DeepLinearNetwork([3, 4, 5, 2], dtype=torch.float64)
    W = net.layers[2].weight @ net.layers[1].weight @ net.layers[0].weight
    x = torch.randn(6, 3, dtype=torch.float64)
    torch.testing.assert_close(net(x), x @ W.T)
    torch.testing.assert_close(net.end_to_end(), W)
    with pytest.raises(ValueError):
        DeepLinearNetwork([3])
