"""The second-order figure draws exactly the experiment's paths and losses."""

from __future__ import annotations

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from refimpl.experiments import second_order as so  # noqa: E402
from refimpl.figures import REGISTRY  # noqa: E402
from refimpl.figures import second_order as figs  # noqa: E402
from refimpl.figures.style import SCHEMES  # noqa: E402


def test_saddle_figure_plots_the_runs() -> None:
    assert REGISTRY["second-order-saddle"].fn is figs.second_order_saddle
    with mpl.rc_context(SCHEMES["dark"]):
        fig = figs.second_order_saddle()
    try:
        lines = {ln.get_gid(): ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid()}
        for run in so.saddle_runs(figs.STEPS):
            xy = np.column_stack(lines[f"so-path-{run.name}"].get_data())
            np.testing.assert_array_equal(xy, run.iterates)
            _, gap = lines[f"so-loss-{run.name}"].get_data()
            np.testing.assert_allclose(gap, np.maximum(run.losses - so.SADDLE_MIN, 1e-16))
    finally:
        plt.close(fig)
