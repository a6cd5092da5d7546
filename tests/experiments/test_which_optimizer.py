"""The "Which optimizer?" experiments against closed forms, identities and plain reruns."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import numpy as np
import pytest
import torch

from refimpl import optim
from refimpl.experiments import optimizer_cost as oc
from refimpl.experiments import which_optimizer as wo
from refimpl.experiments.optimizer_paths import Problem

PAGE = Path(__file__).resolve().parents[2] / "docs" / "optimization" / "which-optimizer.md"


def _optimizer_classes() -> set[type]:
    return {
        getattr(optim, name)
        for name in optim.__all__
        if inspect.isclass(getattr(optim, name))
        and issubclass(getattr(optim, name), torch.optim.Optimizer)
    }


def _run(name: str, problem: str) -> wo.TunedPath:
    return next(r for r in wo.tuned_paths(problem) if r.method.name == name)


def test_every_optimizer_is_compared() -> None:
    """A new optimizer in ``refimpl.optim`` fails this until the page's experiments include it."""
    in_paths = {m.cls for m in wo.PATH_METHODS}
    in_cost = {cls for cls, _ in oc.COST_METHODS.values()}
    assert _optimizer_classes() - in_paths - in_cost == set()
    # every optimizer but Path-SGD (which needs a ReLU network) is on the 2-D problems
    assert _optimizer_classes() - in_paths == {optim.PathSGD}
    # and one of each family is in the cost comparison
    assert {optim.SGD, optim.Adam, optim.SAM, optim.PathSGD, optim.NaturalGradient} <= in_cost
    assert {optim.KFAC, optim.WoodFisher, optim.SaddleFreeNewton} <= in_cost


def test_the_page_table_names_every_optimizer() -> None:
    text = PAGE.read_text(encoding="utf-8")
    table = [line for line in text.splitlines() if line.startswith("| `")]
    named = {line.split("`")[1] for line in table}
    missing = {cls.__name__ for cls in _optimizer_classes()} - named
    assert missing == set()


@pytest.mark.parametrize("problem", sorted(wo.PROBLEMS))
def test_residuals_reproduce_the_loss(problem: str) -> None:
    """$L = \\tfrac12\\lVert r\\rVert^2 + c$ at random points: the least-squares reading."""
    theta = torch.randn(50, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    r, c = wo.residuals(problem, theta)
    torch.testing.assert_close(0.5 * (r**2).sum(-1) + c, wo.PROBLEMS[problem].loss(theta))


@pytest.mark.parametrize("problem", sorted(wo.PROBLEMS))
def test_paths_are_finite_and_start_at_the_start(problem: str) -> None:
    for run in wo.tuned_paths(problem):
        assert np.isfinite(run.iterates).all(), run.method.name
        np.testing.assert_array_equal(run.iterates[0], wo.PROBLEMS[problem].theta0)


@pytest.mark.parametrize("problem", sorted(wo.PROBLEMS))
def test_the_chosen_value_is_the_grid_argmin(problem: str) -> None:
    for run in wo.tuned_paths(problem):
        if run.method.tune is None:
            assert run.chosen is None and run.grid_losses.size == 0
            continue
        grid = wo.LR_GRID if run.method.tune == "lr" else wo.DAMPING_GRID
        assert run.grid_losses.shape == (len(grid),)
        assert run.chosen == grid[int(np.argmin(run.grid_losses))]
        assert run.losses[-1] == pytest.approx(run.grid_losses.min(), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Adam", "rosenbrock"),
        ("RMSprop centered", "quadratic"),
        ("Adadelta", "saddle"),
        ("SAM (SGD, ρ = 0.05)", "quadratic"),
    ],
)
def test_grid_runs_equal_separate_runs(name: str, problem: str) -> None:
    """The one-group-per-rate trick: each group's path equals a plain run at that rate alone,
    and the neighbouring rates of the grid do no better than the chosen one."""
    run = _run(name, problem)
    p = wo.PROBLEMS[problem]
    k = wo.LR_GRID.index(run.chosen)
    for j in (k - 1, k, k + 1):
        if not 0 <= j < len(wo.LR_GRID):
            continue
        path = _plain_run(run.method, p, wo.LR_GRID[j])
        final = float(p.loss(torch.from_numpy(path[-1])))
        if j == k:
            np.testing.assert_allclose(path, run.iterates, atol=1e-12)
        elif np.isfinite(final):
            assert final >= run.losses[-1]


