"""The figure cache: render misses only, re-render exactly the dependents of an edit, prune,
byte-identical output, and failures that name the figure."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from kb.figure_cache import FigureCache, FigureError

pytest.importorskip("matplotlib")


def make_cache(project) -> FigureCache:
    return FigureCache(project.root, project.root / ".cache", workers=2)


def test_second_render_renders_nothing(fake_project):
    first = make_cache(fake_project).render(progress=None)
    assert sorted(first.rendered) == ["fig-a", "fig-b", "fig-c"]
    assert fake_project.rendered() == {"fig-a", "fig-b", "fig-c"}
    second = make_cache(fake_project).render(progress=None)
    assert second.rendered == []
    assert fake_project.rendered() == set()


@pytest.mark.parametrize(
    ("edited", "expected"),
    [
        ("refimpl/a.py", {"fig-a"}),
        ("refimpl/b.py", {"fig-b"}),
        ("refimpl/pkg/c.py", {"fig-c"}),
        ("refimpl/pkg/d.py", set()),  # re-exported next to VALUE_C, but no figure uses it
        ("refimpl/figures/fig_b.py", {"fig-b"}),
        ("refimpl/figures/registry.py", {"fig-a", "fig-b", "fig-c"}),
    ],
)
def test_editing_a_module_rerenders_only_its_dependents(fake_project, edited, expected):
    make_cache(fake_project).render(progress=None)
    fake_project.rendered()
    fake_project.touch(edited)
    report = make_cache(fake_project).render(progress=None)
    assert set(report.rendered) == expected
    assert fake_project.rendered() == expected


def test_stale_entries_are_pruned(fake_project):
    cache = make_cache(fake_project)
    cache.render(progress=None)
    old = cache.entries["fig-a"].paths["light"]
    fake_project.touch("refimpl/a.py")
    cache = make_cache(fake_project)
    cache.render(progress=None)
    removed = cache.prune()
    assert old in removed and not old.exists()
    files = sorted(p.name for p in cache.directory.iterdir())
    assert len(files) == 6  # three figures, two schemes each
    assert all(path.exists() for e in cache.entries.values() for path in e.paths.values())


def test_svg_bytes_are_identical_across_renders(fake_project):
    cache = make_cache(fake_project)
    cache.render(progress=None)
    first = {e.id: {s: p.read_bytes() for s, p in e.paths.items()} for e in cache.entries.values()}
    cache.render(force=True, progress=None)
    again = {e.id: {s: p.read_bytes() for s, p in e.paths.items()} for e in cache.entries.values()}
    assert first == again
    svg = first["fig-a"]["light"].decode()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg


def test_light_and_dark_schemes_differ_in_ink(fake_project):
    from refimpl.figures.style import DARK, LIGHT

    cache = make_cache(fake_project)
    cache.render(progress=None)
    paths = cache.entries["fig-a"].paths
    light, dark = paths["light"].read_text(), paths["dark"].read_text()
    assert LIGHT["text.color"] in light and LIGHT["text.color"] not in dark
    assert DARK["text.color"] in dark


def test_a_failing_figure_is_named_and_the_others_still_render(fake_project, monkeypatch):
    monkeypatch.setenv("KB_TEST_FAIL", "fig-b")
    cache = make_cache(fake_project)
    with pytest.raises(FigureError) as info:
        cache.render(progress=None)
    assert "fig-b" in str(info.value) and "deliberate failure in fig-b" in str(info.value)
    assert set(info.value.failures) == {"fig-b"}
    assert cache.entries["fig-a"].is_cached and not cache.entries["fig-b"].is_cached


def test_progress_lines_on_the_stream(fake_project):
    stream = io.StringIO()
    make_cache(fake_project).render(progress=stream)
    lines = stream.getvalue().splitlines()
    assert [line.split()[1] for line in lines[:3]] == ["1/3", "2/3", "3/3"]
    assert lines[-1].startswith("figures: rendered 3")


def test_unknown_id_is_refused(fake_project):
    with pytest.raises(KeyError, match="nope"):
        make_cache(fake_project).render(["nope"], progress=None)


def run_kb(project, *args, **env):
    return subprocess.run(
        [sys.executable, "-m", "kb.cli", "--root", str(project.root), *args],
        capture_output=True,
        text=True,
        env={**_base_env(project), **env},
    )


def _base_env(project):
    import os

    return {**os.environ, "PYTHONPATH": str(project.root), "KB_TEST_CALLS": str(project.calls)}


def test_kb_figures_cli_renders_the_chosen_ids(fake_project):
    result = run_kb(fake_project, "figures", "fig-a")
    assert result.returncode == 0, result.stderr
    assert "figures 1/1 fig-a" in result.stderr
    assert fake_project.rendered() == {"fig-a"}
    assert result.stdout.count(".svg") == 2


def test_kb_figures_cli_reports_a_failure(fake_project):
    result = run_kb(fake_project, "figures", KB_TEST_FAIL="fig-c")
    assert result.returncode == 1
    assert "figure 'fig-c' failed" in result.stderr


def mkdocs_build(project, **env):
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project.root / "site")],
        cwd=project.root,
        capture_output=True,
        text=True,
        env={**_base_env(project), "NO_MKDOCS_2_WARNING": "1", **env},
    )


def test_build_embeds_figures_and_adds_their_files(fake_project):
    fake_project.write_site({"index.md": "# Home\n\n![The *a* figure.](figure:fig-a)\n"})
    result = mkdocs_build(fake_project)
    assert result.returncode == 0, result.stderr
    site = fake_project.root / "site"
    html = (site / "index.html").read_text()
    assert 'src="figures/fig-a.svg#only-light"' in html
    assert 'src="figures/fig-a.dark.svg#only-dark"' in html
    assert "<figcaption>The <em>a</em> figure.</figcaption>" in html
    cache = make_cache(fake_project)
    assert (site / "figures" / "fig-a.svg").read_bytes() == cache.entries["fig-a"].paths[
        "light"
    ].read_bytes()


def test_strict_build_fails_on_an_unknown_figure_id(fake_project):
    fake_project.write_site({"index.md": "# Home\n\n![caption](figure:no-such-figure)\n"})
    result = mkdocs_build(fake_project)
    assert result.returncode != 0
    assert "index.md: unknown figure id 'no-such-figure'" in result.stderr


def test_build_fails_naming_a_figure_that_raises(fake_project):
    fake_project.write_site({"index.md": "# Home\n\n![caption](figure:fig-a)\n"})
    result = mkdocs_build(fake_project, KB_TEST_FAIL="fig-a")
    assert result.returncode != 0
    assert "figure 'fig-a' failed" in result.stderr
    assert "deliberate failure in fig-a" in result.stderr
