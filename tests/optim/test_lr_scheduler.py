"""Our schedulers against torch.optim.lr_scheduler; the warm-up + cosine schedule by hand."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
import torch

from refimpl import optim
from refimpl.optim import lr_scheduler as ours

PAIRS: list[tuple[type, type, dict[str, Any]]] = [
    (ours.StepLR, torch.optim.lr_scheduler.StepLR, {"step_size": 7, "gamma": 0.5}),
    (ours.ExponentialLR, torch.optim.lr_scheduler.ExponentialLR, {"gamma": 0.9}),
    (ours.CosineAnnealingLR, torch.optim.lr_scheduler.CosineAnnealingLR, {"T_max": 20}),
    (
        ours.CosineAnnealingLR,
        torch.optim.lr_scheduler.CosineAnnealingLR,
        {"T_max": 15, "eta_min": 0.01},
    ),
    (ours.LinearLR, torch.optim.lr_scheduler.LinearLR, {}),
    (
        ours.LinearLR,
        torch.optim.lr_scheduler.LinearLR,
        {"start_factor": 0.1, "end_factor": 0.5, "total_iters": 12},
    ),
]


def rates(make_opt: Callable, make_sched: Callable, steps: int = 45) -> list[list[float]]:
    p = torch.nn.Parameter(torch.zeros(2))
    q = torch.nn.Parameter(torch.zeros(2))
    opt = make_opt([{"params": [p], "lr": 0.1}, {"params": [q], "lr": 0.03}])
    sched = make_sched(opt)
    out = []
    for _ in range(steps):
        out.append([g["lr"] for g in opt.param_groups])
        p.grad, q.grad = torch.ones(2), torch.ones(2)
        opt.step()
        sched.step()
    assert sched.get_last_lr() == [g["lr"] for g in opt.param_groups]
    return out


@pytest.mark.parametrize(("cls", "ref", "kwargs"), PAIRS, ids=lambda x: getattr(x, "__name__", ""))
@pytest.mark.parametrize("opt_cls", [optim.SGD, torch.optim.SGD, optim.Adam])
def test_matches_torch(cls: type, ref: type, kwargs: dict[str, Any], opt_cls: type) -> None:
    got = rates(lambda g: opt_cls(g, lr=0.1), lambda o: cls(o, **kwargs))
    want = rates(lambda g: opt_cls(g, lr=0.1), lambda o: ref(o, **kwargs))
    for a, b in zip(got, want, strict=True):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-15)


def test_signatures_match_torch() -> None:
    import inspect

    for cls, ref, _ in PAIRS:
        ours_params = inspect.signature(cls.__init__).parameters
        theirs = inspect.signature(ref.__init__).parameters
        assert list(ours_params) == list(theirs)
        for name in theirs:
            assert ours_params[name].default == theirs[name].default


def test_warmup_cosine_closed_form_and_state_dict() -> None:
    p = torch.nn.Parameter(torch.zeros(1))
    opt = optim.SGD([p], lr=0.2)
    sched = ours.WarmupCosineLR(opt, warmup_steps=4, total_steps=14, eta_min=0.02)
    seen = []
    for _ in range(20):
        seen.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    expected = [0.2 * (t + 1) / 4 for t in range(4)] + [
        0.02 + 0.18 * (1 + math.cos(math.pi * min(t - 4, 10) / 10)) / 2 for t in range(4, 20)
    ]
    assert seen == pytest.approx(expected, rel=1e-12)
    # a restored scheduler continues from the same step
    opt2 = optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.2)
    sched2 = ours.WarmupCosineLR(opt2, warmup_steps=4, total_steps=14, eta_min=0.02)
    sched2.load_state_dict(sched.state_dict())
    sched2.step()
    sched.step()
    assert opt2.param_groups[0]["lr"] == pytest.approx(opt.param_groups[0]["lr"])


@pytest.mark.parametrize(
    "kwargs", [{"start_factor": 0.0}, {"start_factor": 1.5}, {"end_factor": -0.1}]
)
def test_linear_lr_errors_match_torch(kwargs: dict[str, Any]) -> None:
    opt = optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    with pytest.raises(ValueError) as err:
        torch.optim.lr_scheduler.LinearLR(opt, **kwargs)
    with pytest.raises(ValueError, match=str(err.value)[:30]):
        ours.LinearLR(opt, **kwargs)


def test_warmup_cosine_rejects_bad_lengths() -> None:
    opt = optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    with pytest.raises(ValueError, match="warmup_steps"):
        ours.WarmupCosineLR(opt, warmup_steps=10, total_steps=10)
