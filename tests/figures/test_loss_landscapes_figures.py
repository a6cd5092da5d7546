"""The loss-landscape figures draw exactly the experiments' data."""

from __future__ import annotations

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from refimpl.experiments import loss_landscapes as ll  # noqa: E402
from refimpl.experiments import which_minimum as wm  # noqa: E402
from refimpl.figures import REGISTRY  # noqa: E402
from refimpl.figures import loss_landscapes as figs  # noqa: E402
from refimpl.figures.style import SCHEMES  # noqa: E402

pytestmark = pytest.mark.usefixtures("one_thread")


def _lines(fig):
    return {ln.get_gid(): ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid()}


@pytest.mark.parametrize(
    "fid, fn",
    [
        ("loss-landscape-nonconvexity", figs.loss_landscape_nonconvexity),
        ("loss-landscape-pl-star", figs.loss_landscape_pl_star),
        ("loss-landscape-two-minima", figs.loss_landscape_two_minima),
    ],
)
def test_figures_plot_the_experiments(fid, fn) -> None:
    assert REGISTRY[fid].fn is fn
    with mpl.rc_context(SCHEMES["light"]):
        fig = fn()
    try:
        lines = _lines(fig)
        if fid == "loss-landscape-nonconvexity":
            r = ll.nonconvexity_experiment()
            np.testing.assert_array_equal(lines["line-perm"].get_data()[1], r.line_permuted + 1e-16)
            np.testing.assert_array_equal(lines["min-eig"].get_data()[1], -r.min_eig)
        elif fid == "loss-landscape-pl-star":
            np.testing.assert_array_equal(lines["mu"].get_data()[1], ll.pl_star_path().mu)
        else:
            m = wm.two_minima()
            for k in range(2):
                np.testing.assert_array_equal(lines[f"fit-{k}"].get_data()[1], m.predictions[k])
    finally:
        plt.close(fig)