def _plain_run(method: wo.PathMethod, p: Problem, lr: float) -> np.ndarray:
    theta = torch.nn.Parameter(torch.tensor(p.theta0, dtype=torch.float64))
    opt = method.make([{"params": [theta]}], lr)

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = p.loss(theta)
        loss.backward()
        return loss

    path = [theta.detach().clone()]
    for _ in range(p.steps):
        opt.step(closure)
        path.append(theta.detach().clone())
    return torch.stack(path).numpy()


def test_newton_solves_the_quadratic_in_one_step() -> None:
    minimiser = wo.QUADRATIC.minimiser.numpy()
    for name in ("Newton", "SaddleFreeNewton"):
        iterates = _run(name, "quadratic").iterates
        np.testing.assert_allclose(iterates[1], minimiser, atol=1e-12)
    # damped Newton's first step is (ηI + A)⁻¹A of the way, computed here by hand
    A = wo.QUADRATIC.A
    e0 = torch.tensor(wo.PROBLEMS["quadratic"].theta0, dtype=torch.float64) - wo.QUADRATIC.minimiser
    expected = (
        wo.QUADRATIC.minimiser + e0 - torch.linalg.solve(torch.eye(2, dtype=A.dtype) + A, A @ e0)
    )
    np.testing.assert_allclose(
        _run("DampedNewton (η = 1)", "quadratic").iterates[1], expected.numpy()
    )


@pytest.mark.parametrize("problem", sorted(wo.PROBLEMS))
def test_kfac_equals_natural_gradient_with_one_layer(problem: str) -> None:
    """One linear layer with a constant input: the Kronecker factorisation is exact."""
    ng = _run("NaturalGradient (λ = 1e-3)", problem).iterates
    kfac = _run("KFAC (λ = 1e-3)", problem).iterates
    np.testing.assert_allclose(kfac, ng, rtol=1e-9, atol=1e-12)


def test_natural_gradient_is_gauss_newton() -> None:
    """The first natural-gradient step is the Levenberg–Marquardt step from the residuals."""
    for problem in wo.PROBLEMS:
        theta0 = torch.tensor(wo.PROBLEMS[problem].theta0, dtype=torch.float64)
        J = torch.autograd.functional.jacobian(lambda t, p=problem: wo.residuals(p, t)[0], theta0)
        r, _ = wo.residuals(problem, theta0)
        step = -torch.linalg.solve(J.T @ J + 1e-3 * torch.eye(2, dtype=J.dtype), J.T @ r)
        iterates = _run("NaturalGradient (λ = 1e-3)", problem).iterates
        np.testing.assert_allclose(iterates[1], (theta0 + step).numpy(), rtol=1e-10)


def test_ema_momentum_is_heavy_ball_at_ten_times_the_rate() -> None:
    """EMA momentum at $\\gamma$ takes heavy ball's steps at $0.1\\gamma$ ($\\alpha = 0.9$)."""
    for problem in wo.PROBLEMS:
        hb = _run("heavy ball (μ = 0.9)", problem)
        ema = _run("EMAMomentum (α = 0.9)", problem)
        np.testing.assert_allclose(ema.iterates, hb.iterates, atol=1e-10)
        assert ema.chosen == pytest.approx(10 * hb.chosen, rel=0.01)


def test_saddle_outcomes() -> None:
    """Newton and SAM end at the saddle; gradient descent, saddle-free Newton and the
    Gauss–Newton step reach a minimum $(0, \\pm 1)$."""
    final = {r.method.name: r.iterates[-1] for r in wo.tuned_paths("saddle")}
    for name in ("Newton", "SAM (SGD, ρ = 0.05)"):
        assert np.abs(final[name]).max() < 0.01, name
    for name in ("SGD", "SaddleFreeNewton", "NaturalGradient (λ = 1e-3)", "Adam"):
        assert abs(abs(final[name][1]) - 1) < 0.05, name


