"""refimpl.optim.SGD against torch.optim.SGD; refimpl.functional.sgd against steps done by hand.

torch.optim.SGD is the reference: both optimizers start from copies of the same parameters, see
the same gradients and must produce the same trajectory (float64, 50 steps, <= 1e-10 relative).
"""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Callable
from typing import Any

import pytest
import torch

from refimpl.functional import sgd_step
from refimpl.optim import SGD

STEPS = 50
RTOL = 1e-10

SETTINGS: dict[str, dict[str, Any]] = {
    "plain": {"lr": 0.1},
    "momentum": {"lr": 0.05, "momentum": 0.9},
    "dampening": {"lr": 0.05, "momentum": 0.9, "dampening": 0.5},
    "nesterov": {"lr": 0.05, "momentum": 0.9, "nesterov": True},
    "weight_decay": {"lr": 0.05, "weight_decay": 0.01},
    "weight_decay_momentum": {"lr": 0.05, "momentum": 0.8, "weight_decay": 0.01},
    "maximize": {"lr": 0.01, "maximize": True},
    "maximize_nesterov_decay": {
        "lr": 0.01,
        "momentum": 0.5,
        "nesterov": True,
        "weight_decay": 0.1,
        "maximize": True,
    },
    "tensor_lr": {"lr": torch.tensor(0.05, dtype=torch.float64), "momentum": 0.9},
    "compat_flags": {"lr": 0.05, "momentum": 0.9, "foreach": False, "differentiable": False},
}


def make_problem(
    seed: int = 0,
) -> tuple[torch.nn.Module, Callable[[torch.nn.Module], torch.Tensor]]:
    """A small float64 MLP and a regression loss on fixed random data."""
    gen = torch.Generator().manual_seed(seed)
    X = torch.randn(32, 4, generator=gen, dtype=torch.float64)
    y = torch.randn(32, 2, generator=gen, dtype=torch.float64)
    torch.manual_seed(seed)
    model = torch.nn.Sequential(
        torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2)
    ).double()

    def loss_fn(m: torch.nn.Module) -> torch.Tensor:
        return ((m(X) - y) ** 2).mean()

    return model, loss_fn


def assert_params_close(a: torch.nn.Module, b: torch.nn.Module) -> None:
    for (name, pa), (_, pb) in zip(a.named_parameters(), b.named_parameters(), strict=True):
        err = (pa - pb).norm() / pb.norm().clamp_min(1e-300)
        assert err <= RTOL, f"{name}: relative error {err:.3e}"


def run(model: torch.nn.Module, loss_fn: Callable, opt: torch.optim.Optimizer, steps: int) -> None:
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(model).backward()
        opt.step()


@pytest.mark.parametrize("name", list(SETTINGS))
def test_trajectory_matches_torch(name: str) -> None:
    kwargs = SETTINGS[name]
    model, loss_fn = make_problem()
    ref_model = copy.deepcopy(model)
    opt = SGD(model.parameters(), **kwargs)
    ref = torch.optim.SGD(ref_model.parameters(), **kwargs)
    start = copy.deepcopy(model)
    for _ in range(STEPS):
        run(model, loss_fn, opt, 1)
        run(ref_model, loss_fn, ref, 1)
        assert_params_close(model, ref_model)
    # the run really moved the parameters
    moved = sum((p - q).norm() for p, q in zip(model.parameters(), start.parameters(), strict=True))
    assert moved > 1e-3


def test_momentum_state_matches_torch() -> None:
    model, loss_fn = make_problem()
    ref_model = copy.deepcopy(model)
    opt = SGD(model.parameters(), lr=0.05, momentum=0.9, dampening=0.1)
    ref = torch.optim.SGD(ref_model.parameters(), lr=0.05, momentum=0.9, dampening=0.1)
    run(model, loss_fn, opt, 5)
    run(ref_model, loss_fn, ref, 5)
    for p, q in zip(model.parameters(), ref_model.parameters(), strict=True):
        assert set(opt.state[p]) == set(ref.state[q]) == {"momentum_buffer"}
        torch.testing.assert_close(
            opt.state[p]["momentum_buffer"], ref.state[q]["momentum_buffer"], rtol=RTOL, atol=0
        )


def test_no_state_without_momentum() -> None:
    model, loss_fn = make_problem()
    ref_model = copy.deepcopy(model)
    opt, ref = SGD(model.parameters(), lr=0.1), torch.optim.SGD(ref_model.parameters(), lr=0.1)
    run(model, loss_fn, opt, 3)
    run(ref_model, loss_fn, ref, 3)
    assert len(opt.state) == len(ref.state)


