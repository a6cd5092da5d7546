"""The implicit-regularisation figure draws exactly the experiment's data."""

from __future__ import annotations

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from refimpl.experiments import implicit_regularization as ir  # noqa: E402
from refimpl.figures import REGISTRY  # noqa: E402
from refimpl.figures import implicit_regularization as figs  # noqa: E402
from refimpl.figures.style import SCHEMES  # noqa: E402


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_figure_plots_the_runs(scheme: str) -> None:
    assert REGISTRY["implicit-regularization"].fn is figs.implicit_regularization
    with mpl.rc_context(SCHEMES[scheme]):
        fig = figs.implicit_regularization()
    try:
        assert len(fig.axes) == 3
        lines = {ln.get_gid(): ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid()}
        gd = ir.valley_runs().gd.numpy()
        np.testing.assert_array_equal(np.stack(lines["igr-valley-gd"].get_data(), -1), gd)
        _, e_flow, e_mod = (t.numpy() for t in ir.valley_error_scaling())
        np.testing.assert_array_equal(lines["igr-err-flow"].get_data()[1], e_flow)
        np.testing.assert_array_equal(lines["igr-err-modified"].get_data()[1], e_mod)
    finally:
        plt.close(fig)
