"""Exact relations between the slides' forms and torch.optim's, and first steps by hand.

- EMA momentum with learning rate γ takes heavy-ball steps with learning rate γ(1 − α);
- torch's SGD(momentum=α, dampening=α) is the EMA form started from V_0 = g_1 instead of 0;
- the slides' "~Adam" with ε = 0 is torch's Adam (ε = 0) under the learning-rate schedule
  (1 − α^t)/√(1 − β^t), i.e. Adam minus its bias corrections;
- RMSprop is Adam with β1 = 0 under the schedule √(1 − β^t) (Adam's bias correction);
- SlideRMSprop is SlideAdam with α = 0; AdamW is Adam with decoupled decay.
"""

from __future__ import annotations

import copy
import math

import pytest
import torch

from refimpl import optim
from refimpl.functional import adadelta_step, adagrad_step, ema_momentum_step

from .test_optimizer_contract import assert_params_close, make_problem, run

STEPS = 50


def lambda_schedule(opt: torch.optim.Optimizer, factor) -> torch.optim.lr_scheduler.LambdaLR:
    """Multiply the base learning rate on step t (1-based) by ``factor(t)``."""
    return torch.optim.lr_scheduler.LambdaLR(opt, lambda epoch: factor(epoch + 1))


def run_scheduled(model, loss_fn, opt, sched, steps: int = STEPS) -> None:
    for _ in range(steps):
        run(model, loss_fn, opt, 1)
        sched.step()


@pytest.mark.parametrize("alpha", [0.5, 0.9])
def test_torch_dampened_sgd_is_ema_momentum_started_at_first_gradient(alpha: float) -> None:
    model, loss_fn = make_problem()
    ref_model = copy.deepcopy(model)
    ref = torch.optim.SGD(ref_model.parameters(), lr=0.1, momentum=alpha, dampening=alpha)
    run(ref_model, loss_fn, ref, STEPS)
    params = list(model.parameters())
    velocities: list[torch.Tensor] | None = None
    for _ in range(STEPS):
        for p in params:
            p.grad = None
        loss_fn(model).backward()
        with torch.no_grad():
            if velocities is None:
                # V_0 = g_1, so that V_1 = α g_1 + (1 − α) g_1 = g_1 = torch's buf_1
                velocities = [p.grad.clone() for p in params]
            ema_momentum_step(params, [p.grad for p in params], velocities, lr=0.1, alpha=alpha)
    assert_params_close(model, ref_model)


def test_ema_momentum_first_step_is_smaller_by_one_minus_alpha() -> None:
    alpha, lr = 0.9, 0.1
    theta = torch.nn.Parameter(torch.tensor([1.0], dtype=torch.float64))
    twin = torch.nn.Parameter(theta.detach().clone())
    ours = optim.EMAMomentum([theta], lr=lr, alpha=alpha)
    torch_form = torch.optim.SGD([twin], lr=lr, momentum=alpha, dampening=alpha)
    for p, opt in ((theta, ours), (twin, torch_form)):
        (p**2).sum().backward()  # ∇ = 2θ = 2
        opt.step()
    # V_1 = (1 − α) g_1 (ours) vs buf_1 = g_1 (torch)
    assert 1 - theta.item() == pytest.approx((1 - alpha) * (1 - twin.item()), rel=1e-14)


@pytest.mark.parametrize(("alpha", "beta"), [(0.9, 0.999), (0.5, 0.9)])
def test_slide_adam_is_adam_without_bias_correction(alpha: float, beta: float) -> None:
    model, loss_fn = make_problem()
    ref_model = copy.deepcopy(model)
    ours = optim.SlideAdam(model.parameters(), lr=1e-2, alpha=alpha, beta=beta, eps=0.0)
    adam = torch.optim.Adam(ref_model.parameters(), lr=1e-2, betas=(alpha, beta), eps=0.0)
    # Adam's step is γ (m/(1−αᵗ)) / √(v/(1−βᵗ)): undo both corrections through the schedule
    sched = lambda_schedule(adam, lambda t: (1 - alpha**t) / math.sqrt(1 - beta**t))
    run(model, loss_fn, ours, STEPS)
    run_scheduled(ref_model, loss_fn, adam, sched)
    assert_params_close(model, ref_model)


