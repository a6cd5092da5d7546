"""A throw-away project with its own small ``refimpl`` package, for testing the figure cache."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

FIGURE_TEMPLATE = """
import os

from matplotlib.figure import Figure

{imports}
from refimpl.figures.registry import figure


@figure("{fig_id}")
def make() -> Figure:
    with open(os.environ["KB_TEST_CALLS"], "a") as log:
        log.write("{fig_id}\\n")
    if os.environ.get("KB_TEST_FAIL") == "{fig_id}":
        raise ValueError("deliberate failure in {fig_id}")
    fig = Figure()
    ax = fig.subplots()
    ax.plot([0.0, 1.0], [0.0, {value}])
    ax.set_title("{fig_id}")
    return fig
"""


class FakeProject:
    """``root/refimpl`` with modules ``a``, ``b`` (re-exported by ``pkg``) and three figures."""

    def __init__(self, root: Path):
        self.root = root
        self.calls = root / "calls.log"
        pkg = root / "refimpl"
        (pkg / "figures").mkdir(parents=True)
        (pkg / "pkg").mkdir()
        (pkg / "__init__.py").write_text('"""Fake refimpl."""\n')
        (pkg / "a.py").write_text("VALUE_A = 1.0\n")
        (pkg / "b.py").write_text("VALUE_B = 2.0\n")
        (pkg / "pkg" / "__init__.py").write_text(
            "from refimpl.pkg.c import VALUE_C\nfrom refimpl.pkg.d import VALUE_D\n"
        )
        (pkg / "pkg" / "c.py").write_text("VALUE_C = 3.0\n")
        (pkg / "pkg" / "d.py").write_text("from refimpl.b import VALUE_B\n\nVALUE_D = VALUE_B\n")
        for name in ("__init__.py", "registry.py", "style.py"):
            shutil.copy(REPO / "refimpl" / "figures" / name, pkg / "figures" / name)
        self.figure("fig_a", "fig-a", "from refimpl.a import VALUE_A", "VALUE_A")
        self.figure("fig_b", "fig-b", "from refimpl import b", "b.VALUE_B")
        self.figure("fig_c", "fig-c", "from refimpl.pkg import VALUE_C", "VALUE_C")

    def figure(self, module: str, fig_id: str, imports: str, value: str) -> None:
        text = FIGURE_TEMPLATE.format(fig_id=fig_id, imports=imports, value=value)
        (self.root / "refimpl" / "figures" / f"{module}.py").write_text(text)

    def touch(self, rel: str) -> None:
        path = self.root / rel
        path.write_text(path.read_text() + "# edited\n")

    def rendered(self) -> set[str]:
        """Figure ids whose functions ran since the last call (each runs once per scheme)."""
        if not self.calls.exists():
            return set()
        ids = set(self.calls.read_text().split())
        self.calls.unlink()
        return ids

    def write_site(self, pages: dict[str, str]) -> None:
        (self.root / "mkdocs.yml").write_text(
            textwrap.dedent(
                """\
                site_name: fake
                strict: true
                validation:
                  links:
                    not_found: warn
                plugins:
                  - kb
                markdown_extensions:
                  - attr_list
                  - md_in_html
                """
            )
        )
        docs = self.root / "docs"
        docs.mkdir(exist_ok=True)
        for name, text in pages.items():
            (docs / name).write_text(text)


@pytest.fixture
def fake_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeProject:
    project = FakeProject(tmp_path / "project")
    monkeypatch.setenv("KB_TEST_CALLS", str(project.calls))
    monkeypatch.delenv("KB_TEST_FAIL", raising=False)
    return project