def test_cost_runs_make_progress() -> None:
    runs = {r.name: r for r in oc.cost_runs()}
    assert set(runs) == set(oc.COST_METHODS)
    start = {float(r.losses[0]) for r in runs.values()}
    assert len(start) == 1  # one initial network for all
    sgd = runs["SGD (γ = 0.3)"].losses[-1]
    for name, run in runs.items():
        assert np.isfinite(run.losses).all() and len(run.flops) == len(run.losses) - 1, name
        assert run.losses[-1] < run.losses[0], name
    for name in ("NaturalGradient (λ = 1e-2)", "KFAC (λ = 1e-2)", "WoodFisher (λ = 1e-2)"):
        assert runs[name].losses[-1] < 0.1 * sgd, name


def test_cost_runs_count_what_every_step_costs() -> None:
    """Counting four steps gives the same counts as counting two and repeating the second:
    from the second step on, every method's step costs the same."""
    two = {r.name: r for r in oc.cost_runs()}
    four = {r.name: r for r in oc.cost_runs(steps=4, counted=4)}
    for name, run in four.items():
        assert len(set(run.flops[1:])) == 1, name
        assert run.flops == two[name].flops[:4], name
        # the same steps; under the counter a few ops run decomposed, so up to rounding
        np.testing.assert_allclose(run.losses, two[name].losses[:5], rtol=1e-12)
    # a gradient step: the six matrix products of the forward and backward pass of a 2-12-3
    # network on N = 90 examples, and a few per cent more of elementwise work
    N = 90
    products = 2 * N * (2 * 12 + 12 * 3) + 2 * N * (2 * 12 + 2 * 12 * 3)
    sgd = two["SGD (γ = 0.3)"].flops[0]
    assert products == 28_080 and 1 < sgd / products < 1.1
    # heavy ball's first step only stores the gradient; later ones also update the buffer
    hb = two["heavy ball (γ = 0.1, μ = 0.9)"].flops
    assert hb[0] == sgd and hb[1] > sgd


def test_cost_counts_are_identical_across_runs() -> None:
    first = oc.cost_runs.__wrapped__(steps=3)
    second = oc.cost_runs.__wrapped__(steps=3)
    for a, b in zip(first, second, strict=True):
        assert a.flops == b.flops, a.name
        np.testing.assert_array_equal(a.losses, b.losses)


def _flop_ratio(name: str) -> float:
    runs = {r.name: r for r in oc.cost_runs()}
    return runs[name].flops[-1] / runs["SGD (γ = 0.3)"].flops[-1]


def _flops_to_reach(name: str, target: float) -> float:
    run = next(r for r in oc.cost_runs() if r.name == name)
    t = int(np.argmax(run.losses <= target))
    assert run.losses[t] <= target, name
    return float(sum(run.flops[:t]))


def test_what_the_cost_caption_says() -> None:
    """The numbers of the cost figure's caption, the section's prose and the summary."""
    runs = {r.name: r for r in oc.cost_runs()}
    sgd_flops = runs["SGD (γ = 0.3)"].flops[-1]
    assert f"{sgd_flops:.2g}" == "3e+04"
    final = {name: float(r.losses[-1]) for name, r in runs.items()}
    first_order = list(runs)[:5]
    assert max(first_order, key=lambda n: -final[n]) == "Adam (γ = 0.03)"
    assert min(final[n] for n in first_order) > 0.08
    hb, sam = final["heavy ball (γ = 0.1, μ = 0.9)"], final["SAM (heavy ball, ρ = 0.05)"]
    assert abs(sam - hb) < 1e-3 * hb
    assert round(_flop_ratio("SAM (heavy ball, ρ = 0.05)"), 1) == 2.0
    for name in ("heavy ball (γ = 0.1, μ = 0.9)", "Adam (γ = 0.03)", "PathSGD (γ = 0.3)"):
        assert 1 < _flop_ratio(name) < 1.05, name  # "at most a few per cent"
    for name in ("NaturalGradient (λ = 1e-2)", "KFAC (λ = 1e-2)", "WoodFisher (λ = 1e-2)"):
        assert 3e-4 < final[name] < 3e-3, name
    assert 1e-2 < final["SaddleFreeNewton (η = 0.1)"] < 3e-2
    ratios = {
        "KFAC (λ = 1e-2)": 7,
        "WoodFisher (λ = 1e-2)": 144,
        "SaddleFreeNewton (η = 0.1)": 270,
        "NaturalGradient (λ = 1e-2)": 343,
    }
    for name, ratio in ratios.items():
        assert round(_flop_ratio(name)) == ratio, name
    # flops to reach gradient descent's final loss, relative to gradient descent's 60 steps
    sgd_total = sum(runs["SGD (γ = 0.3)"].flops)
    target = final["SGD (γ = 0.3)"]
    assert 0.3 < _flops_to_reach("KFAC (λ = 1e-2)", target) / sgd_total < 0.4  # "a third"
    others = [n for n in ratios if n != "KFAC (λ = 1e-2)"]
    rel = [_flops_to_reach(n, target) / sgd_total for n in others]
    assert round(min(rel)) == 7 and round(max(rel)) == 36
    # "worth ten to twenty gradient steps": steps to reach gradient descent's 60-step loss
    steps = [
        int(np.argmax(runs[n].losses <= target))
        for n in ("NaturalGradient (λ = 1e-2)", "KFAC (λ = 1e-2)", "WoodFisher (λ = 1e-2)")
    ]
    assert all(10 <= 60 / t <= 20 for t in steps), steps


