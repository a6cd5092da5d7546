"""One contract for every optimizer of refimpl.optim, driven by a registry of descriptions.

Each `Spec` names our optimizer, an independent reference that must take the same steps
(torch.optim's class of the same name, or for the slides' forms an equivalent torch.optim
configuration or a plain loop written here), and several hyperparameter settings. Every test
runs on every spec: trajectories (float64, 50 steps, <= 1e-10 relative), state, state_dict
round-trips, parameter groups, parameters without gradients, schedulers, closures, errors.
"""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import torch

from refimpl import optim

STEPS = 50
RTOL = 1e-10
F64 = torch.float64


class PlainSlideAdam(torch.optim.Optimizer):
    """The slides' form written out elementwise with plain arithmetic (the test's reference)."""

    def __init__(self, params: Any, lr: float, alpha: float, beta: float, eps: float) -> None:
        super().__init__(params, {"lr": lr, "alpha": alpha, "beta": beta, "eps": eps})

    @torch.no_grad()
    def step(self, closure: Any = None) -> None:
        for group in self.param_groups:
            a, b, lr, eps = group["alpha"], group["beta"], group["lr"], group["eps"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                st = self.state[p]
                V = st.get("V", torch.zeros_like(p))
                S = st.get("S", torch.zeros_like(p))
                V = a * V + (1 - a) * p.grad
                S = b * S + (1 - b) * p.grad * p.grad
                st["V"], st["S"] = V, S
                p -= lr * V / torch.sqrt(S + eps)


@dataclass
class Spec:
    """How to build one of our optimizers and the reference that must match it."""

    ours: type[torch.optim.Optimizer]
    settings: dict[str, dict[str, Any]]
    # the reference optimizer, built from our keyword arguments
    reference: Callable[..., torch.optim.Optimizer]
    # torch.optim's class of the same name (same signature, state keys and checkpoints)
    torch_class: type[torch.optim.Optimizer] | None = None
    bad_kwargs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.ours.__name__


def same_class(cls: type[torch.optim.Optimizer]) -> Callable[..., torch.optim.Optimizer]:
    return lambda params, **kw: cls(params, **kw)


def ema_as_heavy_ball(params: Any, lr: float, alpha: float = 0.9) -> torch.optim.Optimizer:
    # V_t = (1 − α) b_t with b_t = α b_{t−1} + g_t, so θ −= γ V_t is heavy ball with lr γ(1 − α)
    params = list(params)
    if params and isinstance(params[0], dict):  # parameter groups: map each group's lr too
        params = [{**g, "lr": g["lr"] * (1 - alpha)} if "lr" in g else g for g in params]
    return torch.optim.SGD(params, lr=lr * (1 - alpha), momentum=alpha)


def slide_rmsprop_as_torch(
    params: Any, lr: float, beta: float, eps: float
) -> torch.optim.Optimizer:
    assert eps == 0  # ε inside the root (ours) and outside (torch) agree only at ε = 0
    return torch.optim.RMSprop(params, lr=lr, alpha=beta, eps=0.0)


COMMON_BAD = [{"lr": -0.1}, {"lr": torch.tensor([0.1, 0.2])}]

SPECS = [
    Spec(
        optim.SGD,
        {
            "plain": {"lr": 0.1},
            "nesterov": {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01},
            "dampening": {"lr": 0.05, "momentum": 0.9, "dampening": 0.5, "maximize": False},
        },
        same_class(torch.optim.SGD),
        torch.optim.SGD,
        [*COMMON_BAD, {"lr": 0.1, "momentum": -1.0}, {"lr": 0.1, "nesterov": True}],
    ),
    Spec(
        optim.Adagrad,
        {
            "default": {},
            "decay": {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.05},
            "accumulator": {"lr": 0.05, "initial_accumulator_value": 0.1, "eps": 1e-6},
            "maximize": {"lr": 0.01, "maximize": True},
        },
        same_class(torch.optim.Adagrad),
        torch.optim.Adagrad,
        [*COMMON_BAD, {"lr_decay": -1.0}, {"initial_accumulator_value": -1.0}, {"eps": -1.0}],
    ),
    Spec(
        optim.RMSprop,
        {
            "default": {},
            "momentum": {"lr": 0.005, "alpha": 0.9, "momentum": 0.8},
            "centered": {"lr": 0.005, "centered": True, "eps": 1e-4},
            "centered_momentum_decay": {
                "lr": 0.002,
                "centered": True,
                "momentum": 0.5,
                "weight_decay": 0.1,
            },
            "maximize": {"lr": 1e-3, "maximize": True},
        },
        same_class(torch.optim.RMSprop),
        torch.optim.RMSprop,
        [*COMMON_BAD, {"alpha": -0.5}, {"momentum": -0.5}, {"eps": -1.0}],
    ),
    Spec(
        optim.Adadelta,
        {
            "default": {},
            "rho_eps": {"rho": 0.5, "eps": 1e-3},
            "lr_decay": {"lr": 0.5, "weight_decay": 0.1},
            "maximize": {"lr": 0.1, "maximize": True},
        },
        same_class(torch.optim.Adadelta),
        torch.optim.Adadelta,
        [*COMMON_BAD, {"rho": 1.5}, {"eps": -1.0}, {"weight_decay": -1.0}],
    ),
    Spec(
        optim.Adam,
        {
            "default": {},
            "betas": {"lr": 0.01, "betas": (0.5, 0.9), "eps": 1e-6},
            "amsgrad_l2": {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1},
            "decoupled": {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True},
            "maximize": {"lr": 1e-3, "maximize": True},
            "tensor_lr": {"lr": torch.tensor(0.01, dtype=F64)},
        },
        same_class(torch.optim.Adam),
        torch.optim.Adam,
        [*COMMON_BAD, {"betas": (1.0, 0.9)}, {"betas": (0.9, -0.1)}, {"eps": -1.0}],
    ),
    Spec(
        optim.AdamW,
        {
            "default": {},
            "strong_decay": {"lr": 0.01, "weight_decay": 0.5},
            "amsgrad": {"lr": 0.01, "amsgrad": True, "betas": (0.8, 0.99)},
        },
        same_class(torch.optim.AdamW),
        torch.optim.AdamW,
        [*COMMON_BAD, {"betas": (0.9, 1.0)}, {"weight_decay": -1.0}],
    ),
    Spec(
        optim.EMAMomentum,
        {
            "default": {"lr": 0.1},
            "slow": {"lr": 0.2, "alpha": 0.99},
            "no_momentum": {"lr": 0.1, "alpha": 0.0},
        },
        ema_as_heavy_ball,
    ),
    Spec(
        optim.SlideRMSprop,
        {
            "eps0": {"lr": 1e-3, "beta": 0.9, "eps": 0.0},
            "eps0_slow": {"lr": 1e-2, "beta": 0.99, "eps": 0.0},
        },
        slide_rmsprop_as_torch,
    ),
    Spec(
        optim.SlideAdam,
        {
            "typical": {"lr": 1e-3, "alpha": 0.9, "beta": 0.999, "eps": 1e-8},
            "large_eps": {"lr": 1e-2, "alpha": 0.5, "beta": 0.9, "eps": 1e-2},
        },
        PlainSlideAdam,
    ),
]

CASES = [(spec, name) for spec in SPECS for name in spec.settings]
SPEC_IDS = [spec.name for spec in SPECS]
TORCH_SPECS = [spec for spec in SPECS if spec.torch_class is not None]


def make_problem(
    seed: int = 0, device: str = "cpu"
) -> tuple[torch.nn.Module, Callable[[torch.nn.Module], torch.Tensor]]:
    """A small float64 MLP and a regression loss on fixed random data."""
    gen = torch.Generator().manual_seed(seed)
    X = torch.randn(32, 4, generator=gen, dtype=F64).to(device)
    y = torch.randn(32, 2, generator=gen, dtype=F64).to(device)
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2))
    model = model.to(device=device, dtype=F64)

    def loss_fn(m: torch.nn.Module) -> torch.Tensor:
        return ((m(X) - y) ** 2).mean()

    return model, loss_fn


