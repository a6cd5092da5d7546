"""The strict build of the whole site: it succeeds, and what it writes is what we expect."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests_support import public_names

import refimpl

pytestmark = pytest.mark.site


def test_every_registered_figure_is_in_the_site_in_both_schemes(built_site: Path):
    figures = pytest.importorskip("refimpl.figures")
    for fig_id in figures.REGISTRY:
        for name in (f"{fig_id}.svg", f"{fig_id}.dark.svg"):
            svg = (built_site / "figures" / name).read_text()
            assert svg.startswith("<?xml") and "<svg" in svg, name


def test_every_registered_figure_is_embedded_by_some_page(built_site: Path):
    figures = pytest.importorskip("refimpl.figures")
    html = "\n".join(p.read_text() for p in built_site.rglob("*.html"))
    orphans = [i for i in figures.REGISTRY if f'id="figure-{i}"' not in html]
    assert orphans == [], f"registered figures no page shows: {orphans}"


def test_katex_is_served_from_the_site(built_site: Path):
    katex = built_site / "assets" / "katex"
    assert (katex / "katex.min.js").is_file()
    assert (katex / "contrib" / "auto-render.min.js").is_file()
    css = (katex / "katex.min.css").read_text()
    fonts = set(re.findall(r"url\((fonts/[^)]+\.woff2)\)", css))
    assert fonts and all((katex / f).is_file() for f in fonts)


def test_no_page_references_another_host_for_assets(built_site: Path):
    pattern = re.compile(r"""<(?:script|link|img)[^>]+(?:src|href)=["'](?:https?:)?//""")
    offenders = [
        p.relative_to(built_site).as_posix()
        for p in built_site.rglob("*.html")
        if pattern.search(p.read_text())
    ]
    assert offenders == []


def test_api_reference_lists_every_public_name(built_site: Path):
    html = "\n".join(p.read_text() for p in (built_site / "api").rglob("*.html"))
    missing = [name for name in public_names(refimpl) if f'id="{name}"' not in html]
    assert missing == [], f"public names missing from the API pages: {missing}"


def test_notebook_is_executed_and_downloadable(built_site: Path):
    page = built_site / "notebooks" / "gradient-descent" / "index.html"
    html = page.read_text()
    assert "jp-OutputArea" in html, "the notebook was not executed"
    assert (page.parent / "gradient-descent.py").is_file()
    assert 'href="gradient-descent.py"' in html and "download" in html


def test_reading_list_index_shows_every_title_verbatim(built_site: Path):
    """Titles are text: no escape may leak through or turn part of one into math."""
    import html as html_lib

    from kb.reading import load_reading_list

    entries, _ = load_reading_list(Path(__file__).resolve().parents[2] / "reading_list")
    page = (built_site / "reading-list" / "index.html").read_text()
    text = html_lib.unescape(re.sub(r"<[^>]+>", "", page))
    missing = [e.id for e in entries.values() if e.title not in text]
    assert missing == []
    assert "\\(" not in text and "\\[" not in text
