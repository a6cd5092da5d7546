"""The validation figure of the regularisation guide draws the experiment's numbers."""

from __future__ import annotations

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")

from refimpl.experiments import regularisation as rg  # noqa: E402
from refimpl.figures import REGISTRY  # noqa: E402
from refimpl.figures.style import SCHEMES  # noqa: E402


def test_validation_figure_shows_the_estimates_and_test_losses():
    with mpl.rc_context(SCHEMES["dark"]):
        fig = REGISTRY["choosing-validation"].fn()
    res = rg.validation_estimates()
    rows = np.arange(len(res.holdout))
    ch, ck = res.holdout.argmin(1), res.kfold.argmin(1)
    expected = [
        res.holdout[rows, ch].mean(),
        res.holdout_test[rows, ch].mean(),
        res.kfold[rows, ck].mean(),
        res.kfold_test[rows, ck].mean(),
    ]
    heights = [p.get_height() for p in fig.axes[1].patches]
    np.testing.assert_allclose(heights, expected)
    # panel (a): one histogram per scheme, over every data set
    assert len(fig.axes[0].patches) == 2
