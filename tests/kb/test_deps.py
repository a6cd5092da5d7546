"""The static import graph, checked against what Python actually imports."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kb.deps import ModuleGraph, figure_ids


def test_from_import_of_a_module(fake_project):
    graph = ModuleGraph(fake_project.root, "refimpl")
    assert graph.direct_deps("refimpl.figures.fig_b") >= {"refimpl.b"}
    assert "refimpl.a" not in graph.closure("refimpl.figures.fig_b")


def test_reexported_name_resolves_to_its_defining_module(fake_project):
    graph = ModuleGraph(fake_project.root, "refimpl")
    closure = graph.closure("refimpl.figures.fig_c")
    # VALUE_C is defined in refimpl/pkg/c.py; refimpl/pkg/d.py (and so refimpl/b.py) is not used.
    assert "refimpl.pkg.c" in closure
    assert "refimpl.pkg.d" not in closure
    assert "refimpl.b" not in closure


def test_relative_imports_resolve(fake_project):
    (fake_project.root / "refimpl" / "pkg" / "e.py").write_text(
        "from .c import VALUE_C\nfrom ..a import VALUE_A\nfrom . import d\n"
    )
    graph = ModuleGraph(fake_project.root, "refimpl")
    assert graph.direct_deps("refimpl.pkg.e") == {"refimpl.pkg.c", "refimpl.a", "refimpl.pkg.d"}


def test_closure_is_transitive(fake_project):
    (fake_project.root / "refimpl" / "pkg" / "e.py").write_text("from refimpl.pkg import d\n")
    graph = ModuleGraph(fake_project.root, "refimpl")
    assert {"refimpl.pkg.d", "refimpl.b"} <= set(graph.closure("refimpl.pkg.e"))


def test_static_ids_match_the_runtime_registry(fake_project):
    graph = ModuleGraph(fake_project.root, "refimpl")
    static = figure_ids(graph, "refimpl.figures")
    code = (
        "import refimpl.figures as f; print(sorted((k, v.module) for k, v in f.REGISTRY.items()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=fake_project.root,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(fake_project.root), "MPLBACKEND": "Agg"},
    ).stdout
    assert out.strip() == str(sorted(static.items()))


def test_static_ids_of_the_real_package_match_its_registry():
    pytest.importorskip("matplotlib")
    from pathlib import Path

    import refimpl.figures

    root = Path(refimpl.figures.__file__).resolve().parents[2]
    static = figure_ids(ModuleGraph(root, "refimpl"), "refimpl.figures")
    runtime = {k: v.module for k, v in refimpl.figures.REGISTRY.items()}
    assert static == runtime


def test_duplicate_ids_are_refused(fake_project):
    fake_project.figure("fig_a2", "fig-a", "from refimpl.a import VALUE_A", "VALUE_A")
    with pytest.raises(ValueError, match="fig-a"):
        figure_ids(ModuleGraph(fake_project.root, "refimpl"), "refimpl.figures")
