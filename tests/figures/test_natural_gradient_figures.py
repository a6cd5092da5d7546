"""The natural-gradient figure draws exactly the experiment's data."""

from __future__ import annotations

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from refimpl.experiments import natural_gradient as ng  # noqa: E402
from refimpl.figures import REGISTRY  # noqa: E402
from refimpl.figures import natural_gradient as figs  # noqa: E402
from refimpl.figures.style import SCHEMES  # noqa: E402


def test_reparam_figure_plots_the_runs() -> None:
    assert REGISTRY["natural-gradient-reparam"].fn is figs.natural_gradient_reparam
    with mpl.rc_context(SCHEMES["light"]):
        fig = figs.natural_gradient_reparam()
    try:
        lines = {ln.get_gid(): ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid()}
        for path in ng.reparametrisation_paths():
            xy = np.column_stack(lines[f"ng-path-{path.name}"].get_data())
            np.testing.assert_array_equal(xy, path.iterates)
        for curve in ng.classifier_curves():
            np.testing.assert_array_equal(
                lines[f"ng-loss-{curve.name}"].get_data()[1], curve.losses
            )
    finally:
        plt.close(fig)
