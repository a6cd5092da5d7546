"""Natural-gradient experiments: paths coincide across parametrisations, GD's do not."""

from __future__ import annotations

import numpy as np
import torch

from refimpl.experiments import natural_gradient as ng


def test_natural_gradient_paths_coincide_gradient_descent_paths_differ() -> None:
    paths = {p.name: p.iterates for p in ng.reparametrisation_paths()}
    np.testing.assert_allclose(
        paths["natural gradient in φ, w = Bφ"], paths["natural gradient in w"], rtol=1e-9, atol=1e-9
    )
    gd_gap = np.abs(paths["gradient descent in φ, w = Bφ"] - paths["gradient descent in w"]).max()
    assert gd_gap > 1.0


def test_gradient_descent_path_is_the_formula() -> None:
    """GD in φ, mapped to w, is w ← w − γ B Bᵀ ∇_w L (the gradient computed here by hand)."""
    X, y = ng.logistic_data()
    B = np.array(ng.REPARAM_B)
    path = {p.name: p.iterates for p in ng.reparametrisation_paths()}[
        "gradient descent in φ, w = Bφ"
    ]
    Xn, yn = X.numpy(), y.numpy()
    w = path[0].copy()
    for t in range(1, 4):
        p1 = 1 / (1 + np.exp(-(Xn @ w)))
        grad = Xn.T @ (p1 - yn) / len(yn)
        w = w - 1.0 * B @ B.T @ grad
        np.testing.assert_allclose(path[t], w, rtol=1e-10)


def test_logistic_loss_is_the_cross_entropy() -> None:
    X, y = ng.logistic_data()
    w = torch.tensor([0.3, -0.7], dtype=torch.float64)
    logits = torch.stack([torch.zeros(len(y), dtype=w.dtype), X @ w], 1)
    torch.testing.assert_close(
        ng.logistic_loss(w, X, y), torch.nn.functional.cross_entropy(logits, y, reduction="none")
    )


def test_fisher_methods_beat_gradient_descent_on_the_classifier() -> None:
    curves = {c.name: c.losses for c in ng.classifier_curves()}
    gd = next(v for k, v in curves.items() if k.startswith("gradient descent"))
    for name, losses in curves.items():
        assert losses[0] == gd[0]  # same start
        if name.startswith("gradient descent"):
            continue
        assert losses[-1] < 0.6 * gd[-1], name