@pytest.mark.parametrize(
    "kwargs", [{"lr": 0.05, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.9, "nesterov": True}]
)
def test_state_dict_round_trip(kwargs: dict[str, Any]) -> None:
    model, loss_fn = make_problem()
    ref_model = copy.deepcopy(model)
    ref = torch.optim.SGD(ref_model.parameters(), **kwargs)
    run(ref_model, loss_fn, ref, STEPS)

    opt = SGD(model.parameters(), **kwargs)
    run(model, loss_fn, opt, 20)
    saved = copy.deepcopy(opt.state_dict())
    # a fresh model and optimizer, restored from the saved state, continue the run
    resumed_model = copy.deepcopy(model)
    resumed = SGD(resumed_model.parameters(), **kwargs)
    resumed.load_state_dict(saved)
    run(resumed_model, loss_fn, resumed, STEPS - 20)
    assert_params_close(resumed_model, ref_model)


def test_state_dict_interchangeable_with_torch() -> None:
    """A torch.optim.SGD checkpoint loads into refimpl's SGD and the run continues identically."""
    kwargs = {"lr": 0.05, "momentum": 0.9, "dampening": 0.2}
    model, loss_fn = make_problem()
    ref = torch.optim.SGD(model.parameters(), **kwargs)
    run(model, loss_fn, ref, 10)
    ours_model, ref_model = copy.deepcopy(model), copy.deepcopy(model)
    ours = SGD(ours_model.parameters(), **kwargs)
    ours.load_state_dict(copy.deepcopy(ref.state_dict()))
    ref2 = torch.optim.SGD(ref_model.parameters(), **kwargs)
    ref2.load_state_dict(copy.deepcopy(ref.state_dict()))
    run(ours_model, loss_fn, ours, 20)
    run(ref_model, loss_fn, ref2, 20)
    assert_params_close(ours_model, ref_model)
    assert ours.state_dict()["param_groups"] == ref2.state_dict()["param_groups"]


def test_param_groups_with_different_lr() -> None:
    model, loss_fn = make_problem()
    ref_model = copy.deepcopy(model)

    def groups(m: torch.nn.Module) -> list[dict[str, Any]]:
        return [
            {"params": m[0].parameters(), "lr": 0.1},
            {"params": m[2].parameters(), "lr": 0.01, "momentum": 0.5},
        ]

    opt = SGD(groups(model), lr=0.05, momentum=0.9)
    ref = torch.optim.SGD(groups(ref_model), lr=0.05, momentum=0.9)
    run(model, loss_fn, opt, STEPS)
    run(ref_model, loss_fn, ref, STEPS)
    assert_params_close(model, ref_model)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.01]


def test_param_without_grad_is_untouched() -> None:
    model, loss_fn = make_problem()
    unused = torch.nn.Parameter(torch.arange(3, dtype=torch.float64))
    before = unused.detach().clone()
    opt = SGD([*model.parameters(), unused], lr=0.1, momentum=0.9, weight_decay=0.1)
    run(model, loss_fn, opt, 5)
    assert unused.grad is None
    assert torch.equal(unused.detach(), before)
    assert unused not in opt.state


def test_step_lr_scheduler() -> None:
    model, loss_fn = make_problem()
    ref_model = copy.deepcopy(model)
    opt = SGD(model.parameters(), lr=0.2, momentum=0.9)
    ref = torch.optim.SGD(ref_model.parameters(), lr=0.2, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
    ref_sched = torch.optim.lr_scheduler.StepLR(ref, step_size=10, gamma=0.5)
    for _ in range(STEPS):
        run(model, loss_fn, opt, 1)
        run(ref_model, loss_fn, ref, 1)
        sched.step()
        ref_sched.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(0.2 * 0.5**5)
    assert_params_close(model, ref_model)


def test_closure_runs_with_grad_enabled_and_returns_loss() -> None:
    model, loss_fn = make_problem()
    ref_model = copy.deepcopy(model)
    opt = SGD(model.parameters(), lr=0.1, momentum=0.5)
    ref = torch.optim.SGD(ref_model.parameters(), lr=0.1, momentum=0.5)

    def closure_for(m: torch.nn.Module, o: torch.optim.Optimizer) -> Callable[[], torch.Tensor]:
        def closure() -> torch.Tensor:
            o.zero_grad()
            loss = loss_fn(m)
            loss.backward()
            return loss

        return closure

    for _ in range(10):
        with torch.no_grad():  # the closure must still be able to build a graph
            loss = opt.step(closure_for(model, opt))
            ref_loss = ref.step(closure_for(ref_model, ref))
        assert loss is not None and ref_loss is not None
        torch.testing.assert_close(loss, ref_loss, rtol=RTOL, atol=0)
    assert_params_close(model, ref_model)
    assert opt.step() is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lr": -0.1},
        {"lr": 0.1, "momentum": -0.5},
        {"lr": 0.1, "weight_decay": -1.0},
        {"lr": 0.1, "nesterov": True},
        {"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "nesterov": True},
        {"lr": torch.tensor([0.1, 0.2])},
        {"lr": 0.1, "fused": True, "foreach": True},
        {"lr": 0.1, "fused": True, "differentiable": True},
    ],
)
def test_constructor_errors_match_torch(kwargs: dict[str, Any]) -> None:
    params = [torch.nn.Parameter(torch.zeros(2))]
    with pytest.raises(Exception) as torch_error:
        torch.optim.SGD(params, **kwargs)
    with pytest.raises(torch_error.type, match=re.escape(str(torch_error.value))):
        SGD(params, **kwargs)


