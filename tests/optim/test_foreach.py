"""The fast foreach path of SGD, Adam and RMSprop against the plain per-tensor reference path.

Both paths perform the same floating-point operations in the same order, so their trajectories
agree to the last bit or nearly so (float64, 50 steps).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import torch

from refimpl import optim

from .test_optimizer_contract import assert_params_close, make_problem, run

CASES: list[tuple[type, dict[str, Any]]] = [
    (optim.SGD, {"lr": 0.05}),
    (optim.SGD, {"lr": 0.05, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.01}),
    (optim.SGD, {"lr": 0.05, "momentum": 0.9, "nesterov": True, "maximize": True}),
    (optim.Adam, {"lr": 0.01}),
    (optim.Adam, {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1, "maximize": True}),
    (optim.AdamW, {"lr": 0.01, "weight_decay": 0.3, "amsgrad": True}),
    (optim.RMSprop, {"lr": 0.005}),
    (optim.RMSprop, {"lr": 0.002, "centered": True, "momentum": 0.5, "weight_decay": 0.1}),
    (optim.RMSprop, {"lr": 0.002, "momentum": 0.9, "maximize": True}),
]


@pytest.mark.parametrize(
    ("cls", "kwargs"), CASES, ids=[f"{c.__name__}-{i}" for i, (c, _) in enumerate(CASES)]
)
def test_foreach_equals_per_tensor(cls: type, kwargs: dict[str, Any]) -> None:
    model, loss_fn = make_problem()
    ref_model = copy.deepcopy(model)
    fast = cls(model.parameters(), foreach=True, **kwargs)
    plain = cls(ref_model.parameters(), foreach=False, **kwargs)
    run(model, loss_fn, fast, 50)
    run(ref_model, loss_fn, plain, 50)
    assert_params_close(model, ref_model, rtol=1e-14)
    for p, q in zip(model.parameters(), ref_model.parameters(), strict=True):
        for key, value in plain.state[q].items():
            torch.testing.assert_close(fast.state[p][key], value, rtol=1e-13, atol=1e-300)


def test_foreach_sgd_with_a_late_parameter() -> None:
    """Some momentum buffers exist and some do not yet (a parameter that starts receiving
    gradients later): the foreach path must create the missing ones like the plain path."""
    model, loss_fn = make_problem()
    ref_model = copy.deepcopy(model)
    fast = optim.SGD(model.parameters(), lr=0.05, momentum=0.9, foreach=True)
    plain = optim.SGD(ref_model.parameters(), lr=0.05, momentum=0.9, foreach=False)
    for m, opt in ((model, fast), (ref_model, plain)):
        for step in range(10):
            opt.zero_grad()
            loss_fn(m).backward()
            if step < 4:
                m[2].bias.grad = None  # no gradient, hence no buffer, for the first 4 steps
            opt.step()
    assert_params_close(model, ref_model, rtol=1e-14)
