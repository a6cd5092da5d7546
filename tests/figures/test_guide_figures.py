"""The troubleshooting and flatness figures render and draw the experiments' data."""

from __future__ import annotations

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")

from refimpl.experiments import troubleshooting as ts  # noqa: E402
from refimpl.figures import REGISTRY  # noqa: E402
from refimpl.figures.style import SCHEMES  # noqa: E402

pytestmark = pytest.mark.usefixtures("one_thread")


IDS = ["ts-nan", "ts-dead-relu", "ts-plateau", "ts-divergence", "ts-overfitting", "ts-slow"]


@pytest.mark.parametrize("fig_id", IDS)
def test_renders_in_both_schemes(fig_id):
    for scheme in SCHEMES.values():
        with mpl.rc_context(scheme):
            fig = REGISTRY[fig_id].fn()
        assert len(fig.axes) >= 2
        assert all(ax.get_title() for ax in fig.axes if ax.get_xlabel())


def test_nan_figure_plots_the_finite_losses():
    with mpl.rc_context(SCHEMES["light"]):
        fig = REGISTRY["ts-nan"].fn()
    _, runs = ts.nan_runs()
    lines = [ln for ln in fig.axes[0].get_lines() if ln.get_gid()]
    assert len(lines) == 3
    for ln, run in zip(lines, runs, strict=True):
        ok = np.isfinite(run.loss)
        np.testing.assert_array_equal(ln.get_ydata(), run.loss[ok])


@pytest.mark.parametrize("fig_id", ["flatness-optimizers", "flatness-reparametrisation"])
def test_flatness_figures_render(fig_id):
    for scheme in SCHEMES.values():
        with mpl.rc_context(scheme):
            fig = REGISTRY[fig_id].fn()
        assert len(fig.axes) >= 1


def test_choosing_figure_draws_each_best_run():
    from refimpl.experiments import choosing as ch

    with mpl.rc_context(SCHEMES["dark"]):
        fig = REGISTRY["choosing-optimizers"].fn()
    res = ch.optimizer_comparison()
    for ax, problem in zip(fig.axes, res.problems, strict=True):
        drawn = [ln.get_ydata() for ln in ax.get_lines()]
        for name, y in zip(ch.OPTIMIZERS, drawn, strict=True):
            np.testing.assert_array_equal(y, res.curves[problem][name])


def test_regularisation_figure_shows_the_test_losses():
    from refimpl.experiments import regularisation as rg

    with mpl.rc_context(SCHEMES["light"]):
        fig = REGISTRY["choosing-regularisation"].fn()
    res = rg.regularisation_runs()
    widths = [p.get_width() for p in fig.axes[1].patches]
    assert widths == [res.test_loss[k] for k in res.labels]