def assert_params_close(a: torch.nn.Module, b: torch.nn.Module, rtol: float = RTOL) -> None:
    for (name, pa), (_, pb) in zip(a.named_parameters(), b.named_parameters(), strict=True):
        err = (pa - pb).norm() / pb.norm().clamp_min(1e-300)
        assert err <= rtol, f"{name}: relative error {err:.3e}"


def run(model: torch.nn.Module, loss_fn: Callable, opt: torch.optim.Optimizer, steps: int) -> None:
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(model).backward()
        opt.step()


def kwargs_of(spec: Spec, setting: str) -> dict[str, Any]:
    kwargs = spec.settings[setting]
    return {k: (v.clone() if isinstance(v, torch.Tensor) else v) for k, v in kwargs.items()}


@pytest.mark.parametrize(("spec", "setting"), CASES, ids=[f"{s.name}-{n}" for s, n in CASES])
def test_trajectory_matches_reference(spec: Spec, setting: str) -> None:
    model, loss_fn = make_problem()
    ref_model, start = copy.deepcopy(model), copy.deepcopy(model)
    opt = spec.ours(model.parameters(), **kwargs_of(spec, setting))
    ref = spec.reference(ref_model.parameters(), **kwargs_of(spec, setting))
    for _ in range(STEPS):
        run(model, loss_fn, opt, 1)
        run(ref_model, loss_fn, ref, 1)
        assert_params_close(model, ref_model)
    moved = sum((p - q).norm() for p, q in zip(model.parameters(), start.parameters(), strict=True))
    assert moved > 1e-3  # the run really moved the parameters