def test_cost_figure_is_byte_identical_across_renders() -> None:
    pytest.importorskip("matplotlib")
    from tests_support import figure_svg

    assert figure_svg("which-optimizer-cost") == figure_svg("which-optimizer-cost")
    assert figure_svg("which-optimizer-cost", "dark") == figure_svg("which-optimizer-cost", "dark")


def test_the_page_table_defaults_match_the_constructors() -> None:
    """Every `name=value` span in a table row of an optimizer is that constructor's default."""
    text = PAGE.read_text(encoding="utf-8")
    checked = 0
    for line in text.splitlines():
        if not line.startswith("| `"):
            continue
        cls = getattr(optim, line.split("`")[1])
        params = inspect.signature(cls.__init__).parameters
        for key, value in re.findall(r"`(\w+)=([^`]+)`", line):
            assert key in params, (cls.__name__, key)
            assert params[key].default == ast.literal_eval(value), (cls.__name__, key)
            checked += 1
    assert checked >= 40


def test_path_sgd_trains_every_node_scaling_identically() -> None:
    runs = oc.path_sgd_rescaling_runs()
    base = runs["PathSGD, balanced"]
    for name in ("PathSGD, rescaled by c", "PathSGD, rescaled by 1/c"):
        np.testing.assert_allclose(runs[name], base, rtol=1e-10)
    sgd = runs["SGD, balanced"]
    for name in ("SGD, rescaled by c", "SGD, rescaled by 1/c"):
        np.testing.assert_allclose(runs[name][0], sgd[0], rtol=1e-12)  # the same function
        assert np.abs(runs[name] - sgd).max() > 1e-2


def _gap(name: str, problem: str) -> float:
    minimum = -0.25 if problem == "saddle" else 0.0
    return float(_run(name, problem).losses[-1]) - minimum


def test_slide_forms_end_near_their_torch_counterparts() -> None:
    for problem in ("quadratic", "rosenbrock"):
        for slide, torch_form in (("SlideAdam", "Adam"), ("SlideRMSprop", "RMSprop")):
            ratio = _gap(slide, problem) / _gap(torch_form, problem)
            assert 0.1 < ratio < 10, (problem, slide, ratio)


def test_what_the_captions_say() -> None:
    quad = {r.method.name: _gap(r.method.name, "quadratic") for r in wo.tuned_paths("quadratic")}
    family = [m.name for m in wo.PATH_METHODS if m.family == "SGD and momentum"]
    assert min(family, key=quad.get) == "Nesterov (μ = 0.9)"
    assert quad["Nesterov (μ = 0.9)"] < min(
        quad[m.name] for m in wo.PATH_METHODS if m.family in ("RMS scaling", "Adam family")
    )
    adaptive = [m.name for m in wo.PATH_METHODS if m.family in ("RMS scaling", "Adam family")]
    assert max(adaptive, key=quad.get) == "Adadelta"
    others = [n for n in adaptive if n != "Adadelta"]
    assert 4e-4 < min(quad[n] for n in others) and max(quad[n] for n in others) < 2e-2
    assert max(others, key=quad.get) == "AdamW (λ = 0.01)"
    rosen = {r.method.name: _gap(r.method.name, "rosenbrock") for r in wo.tuned_paths("rosenbrock")}
    assert rosen["heavy ball (μ = 0.9)"] < min(rosen[n] for n in adaptive)
    for name in ("Adam", "AMSGrad", "SlideAdam"):
        assert rosen[name] < 2e-4, name
    for name in ("Newton", "SaddleFreeNewton", "NaturalGradient (λ = 1e-3)", "KFAC (λ = 1e-3)"):
        assert rosen[name] < 1e-12, name
    # the saddle: every first-order method but SAM reaches a minimum
    saddle = wo.tuned_paths("saddle")
    for run in saddle:
        if run.method.tune == "lr" and run.method.cls is not optim.SAM:
            assert abs(abs(run.iterates[-1, 1]) - 1) < 0.1, run.method.name


