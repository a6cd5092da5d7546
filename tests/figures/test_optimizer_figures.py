"""The optimizer figures draw exactly their experiments' data, deterministically."""

from __future__ import annotations

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from tests_support import figure_svg  # noqa: E402

from refimpl.experiments import minibatch as mb  # noqa: E402
from refimpl.experiments import momentum as mom  # noqa: E402
from refimpl.experiments import optimizer_paths as op  # noqa: E402
from refimpl.figures import (  # noqa: E402
    REGISTRY,
    adaptive_methods,
    minibatch,
    momentum,
)
from refimpl.figures.style import SCHEMES  # noqa: E402

FIGURES = ["momentum-quadratic", "schedules-early-stopping"]


def render(fig_id: str, scheme: str = "light") -> Figure:
    with mpl.rc_context(SCHEMES[scheme]):
        return REGISTRY[fig_id].fn()


def lines_by_gid(fig: Figure) -> dict[str, mpl.lines.Line2D]:
    return {ln.get_gid(): ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid()}


def test_minibatch_figure_plots_the_measurements() -> None:
    fig = render("sgd-minibatch-noise", "dark")
    try:
        lines = lines_by_gid(fig)
        noise = mb.minibatch_gradient_noise(minibatch.NOISE_BATCH_SIZES)
        np.testing.assert_array_equal(
            lines["sgd-noise-with"].get_ydata(), noise.mse_with_replacement
        )
        np.testing.assert_array_equal(
            lines["sgd-noise-without"].get_ydata(), noise.mse_without_replacement
        )
        curves = mb.sgd_batch_size_curves(minibatch.TRAIN_BATCH_SIZES)
        for b in minibatch.TRAIN_BATCH_SIZES:
            np.testing.assert_array_equal(lines[f"sgd-curve-{b}"].get_ydata(), curves[b][1])
        assert fig.axes[0].get_xscale() == fig.axes[0].get_yscale() == "log"
    finally:
        plt.close(fig)


def test_momentum_figure_plots_the_runs() -> None:
    fig = render("momentum-quadratic")
    try:
        lines = lines_by_gid(fig)
        paths = mom.momentum_runs(momentum.PATH_KAPPA, momentum.PATH_STEPS, tuned=False)
        curves = mom.momentum_runs(momentum.CURVE_KAPPA, momentum.CURVE_STEPS)
        for name in paths:
            xy = np.column_stack(lines[f"mom-path-{name}"].get_data())
            np.testing.assert_array_equal(xy, paths[name][0])
            np.testing.assert_array_equal(lines[f"mom-curve-{name}"].get_ydata(), curves[name][1])
    finally:
        plt.close(fig)


def test_optimizer_paths_figure_plots_every_method_on_every_problem() -> None:
    fig = render("optimizer-paths", "dark")
    try:
        lines = lines_by_gid(fig)
        for problem in op.PROBLEMS:
            for method, path in op.paths_on(problem).items():
                xy = np.column_stack(lines[f"path-{problem}-{method}"].get_data())
                np.testing.assert_array_equal(xy, path)
        assert len(adaptive_methods.COLORS) == len(op.METHODS)
    finally:
        plt.close(fig)


@pytest.mark.parametrize("fig_id", FIGURES)
def test_deterministic_svg(fig_id: str) -> None:
    assert figure_svg(fig_id) == figure_svg(fig_id)


def test_cliff_figure_plots_the_runs() -> None:
    from refimpl.experiments import cliff
    from refimpl.figures import clipping

    fig = render("cliff-clipping", "dark")
    try:
        lines = lines_by_gid(fig)
        plain, clipped = clipping.cliff_runs()
        xy = np.column_stack(lines["cliff-clipped"].get_data())
        np.testing.assert_array_equal(xy, clipped.path)
        drawn = np.column_stack(lines["cliff-plain"].get_data())
        np.testing.assert_array_equal(drawn, plain.path[: len(drawn)])
        _, E, g = cliff.cliff_slice()
        np.testing.assert_array_equal(lines["cliff-slice-error"].get_ydata(), E)
        np.testing.assert_array_equal(lines["cliff-slice-grad"].get_ydata(), np.abs(g))
    finally:
        plt.close(fig)


def test_schedules_figure_plots_the_experiment() -> None:
    from refimpl.experiments import schedules

    fig = render("schedules-early-stopping")
    try:
        lines = lines_by_gid(fig)
        for i, rates in enumerate(schedules.schedule_curves().values()):
            np.testing.assert_array_equal(lines[f"lr-{i}"].get_ydata(), rates)
        run = schedules.early_stopping_run()
        np.testing.assert_array_equal(lines["es-val"].get_ydata(), run.val)
        np.testing.assert_array_equal(lines["es-train"].get_xdata(), run.steps)
    finally:
        plt.close(fig)


def test_regularization_figure_plots_the_experiments() -> None:
    from refimpl.experiments import regularization as reg

    fig = render("weight-decay-powerprop", "dark")
    try:
        lines = lines_by_gid(fig)
        wd = reg.weight_decay_fixed_points()
        np.testing.assert_array_equal(lines["wd-adam"].get_ydata(), wd["Adam + L2"])
        np.testing.assert_array_equal(lines["wd-adamw"].get_ydata(), wd["AdamW"])
        for alpha, w in reg.powerprop_runs().items():
            mags = lines[f"pp-mag-{alpha:g}"].get_ydata()
            np.testing.assert_array_equal(mags, np.sort(np.abs(w))[::-1])
    finally:
        plt.close(fig)


def test_loss_figure_plots_the_curves() -> None:
    from refimpl.experiments import losses

    fig = render("loss-functions")
    try:
        lines = lines_by_gid(fig)
        np.testing.assert_array_equal(
            lines["loss-mae"].get_ydata(), losses.regression_curves()["mae"]
        )
        cls = losses.classification_curves()
        np.testing.assert_array_equal(lines["loss-ce"].get_ydata(), cls["cross_entropy_bits"])
        np.testing.assert_array_equal(lines["loss-01"].get_ydata(), cls["error"])
    finally:
        plt.close(fig)
