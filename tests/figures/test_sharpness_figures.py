"""The sharpness figure draws exactly the experiment's data."""

from __future__ import annotations

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from refimpl.experiments import sharpness as sh  # noqa: E402
from refimpl.figures import REGISTRY  # noqa: E402
from refimpl.figures import sharpness as figs  # noqa: E402
from refimpl.figures.style import SCHEMES  # noqa: E402


def test_sam_figure_plots_the_runs() -> None:
    assert REGISTRY["sam-sharpness"].fn is figs.sam_sharpness
    with mpl.rc_context(SCHEMES["dark"]):
        fig = figs.sam_sharpness()
    try:
        lines = {ln.get_gid(): ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid()}
        for run in sh.sam_vs_gd(lr=figs.LR):
            np.testing.assert_array_equal(lines[f"sam-loss-{run.name}"].get_data()[1], run.losses)
            x, y = lines[f"sam-sharpness-{run.name}"].get_data()
            np.testing.assert_array_equal(x, run.checkpoints)
            np.testing.assert_array_equal(y, run.sharpness)
        _, s_gd, s_sam = sh.rescaled_sharpness(figs.ALPHAS)
        np.testing.assert_array_equal(lines["sam-alpha-gd"].get_data()[1], s_gd)
        np.testing.assert_array_equal(lines["sam-alpha-sam"].get_data()[1], s_sam)
    finally:
        plt.close(fig)
