"""Backward error analysis checked against closed forms, autograd and error-scaling laws.

References: the closed-form GD and flow solutions on quadratics, second-order autograd of the
modified loss written out as $L + (\\epsilon/4)\\lVert\\nabla L\\rVert^2$, and the orders of
the global (GD) and one-epoch (SGD) errors when the step size is halved.
"""

from __future__ import annotations

import math

import pytest
import torch

from refimpl.experiments import implicit_regularization as ir


def test_catalog_numbers_on_the_1d_quadratic() -> None:
    out = ir.quadratic_1d_check(a=1.0, lr=0.1, steps=50)
    assert out["gd"] == pytest.approx(0.005154, abs=1e-4)
    assert out["flow"] == pytest.approx(0.006738, abs=1e-4)
    assert out["modified_flow"] == pytest.approx(0.005248, abs=1e-4)
    # The same numbers from the generic GD loop and the RK4 integrator.
    theta0 = torch.ones(1, dtype=torch.float64)
    grad = lambda t: t  # noqa: E731
    assert ir.gd_iterates(grad, theta0, 0.1, 50)[-1].item() == pytest.approx(out["gd"], rel=1e-12)
    flow = ir.rk4_flow(grad, theta0, 5.0, 500)[-1].item()
    assert flow == pytest.approx(math.exp(-5.0), rel=1e-9)
    loss = lambda t: 0.5 * (t**2).sum()  # noqa: E731
    mod = ir.rk4_flow(lambda t: ir.modified_gradient(loss, t, 0.1), theta0, 5.0, 500)[-1].item()
    assert mod == pytest.approx(out["modified_flow"], rel=1e-9)


def _explicit_modified_loss(loss, theta: torch.Tensor, lr: float) -> torch.Tensor:
    (g,) = torch.autograd.grad(loss(theta), theta, create_graph=True)
    return loss(theta) + 0.25 * lr * (g**2).sum()


@pytest.mark.parametrize("seed", [0, 1])
def test_modified_gradient_equals_autograd_of_the_modified_loss(seed: int) -> None:
    gen = torch.Generator().manual_seed(seed)
    W = torch.randn(3, 3, generator=gen, dtype=torch.float64)

    def loss(t: torch.Tensor) -> torch.Tensor:
        return torch.log1p(torch.exp(W @ t)).sum() + 0.1 * (t**4).sum()

    theta = torch.randn(3, generator=gen, dtype=torch.float64, requires_grad=True)
    (expected,) = torch.autograd.grad(_explicit_modified_loss(loss, theta, 0.3), theta)
    torch.testing.assert_close(ir.modified_gradient(loss, theta, 0.3), expected)


def test_valley_closed_forms_match_autograd() -> None:
    def loss(t: torch.Tensor) -> torch.Tensor:
        return 0.5 * (t[0] * t[1] - 1.0) ** 2

    for point in ([1.8, -0.3], [0.4, 2.0], [-1.0, 0.7]):
        theta = torch.tensor(point, dtype=torch.float64, requires_grad=True)
        (g,) = torch.autograd.grad(loss(theta), theta)
        torch.testing.assert_close(ir.valley_grad(theta.detach()), g)
        (mg,) = torch.autograd.grad(_explicit_modified_loss(loss, theta, 0.2), theta)
        torch.testing.assert_close(ir.valley_modified_grad(0.2)(theta.detach()), mg)


def test_modified_flow_tracks_gd_to_second_order() -> None:
    _, e_flow, e_mod = ir.valley_error_scaling((0.08, 0.04, 0.02))
    ratio_flow = (e_flow[:-1] / e_flow[1:]).tolist()
    ratio_mod = (e_mod[:-1] / e_mod[1:]).tolist()
    # Halving ε halves the O(ε) error of plain flow and quarters the O(ε²) one.
    assert ratio_flow[-1] == pytest.approx(2.0, abs=0.15)
    assert ratio_mod[-1] == pytest.approx(4.0, abs=0.15)
    assert (e_mod < e_flow).all()


def test_gd_ends_at_a_flatter_minimum_than_plain_flow() -> None:
    run = ir.valley_runs()
    # Sharpness at a minimum of the valley is λ_max = x² + y².
    sharp = {k: float((getattr(run, k)[-1] ** 2).sum()) for k in ("gd", "flow", "modified_flow")}
    assert sharp["gd"] < sharp["modified_flow"] < sharp["flow"]
    assert abs(float(run.gd[-1].prod()) - 1.0) < 1e-6


def test_sgd_mean_iterate_follows_the_sgd_modified_loss() -> None:
    errs = []
    for lr in (0.1, 0.05, 0.025):
        run = ir.least_squares_sgd(lr, 1)
        errs.append(
            (
                float((run.sgd_mean[-1] - run.flow[-1]).norm()),
                float((run.sgd_mean[-1] - run.modified_flow[-1]).norm()),
            )
        )
    # After one epoch: O(ε²) from the flow of L, O(ε³) from the flow of L̃_SGD.
    assert errs[-2][0] / errs[-1][0] == pytest.approx(4.0, abs=0.5)
    assert errs[-2][1] / errs[-1][1] == pytest.approx(8.0, abs=1.0)
    assert all(mod < flow for flow, mod in errs)


def test_sgd_mean_is_the_average_over_sampled_orders() -> None:
    run = ir.least_squares_sgd(0.2, 1)
    A, b = ir._least_squares_data()
    gen = torch.Generator().manual_seed(0)
    theta0 = run.sgd_mean[0]
    ends = []
    for _ in range(4000):
        theta = theta0.clone()
        for k in torch.randperm(4, generator=gen).tolist():
            theta = theta - 0.2 * (A[k] @ theta - b[k])
        ends.append(theta)
    torch.testing.assert_close(torch.stack(ends).mean(0), run.sgd_mean[1], atol=5e-3, rtol=0)