def _state_keys(cls: type) -> set[str]:
    """The state keys one step of ``cls`` creates, with every option that adds state turned on."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
    model = model.double()
    X = torch.randn(6, 2, dtype=torch.float64)
    y = torch.tensor([0, 1, 0, 1, 1, 0])
    options = {
        optim.SGD: {"momentum": 0.9},
        optim.RMSprop: {"momentum": 0.9, "centered": True},
        optim.Adam: {"amsgrad": True},
        optim.AdamW: {"amsgrad": True},
    }
    if cls in (optim.KFAC, optim.PathSGD):
        opt = cls(model)
    elif cls is optim.SAM:
        opt = cls(model.parameters(), optim.SGD, lr=0.1)
    else:
        opt = cls(model.parameters(), **options.get(cls, {}))

    def per_example() -> tuple[torch.Tensor, torch.Tensor]:
        z = model(X)
        return torch.nn.functional.cross_entropy(z, y, reduction="none"), z

    def with_backward() -> torch.Tensor:
        opt.zero_grad()
        loss = per_example()[0].mean()
        loss.backward()
        return loss

    if cls in (optim.NaturalGradient, optim.KFAC, optim.WoodFisher):
        opt.step(per_example)
    elif issubclass(cls, optim.Newton):
        opt.step(lambda: per_example()[0].mean())
    else:
        opt.step(with_backward)
    keys = {k for state in opt.state.values() for k in state}
    return keys - {"step"}


def test_the_page_table_state_column_matches_the_optimizers() -> None:
    """The state keys named in the first table are exactly those the optimizer creates."""
    text = PAGE.read_text(encoding="utf-8")
    first_table = text.split("| optimizer | update |")[1].split("\n\n")[0]
    rows = [line for line in first_table.splitlines() if line.startswith("| `")]
    assert len(rows) == len(_optimizer_classes())
    for line in rows:
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        cls = getattr(optim, cells[0].strip("`"))
        named = set(re.findall(r"`(\w+)`", cells[2]))
        if cls is optim.AdamW:  # "as Adam"
            named = {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"}
        assert named == _state_keys(cls), cls.__name__


def _sci(x: float) -> str:
    """``9.4·10^6``-style text, as the page writes it (two significant digits)."""
    mantissa, exponent = f"{x:.1e}".split("e")
    return f"{mantissa}\\cdot10^{int(exponent)}"


def test_where_the_flops_go() -> None:
    """The breakdown the section "What a step costs" quotes, number by number."""
    text = PAGE.read_text(encoding="utf-8")
    sgd = oc.cost_breakdown("SGD (γ = 0.3)")
    quoted = [_sci(sum(sgd.values())), _sci(sgd["mm"] + sgd["addmm"])]
    ng = oc.cost_breakdown("NaturalGradient (λ = 1e-2)")
    quoted += [_sci(ng["mm"] + ng["bmm"]), _sci(sum(ng.values())), _sci(ng["_linalg_solve_ex"])]
    sfn = oc.cost_breakdown("SaddleFreeNewton (η = 0.1)")
    assert sfn["_linalg_eigh"] == 9 * 75**3
    quoted += [_sci(sfn["mm"]), _sci(sfn["_linalg_eigh"])]
    wf = oc.cost_breakdown("WoodFisher (λ = 1e-2)")
    updates = sum(wf[op] for op in ("mv", "dot", "mul", "div", "sub"))
    quoted += [_sci(updates), _sci(sum(wf.values()))]
    kfac = oc.cost_breakdown("KFAC (λ = 1e-2)")
    quoted += [_sci(kfac["_linalg_eigh"])]
    for number in quoted:
        assert f"${number}$" in text or f"{number}$" in text, number
