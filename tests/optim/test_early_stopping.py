"""EarlyStopping against sequences worked out by hand, and the experiment's stopping point."""

from __future__ import annotations

import numpy as np
import pytest

from refimpl.experiments import schedules
from refimpl.optim import EarlyStopping


def test_min_mode_by_hand() -> None:
    s = EarlyStopping(patience=3, min_delta=0.1)
    # 1.0 best; 0.95 not better by > 0.1; 0.85 better (new best); then three without improvement
    decisions = [s.step(v) for v in [1.0, 0.95, 0.85, 0.9, 0.8, 0.76]]
    assert decisions == [False, False, False, False, False, True]
    assert (s.best, s.best_step, s.num_bad) == (0.85, 2, 3)
    assert s.step(0.1) is True  # once stopped, stays stopped


def test_max_mode_and_state_dict() -> None:
    s = EarlyStopping(patience=2, mode="max")
    assert [s.step(v) for v in [0.5, 0.7, 0.6]] == [False, False, False]
    t = EarlyStopping(patience=2, mode="max")
    t.load_state_dict(s.state_dict())
    assert t.step(0.65) is True and t.best == 0.7 and t.best_step == 1


@pytest.mark.parametrize("kwargs", [{"patience": 0}, {"min_delta": -1.0}, {"mode": "median"}])
def test_rejects_bad_arguments(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        EarlyStopping(**kwargs)


def test_experiment_stops_after_the_validation_minimum() -> None:
    run = schedules.early_stopping_run()
    before_stop = run.steps <= run.stop_step
    # the kept step is the validation minimum among the evaluations before stopping
    assert run.best_step == run.steps[before_stop][np.argmin(run.val[before_stop])]
    assert run.best_step < run.stop_step < run.steps[-1]
    # training keeps improving while validation gets worse: over-fitting
    assert run.train[-1] < run.train[run.steps == run.best_step][0]
    assert run.val[-1] > 1.5 * run.val.min()
