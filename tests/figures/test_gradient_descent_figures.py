"""The gradient-descent figures draw exactly the experiment's data, deterministically."""

from __future__ import annotations

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from tests_support import figure_svg  # noqa: E402

from refimpl.experiments import gradient_descent as gd  # noqa: E402
from refimpl.figures import REGISTRY  # noqa: E402
from refimpl.figures import gradient_descent as figs  # noqa: E402
from refimpl.figures.style import SCHEMES  # noqa: E402


def lines_by_gid(fig: Figure) -> dict[str, mpl.lines.Line2D]:
    return {ln.get_gid(): ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid()}


def optimal_ratio() -> float:
    lam = np.linalg.eigvalsh(gd.demo_problem().A.numpy())
    return lam[-1] / (lam[0] + lam[-1])  # (2 / (λmin + λmax)) / (2 / λmax)


def test_registered() -> None:
    assert REGISTRY["gd-step-sizes"].fn is figs.gd_step_sizes
    assert REGISTRY["gd-loss-curves"].fn is figs.gd_loss_curves


def test_step_sizes_plots_the_trajectories() -> None:
    with mpl.rc_context(SCHEMES["light"]):
        fig = figs.gd_step_sizes()
    try:
        assert isinstance(fig, Figure)
        assert len(fig.axes) == 3
        paths = lines_by_gid(fig)
        assert len(paths) == 3
        ratios = sorted(float(gid.removeprefix("gd-path-")) for gid in paths)
        assert ratios[0] < 1 and ratios[2] > 1
        assert ratios[1] == pytest.approx(optimal_ratio(), rel=1e-9)
        for r in ratios:
            xy = np.column_stack(paths[f"gd-path-{r}"].get_data())
            # reference: the same run computed in closed form
            q = gd.demo_problem()
            lr = r * 2.0 / np.linalg.eigvalsh(q.A.numpy())[-1]
            full = gd.closed_form_trajectory(q, lr, figs.STEP_SIZE_STEPS, gd.DEMO_THETA0)
            np.testing.assert_allclose(xy, full[: len(xy)], atol=1e-9)
            if r < 1:  # converging runs are drawn in full
                assert len(xy) == figs.STEP_SIZE_STEPS + 1
            else:  # the diverging run is drawn until it leaves the frame
                assert len(xy) < figs.STEP_SIZE_STEPS + 1
                assert np.abs(xy[-1]).max() > 4.0
    finally:
        plt.close(fig)


def test_loss_curves_plot_the_runs_and_the_sweep() -> None:
    with mpl.rc_context(SCHEMES["dark"]):
        fig = figs.gd_loss_curves()
    try:
        assert isinstance(fig, Figure)
        assert len(fig.axes) == 2
        lines = lines_by_gid(fig)
        loss_ids = [gid for gid in lines if gid.startswith("gd-loss-")]
        ratios = sorted(float(gid.removeprefix("gd-loss-")) for gid in loss_ids)
        assert any(r < 1 for r in ratios) and any(r > 1 for r in ratios)
        runs = gd.step_size_trajectories(tuple(sorted(ratios)), figs.LOSS_CURVE_STEPS)
        for r in ratios:
            _, y = lines[f"gd-loss-{r}"].get_data()
            np.testing.assert_array_equal(y, runs[r].suboptimality)
            assert len(y) == figs.LOSS_CURVE_STEPS + 1
        x, y = lines["gd-measured-rate"].get_data()
        sweep = gd.stability_sweep(figs.SWEEP_RATIOS)
        np.testing.assert_array_equal(x, sweep.ratios)
        np.testing.assert_array_equal(y, sweep.empirical_rate)
        assert fig.axes[0].get_yscale() == "log"
    finally:
        plt.close(fig)


@pytest.mark.parametrize("fig_id", ["gd-step-sizes", "gd-loss-curves"])
def test_deterministic_svg(fig_id: str) -> None:
    assert figure_svg(fig_id) == figure_svg(fig_id)
