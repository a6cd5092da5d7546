"""The attention-family figures are registered, draw the experiments' data, are deterministic."""

from __future__ import annotations

import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from tests_support import figure_svg  # noqa: E402

from refimpl.experiments.linear_attention import attention_costs  # noqa: E402
from refimpl.experiments.transformers_as_gnns import equivariance_errors  # noqa: E402
from refimpl.figures import REGISTRY  # noqa: E402
from refimpl.figures.style import SCHEMES  # noqa: E402

IDS = [
    "attention-positions-softmax",
    "attention-two-heads",
    "attention-cost-scaling",
    "gtrxl-identity-init",
    "rims-module-activity",
    "attention-as-message-passing",
]


def lines_by_gid(fig) -> dict:
    return {ln.get_gid(): ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid()}


def test_cost_figure_plots_the_closed_forms():
    with mpl.rc_context(SCHEMES["dark"]):
        fig = REGISTRY["attention-cost-scaling"].fn()
    lines = lines_by_gid(fig)
    c = attention_costs()
    for key in ("softmax", "linear", "rwkv"):
        x, y = lines[f"flops-{key}"].get_data()
        np.testing.assert_array_equal(x, c["T"])
        np.testing.assert_array_equal(y, c[f"{key}_formula"])
    plt.close(fig)


def test_equivariance_figure_plots_the_errors():
    with mpl.rc_context(SCHEMES["light"]):
        fig = REGISTRY["attention-as-message-passing"].fn()
    lines = lines_by_gid(fig)
    e = equivariance_errors()
    _, y = lines["equivariance-with"].get_data()
    np.testing.assert_array_equal(y, e["with"])
    plt.close(fig)


@pytest.mark.parametrize("fig_id", IDS)
def test_deterministic_svg(fig_id: str) -> None:
    assert figure_svg(fig_id) == figure_svg(fig_id)
