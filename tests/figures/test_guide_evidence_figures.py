"""The validation figure (regularisation guide) and the noise-scale figure (troubleshooting guide)
draw their experiments' numbers."""

from __future__ import annotations

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")

from refimpl.experiments import regularisation as rg  # noqa: E402
from refimpl.experiments import troubleshooting as ts  # noqa: E402
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


def test_noise_scale_figure_shows_the_measured_steps_and_examples():
    with mpl.rc_context(SCHEMES["light"]):
        fig = REGISTRY["ts-noise-scale"].fn()
    r = ts.batch_size_runs()
    ax_s, ax_e = fig.axes
    measured_s = [ln.get_ydata() for ln in ax_s.get_lines() if len(ln.get_xdata()) == len(r.steps)]
    measured_e = [ln.get_ydata() for ln in ax_e.get_lines() if len(ln.get_xdata()) == len(r.steps)]
    np.testing.assert_array_equal(measured_s[0], r.steps)
    np.testing.assert_array_equal(measured_e[0], r.steps * r.batch_sizes)
    band = ax_s.patches[0]  # the span of the noise scale, in data coordinates
    assert band.get_x() == pytest.approx(r.noise_scale_start)
    assert band.get_x() + band.get_width() == pytest.approx(r.noise_scale_target)
