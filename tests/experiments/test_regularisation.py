"""The regularisation comparison: early stopping's weights and the test losses are consistent."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from refimpl.experiments import regularisation as rg


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Tiny models gain nothing from threads; on a busy machine threads cost a lot."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_early_stopping_kept_the_minimum_of_the_unregularised_curve():
    res = rg.regularisation_runs()
    curve = res.val_loss["none"]
    assert res.best_val == curve.min()
    assert res.best_step == res.eval_steps[int(np.argmin(curve))]


def test_every_regulariser_beats_no_regularisation_on_the_test_set():
    res = rg.regularisation_runs()
    none = res.test_loss["none"]
    floor = rg.NOISE**2
    for label in ("early stopping", "L2 penalty 0.01", "dropout 0.2"):
        assert floor < res.test_loss[label] < floor + 0.5 * (none - floor)
    # the unregularised run fits the training set well below the noise level
    assert res.train_loss["none"][-1] < 0.5 * floor
