"""The foundations figures draw the experiments' data, deterministically."""

from __future__ import annotations

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from tests_support import figure_svg  # noqa: E402

from refimpl.experiments import backpropagation as bp  # noqa: E402
from refimpl.experiments import deep_linear, linear_models, supervised  # noqa: E402
from refimpl.experiments import initialization as init  # noqa: E402
from refimpl.experiments import linear_regions as lr  # noqa: E402
from refimpl.experiments import universal_approximation as ua  # noqa: E402
from refimpl.figures import REGISTRY  # noqa: E402
from refimpl.figures.style import SCHEMES  # noqa: E402

IDS = [
    "init-variance-depth",
    "backprop-cost",
    "tent-folding",
    "deep-linear-modes",
    "linear-model-fit",
]


def render(fig_id: str, scheme: str = "light"):
    with mpl.rc_context(SCHEMES[scheme]):
        return REGISTRY[fig_id].fn()


def lines(fig) -> dict:
    return {ln.get_gid(): ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid()}


def test_init_figure_plots_the_variances() -> None:
    fig = render("init-variance-depth", "dark")
    got = lines(fig)
    for act in ("tanh", "relu"):
        for scheme in init.INITS:
            _, y = got[f"init-{act}-{scheme}"].get_data()
            np.testing.assert_array_equal(y, init.activation_variances(scheme, act))
    plt.close(fig)


def test_delta_figure_plots_both_methods() -> None:
    fig = render("backprop-delta-norms")
    got = lines(fig)
    errors = bp.layer_error_norms(0.5)
    np.testing.assert_array_equal(got["delta-0.5"].get_data()[1], errors.delta_rule)
    np.testing.assert_array_equal(got["autograd-0.5"].get_data()[1], errors.autograd)
    plt.close(fig)


def test_width_figure_plots_the_fits() -> None:
    fig = render("mlp-width-approximation")
    got = lines(fig)
    np.testing.assert_array_equal(got["fit-12"].get_data()[1], ua.fit_width(12).prediction)
    plt.close(fig)


def test_region_figures_plot_the_counts() -> None:
    fig = render("zaslavsky-regions")
    got = lines(fig)
    for d in (2, 3):
        x, y = got[f"zaslavsky-d{d}"].get_data()
        assert list(y) == [lr.zaslavsky_count(int(m), d) for m in x]
    plt.close(fig)
    fig = render("tent-folding", "dark")
    _, pieces = lines(fig)["deep-pieces"].get_data()
    assert list(pieces) == [2**L for L in range(1, 9)]
    plt.close(fig)
    fig = render("relu-region-partition")
    images = [im for ax in fig.axes for im in ax.get_images()]
    assert len({im.get_array().max() for im in images}) == 2  # two different partitions
    assert images[0].get_array().max() + 1 == lr.region_map((24,)).n_regions
    plt.close(fig)


def test_deep_linear_and_supervised_figures_plot_the_experiments() -> None:
    fig = render("deep-linear-modes")
    c = deep_linear.mode_curves()
    np.testing.assert_array_equal(lines(fig)["deep-3"].get_data()[1], c.deep[:, 0])
    np.testing.assert_array_equal(lines(fig)["shallow-1"].get_data()[1], c.shallow[:, 2])
    plt.close(fig)
    fig = render("linear-model-fit")
    np.testing.assert_array_equal(
        lines(fig)["gd-path"].get_data()[0], linear_models.line_fit().gd_path[:, 0]
    )
    plt.close(fig)
    fig = render("supervised-decisions")
    shown = [im.get_array() for ax in fig.axes for im in ax.get_images()]
    for image, decision in zip(shown, supervised.decisions(), strict=True):
        np.testing.assert_array_equal(image, decision.grid_labels)
    plt.close(fig)


@pytest.mark.parametrize("fig_id", IDS)
def test_deterministic_svg(fig_id: str) -> None:
    assert figure_svg(fig_id) == figure_svg(fig_id)


def test_generalization_figures_plot_the_experiments() -> None:
    from refimpl.experiments import generalization as gen
    from refimpl.figures.generalization import FEATURES, LAMBDAS

    fig = render("polynomial-capacity")
    np.testing.assert_array_equal(
        lines(fig)["val-mse"].get_data()[1], gen.polynomial_capacity().val_mse
    )
    plt.close(fig)
    fig = render("regularization-paths", "dark")
    np.testing.assert_array_equal(lines(fig)["ridge-val"].get_data()[1], gen.ridge_path(LAMBDAS)[1])
    plt.close(fig)
    fig = render("double-descent")
    np.testing.assert_array_equal(
        lines(fig)["dd-test"].get_data()[1], gen.double_descent(FEATURES).test_mse
    )
    plt.close(fig)