@pytest.mark.parametrize(("spec", "setting"), CASES, ids=[f"{s.name}-{n}" for s, n in CASES])
def test_state_matches_torch(spec: Spec, setting: str) -> None:
    if spec.torch_class is None:
        pytest.skip("no torch.optim class of the same name")
    model, loss_fn = make_problem()
    ref_model = copy.deepcopy(model)
    opt = spec.ours(model.parameters(), **kwargs_of(spec, setting))
    ref = spec.torch_class(ref_model.parameters(), **kwargs_of(spec, setting))
    run(model, loss_fn, opt, 5)
    run(ref_model, loss_fn, ref, 5)
    for p, q in zip(model.parameters(), ref_model.parameters(), strict=True):
        assert set(opt.state[p]) == set(ref.state[q])
        for key, value in ref.state[q].items():
            ours = opt.state[p][key]
            if isinstance(value, torch.Tensor):
                assert ours.dtype == value.dtype and ours.shape == value.shape, key
                torch.testing.assert_close(ours, value, rtol=RTOL, atol=1e-300)
            else:
                assert ours == value
    assert opt.state_dict()["param_groups"] == ref.state_dict()["param_groups"]


@pytest.mark.parametrize("spec", SPECS, ids=SPEC_IDS)
def test_state_dict_round_trip(spec: Spec) -> None:
    setting = list(spec.settings)[-1]
    model, loss_fn = make_problem()
    ref_model = copy.deepcopy(model)
    ref = spec.reference(ref_model.parameters(), **kwargs_of(spec, setting))
    run(ref_model, loss_fn, ref, STEPS)

    opt = spec.ours(model.parameters(), **kwargs_of(spec, setting))
    run(model, loss_fn, opt, 20)
    saved = copy.deepcopy(opt.state_dict())
    resumed_model = copy.deepcopy(model)
    resumed = spec.ours(resumed_model.parameters(), **kwargs_of(spec, setting))
    resumed.load_state_dict(saved)
    run(resumed_model, loss_fn, resumed, STEPS - 20)
    assert_params_close(resumed_model, ref_model)


@pytest.mark.parametrize("spec", TORCH_SPECS, ids=[s.name for s in TORCH_SPECS])
def test_torch_checkpoint_loads_into_ours(spec: Spec) -> None:
    """A torch.optim checkpoint loads into ours and the run continues identically."""
    assert spec.torch_class is not None
    setting = list(spec.settings)[-1]
    model, loss_fn = make_problem()
    first = spec.torch_class(model.parameters(), **kwargs_of(spec, setting))
    run(model, loss_fn, first, 10)
    ours_model, ref_model = copy.deepcopy(model), copy.deepcopy(model)
    ours = spec.ours(ours_model.parameters(), **kwargs_of(spec, setting))
    ours.load_state_dict(copy.deepcopy(first.state_dict()))
    ref = spec.torch_class(ref_model.parameters(), **kwargs_of(spec, setting))
    ref.load_state_dict(copy.deepcopy(first.state_dict()))
    run(ours_model, loss_fn, ours, 20)
    run(ref_model, loss_fn, ref, 20)
    assert_params_close(ours_model, ref_model)


@pytest.mark.parametrize("spec", SPECS, ids=SPEC_IDS)
def test_param_groups(spec: Spec) -> None:
    setting = next(iter(spec.settings))
    kwargs = kwargs_of(spec, setting)
    base_lr = float(kwargs.get("lr", inspect.signature(spec.ours).parameters["lr"].default))

    def groups(m: torch.nn.Module) -> list[dict[str, Any]]:
        return [
            {"params": m[0].parameters(), "lr": base_lr * 2},
            {"params": m[2].parameters(), "lr": base_lr / 2},
        ]

    model, loss_fn = make_problem()
    ref_model = copy.deepcopy(model)
    opt = spec.ours(groups(model), **kwargs)
    ref = spec.reference(groups(ref_model), **kwargs_of(spec, setting))
    run(model, loss_fn, opt, STEPS)
    run(ref_model, loss_fn, ref, STEPS)
    assert_params_close(model, ref_model)
    assert [g["lr"] for g in opt.param_groups] == [base_lr * 2, base_lr / 2]