def test_signature_and_defaults_match_torch() -> None:
    ours = inspect.signature(SGD.__init__).parameters
    theirs = inspect.signature(torch.optim.SGD.__init__).parameters
    assert list(ours) == list(theirs)
    for name in theirs:
        assert ours[name].default == theirs[name].default, name
        assert ours[name].kind == theirs[name].kind, name
    params = [torch.nn.Parameter(torch.zeros(2))]
    assert SGD(params).defaults == torch.optim.SGD(params).defaults


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_matches_torch_on_cuda() -> None:
    model = make_problem()[0].cuda()
    gen = torch.Generator().manual_seed(1)
    X = torch.randn(32, 4, generator=gen, dtype=torch.float64).cuda()

    def cuda_loss(m: torch.nn.Module) -> torch.Tensor:
        return (m(X) ** 2).mean()

    ref_model = copy.deepcopy(model)
    opt = SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)
    ref = torch.optim.SGD(
        ref_model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01
    )
    run(model, cuda_loss, opt, STEPS)
    run(ref_model, cuda_loss, ref, STEPS)
    assert_params_close(model, ref_model)


# --- the pure function against steps worked out by hand -------------------------------------


def test_functional_first_step_has_no_dampening() -> None:
    theta = torch.tensor([0.0], dtype=torch.float64)
    buffers: list[torch.Tensor | None] = [None]
    lr, mu, tau = 0.1, 0.9, 0.5
    sgd_step(
        [theta],
        [torch.tensor([1.0], dtype=torch.float64)],
        buffers,
        lr=lr,
        momentum=mu,
        dampening=tau,
    )
    # b_1 = g_1 = 1 (not (1 - τ) g_1), θ_1 = −0.1
    assert buffers[0] is not None and buffers[0].item() == 1.0
    assert theta.item() == pytest.approx(-0.1, abs=1e-15)
    sgd_step(
        [theta],
        [torch.tensor([2.0], dtype=torch.float64)],
        buffers,
        lr=lr,
        momentum=mu,
        dampening=tau,
    )
    # b_2 = 0.9 * 1 + 0.5 * 2 = 1.9, θ_2 = −0.1 − 0.1 * 1.9 = −0.29
    assert buffers[0].item() == pytest.approx(1.9, abs=1e-15)
    assert theta.item() == pytest.approx(-0.29, abs=1e-15)


def test_functional_nesterov_weight_decay_maximize_by_hand() -> None:
    theta = torch.tensor([2.0], dtype=torch.float64)
    grad = torch.tensor([0.5], dtype=torch.float64)
    buffers: list[torch.Tensor | None] = [None]
    sgd_step(
        [theta],
        [grad],
        buffers,
        lr=0.1,
        momentum=0.5,
        weight_decay=0.25,
        nesterov=True,
        maximize=True,
    )
    # g = −0.5 + 0.25 * 2 = 0; b = 0; d = 0 → θ unchanged
    assert theta.item() == 2.0
    sgd_step(
        [theta],
        [torch.tensor([1.0], dtype=torch.float64)],
        buffers,
        lr=0.1,
        momentum=0.5,
        weight_decay=0.25,
        nesterov=True,
        maximize=True,
    )
    # g = −1 + 0.5 = −0.5; b = 0.5 * 0 + (−0.5) = −0.5; d = g + 0.5 b = −0.75; θ = 2 + 0.075
    assert buffers[0] is not None and buffers[0].item() == pytest.approx(-0.5, abs=1e-15)
    assert theta.item() == pytest.approx(2.075, abs=1e-15)
    assert grad.item() == 0.5  # the gradient passed in is never modified


def test_functional_rejects_mismatched_lists() -> None:
    theta = torch.zeros(2)
    with pytest.raises(ValueError, match="one gradient and one momentum buffer"):
        sgd_step([theta], [], [None], lr=0.1)