@pytest.mark.parametrize("rmsprop", [torch.optim.RMSprop, optim.RMSprop])
def test_rmsprop_is_adam_with_beta1_zero_up_to_bias_correction(rmsprop: type) -> None:
    beta = 0.9
    model, loss_fn = make_problem()
    ref_model = copy.deepcopy(model)
    opt = rmsprop(model.parameters(), lr=1e-2, alpha=beta, eps=0.0)
    # Adam with β1 = 0 has m̂ = g and divides by √(v/(1−βᵗ)): RMSprop with lr γ√(1−βᵗ)
    sched = lambda_schedule(opt, lambda t: math.sqrt(1 - beta**t))
    adam = torch.optim.Adam(ref_model.parameters(), lr=1e-2, betas=(0.0, beta), eps=0.0)
    run_scheduled(model, loss_fn, opt, sched)
    run(ref_model, loss_fn, adam, STEPS)
    # Adam forms m = β1 m + (1 − β1) g by lerp, which at β1 = 0 reproduces g only up to rounding;
    # normalised steps amplify those 1e-16 differences to about 1e-9 over 50 steps
    assert_params_close(model, ref_model, rtol=1e-7)


def test_slide_rmsprop_is_slide_adam_with_alpha_zero() -> None:
    model, loss_fn = make_problem()
    ref_model = copy.deepcopy(model)
    run(model, loss_fn, optim.SlideRMSprop(model.parameters(), lr=1e-2, beta=0.9, eps=1e-3), STEPS)
    twin = optim.SlideAdam(ref_model.parameters(), lr=1e-2, alpha=0.0, beta=0.9, eps=1e-3)
    run(ref_model, loss_fn, twin, STEPS)
    assert_params_close(model, ref_model)
    assert all(set(s) == {"square_avg"} for s in twin.state.values())


def test_slide_rmsprop_eps_inside_the_root_differs_from_torch() -> None:
    """ε inside the root changes the trajectory (so the ε = 0 agreement is not vacuous)."""
    model, loss_fn = make_problem()
    ref_model = copy.deepcopy(model)
    run(model, loss_fn, optim.SlideRMSprop(model.parameters(), lr=1e-2, eps=1e-4), 5)
    run(
        ref_model,
        loss_fn,
        torch.optim.RMSprop(ref_model.parameters(), lr=1e-2, alpha=0.9, eps=1e-4),
        5,
    )
    with pytest.raises(AssertionError):
        assert_params_close(model, ref_model)


def test_adamw_is_adam_with_decoupled_decay() -> None:
    model, loss_fn = make_problem()
    ref_model = copy.deepcopy(model)
    run(model, loss_fn, optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.3), STEPS)
    adam = optim.Adam(
        ref_model.parameters(), lr=1e-2, weight_decay=0.3, decoupled_weight_decay=True
    )
    run(ref_model, loss_fn, adam, STEPS)
    assert_params_close(model, ref_model)


def test_adagrad_first_step_by_hand() -> None:
    # r_1 = g², so θ_1 = θ_0 − γ g/(|g| + δ): a step of length about γ in every coordinate
    theta = torch.tensor([1.0, -2.0], dtype=torch.float64)
    grad = torch.tensor([0.5, -4.0], dtype=torch.float64)
    sums, steps = [torch.zeros(2, dtype=torch.float64)], [torch.tensor(0.0)]
    adagrad_step([theta], [grad], sums, steps, lr=0.1, eps=1e-10)
    torch.testing.assert_close(
        theta, torch.tensor([0.9, -1.9], dtype=torch.float64), rtol=1e-9, atol=0
    )
    torch.testing.assert_close(sums[0], grad**2, rtol=0, atol=0)
    assert steps[0].item() == 1.0


def test_adadelta_first_step_by_hand() -> None:
    # v_1 = (1−ρ)g², Δ_1 = √ϵ/√(v_1+ϵ) g, u_1 = (1−ρ)Δ_1²
    rho, eps, g = 0.9, 1e-6, 2.0
    theta = torch.tensor([0.0], dtype=torch.float64)
    v, u = [torch.zeros(1, dtype=torch.float64)], [torch.zeros(1, dtype=torch.float64)]
    adadelta_step(
        [theta],
        [torch.tensor([g], dtype=torch.float64)],
        v,
        u,
        [torch.tensor(0.0)],
        rho=rho,
        eps=eps,
    )
    delta = math.sqrt(eps) / math.sqrt((1 - rho) * g * g + eps) * g
    assert theta.item() == pytest.approx(-delta, rel=1e-14)
    assert u[0].item() == pytest.approx((1 - rho) * delta**2, rel=1e-14)