@pytest.mark.parametrize("spec", SPECS, ids=SPEC_IDS)
def test_param_without_grad_is_untouched(spec: Spec) -> None:
    setting = list(spec.settings)[-1]
    model, loss_fn = make_problem()
    unused = torch.nn.Parameter(torch.arange(3, dtype=F64) + 1)
    before = unused.detach().clone()
    opt = spec.ours([*model.parameters(), unused], **kwargs_of(spec, setting))
    run(model, loss_fn, opt, 5)
    assert unused.grad is None
    assert torch.equal(unused.detach(), before)
    if spec.torch_class is not None:  # state for it exists exactly when torch creates it
        twin = torch.nn.Parameter(before.clone())
        ref_model = copy.deepcopy(model)
        ref = spec.torch_class([*ref_model.parameters(), twin], **kwargs_of(spec, setting))
        run(ref_model, loss_fn, ref, 5)
        assert set(opt.state[unused]) == set(ref.state[twin])
    else:
        assert unused not in opt.state


@pytest.mark.parametrize("spec", SPECS, ids=SPEC_IDS)
def test_scheduler_changes_lr(spec: Spec) -> None:
    setting = next(iter(spec.settings))
    model, loss_fn = make_problem()
    ref_model = copy.deepcopy(model)
    opt = spec.ours(model.parameters(), **kwargs_of(spec, setting))
    ref = spec.reference(ref_model.parameters(), **kwargs_of(spec, setting))
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
    ref_sched = torch.optim.lr_scheduler.StepLR(ref, step_size=10, gamma=0.5)
    lr0 = opt.param_groups[0]["lr"]
    for _ in range(STEPS):
        run(model, loss_fn, opt, 1)
        run(ref_model, loss_fn, ref, 1)
        sched.step()
        ref_sched.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(float(lr0) * 0.5**5)
    assert_params_close(model, ref_model)


@pytest.mark.parametrize("spec", SPECS, ids=SPEC_IDS)
def test_closure_runs_with_grad_enabled(spec: Spec) -> None:
    setting = next(iter(spec.settings))
    model, loss_fn = make_problem()
    opt = spec.ours(model.parameters(), **kwargs_of(spec, setting))

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = loss_fn(model)
        loss.backward()
        return loss

    with torch.no_grad():  # the closure must still be able to build a graph
        loss = opt.step(closure)
    assert loss is not None and loss.item() == pytest.approx(loss_fn(make_problem()[0]).item())
    assert opt.step() is None


@pytest.mark.parametrize("spec", TORCH_SPECS, ids=[s.name for s in TORCH_SPECS])
def test_signature_and_defaults_match_torch(spec: Spec) -> None:
    assert spec.torch_class is not None
    ours = inspect.signature(spec.ours.__init__).parameters
    theirs = inspect.signature(spec.torch_class.__init__).parameters
    assert list(ours) == list(theirs)
    for name in theirs:
        assert ours[name].default == theirs[name].default, name
        assert ours[name].kind == theirs[name].kind, name
    params = [torch.nn.Parameter(torch.zeros(2))]
    assert spec.ours(params).defaults == spec.torch_class(params).defaults


@pytest.mark.parametrize(
    ("spec", "kwargs"),
    [(s, kw) for s in TORCH_SPECS for kw in s.bad_kwargs],
    ids=[f"{s.name}-{i}" for s in TORCH_SPECS for i in range(len(s.bad_kwargs))],
)
def test_constructor_errors_match_torch(spec: Spec, kwargs: dict[str, Any]) -> None:
    assert spec.torch_class is not None
    params = [torch.nn.Parameter(torch.zeros(2))]
    with pytest.raises(Exception) as torch_error:
        spec.torch_class(params, **kwargs)
    with pytest.raises(torch_error.type, match=re.escape(str(torch_error.value))):
        spec.ours(params, **kwargs)


@pytest.mark.parametrize(
    ("cls", "kwargs"),
    [
        (optim.EMAMomentum, {"alpha": 1.0}),
        (optim.EMAMomentum, {"lr": -1.0}),
        (optim.SlideAdam, {"beta": 1.0}),
        (optim.SlideAdam, {"eps": -1.0}),
        (optim.SlideRMSprop, {"beta": -0.1}),
    ],
)
def test_slide_forms_reject_bad_arguments(cls: type, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="Invalid"):
        cls([torch.nn.Parameter(torch.zeros(2))], **kwargs)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("spec", SPECS, ids=SPEC_IDS)
def test_matches_reference_on_cuda(spec: Spec) -> None:
    setting = list(spec.settings)[-1]
    model, loss_fn = make_problem(device="cuda")
    ref_model = copy.deepcopy(model)
    opt = spec.ours(model.parameters(), **kwargs_of(spec, setting))
    ref = spec.reference(ref_model.parameters(), **kwargs_of(spec, setting))
    run(model, loss_fn, opt, STEPS)
    run(ref_model, loss_fn, ref, STEPS)
    assert_params_close(model, ref_model)
