"""The reading list on a tiny site built in a temporary directory: generated index and entry
pages, escaped titles, citations and Readings linking to entry pages, tag pages, Obsidian
wikilinks, callouts and task lists, and a strict-build failure on an unresolved wikilink."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("material")

REPO = Path(__file__).resolve().parents[2]

MKDOCS_YML = """\
site_name: tiny
strict: true
theme:
  name: material
validation:
  links:
    not_found: warn
    anchors: warn
plugins:
  - tags
  - kb
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tasklist:
      custom_checkbox: true
nav:
  - index.md
  - other.md
  - Reading list: reading-list/index.md
  - tags.md
"""

EVIL = """\
---
title: <script>alert(1)</script> & "quotes"
kind: paper
authors: [Eve <b>Bold</b> Hacker]
year: 2020
venue: <i>Venue</i>
url: https://example.org/?a=1&b=<x>
arxiv: null
status: reading
priority: p1
tags: [security, "<img src=x onerror=alert(2)>"]
concepts: [other]
---
Notes with a [[other#Section A|link to a section]] and a callout:

> [!warning] Careful
> The body of the callout.

#security #to-check
"""

PLAIN = """\
---
title: A Plain Paper
kind: paper
authors: [Ann Author]
year: 2019
status: read
tags: [security]
concepts: []
---
"""

INDEX = """\
# Home

Cited: [[@evil2020]] and [[@plain2019]]. See [[other]] and [[other|the other page]].
Entry by id: [[plain2019]].

> [!tip]- Folded tip
> Hidden text.

- [x] done task
- [ ] open task

```markdown
[[not-a-link]] and [[@notacite]] in code stay as they are
```
"""

OTHER = """\
---
tags: [security]
---
# Other

## Section A

Text.
"""


def make_site(root: Path, index: str = INDEX) -> None:
    figures = root / "refimpl" / "figures"
    figures.mkdir(parents=True)
    (root / "refimpl" / "__init__.py").write_text('"""Tiny refimpl."""\n')
    for name in ("__init__.py", "registry.py", "style.py"):
        shutil.copy(REPO / "refimpl" / "figures" / name, figures / name)
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    docs = root / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(index)
    (docs / "other.md").write_text(OTHER)
    (docs / "tags.md").write_text("# Tags\n\n<!-- material/tags -->\n")
    reading = root / "reading_list"
    reading.mkdir()
    (reading / "evil2020.md").write_text(EVIL)
    (reading / "plain2019.md").write_text(PLAIN)


def build(root: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` of the tiny site into ``root/site``; strict unless ``flags`` are given."""
    command = [sys.executable, "-m", "mkdocs", "build", *(flags or ["--strict"])]
    return subprocess.run(
        [*command, "-d", str(root / "site")],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{REPO}", "NO_MKDOCS_2_WARNING": "1"},
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tiny")
    make_site(root)
    result = build(root)
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_titles_and_fields_render_as_text_never_as_markup(site):
    pages = [
        site / "reading-list" / "index.html",
        site / "reading-list" / "evil2020" / "index.html",
    ]
    pages += [site / "index.html", site / "other" / "index.html", site / "tags" / "index.html"]
    for page in pages:
        html = page.read_text()
        assert "<script>alert(1)" not in html, page
        assert "<img src=x" not in html and "<b>Bold" not in html and "<i>Venue" not in html, page
    entry = (site / "reading-list" / "evil2020" / "index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; " in entry
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;" in entry
    assert 'href="https://example.org/?a=1&amp;b=&lt;x&gt;"' in entry
    assert "Eve &lt;b&gt;Bold&lt;/b&gt; Hacker" in entry


def test_index_shows_progress_and_groups_by_priority_then_status(site):
    html = (site / "reading-list" / "index.html").read_text()
    assert "1 / 2" in html  # one of two entries read
    assert html.index('id="priority-p1"') < html.index('id="priority-none"')
    assert 'id="p1-reading"' in html and 'id="none-read"' in html
    assert 'href="evil2020/"' in html and 'href="plain2019/"' in html
    assert '<span class="kb-tag">security</span>' in html


def test_entry_page_has_the_card_the_notes_and_obsidian_syntax(site):
    html = (site / "reading-list" / "evil2020" / "index.html").read_text()
    assert 'class="kb-card"' in html and "kb-status--reading" in html
    assert 'href="../../other/#section-a"' in html and "link to a section" in html
    assert 'class="admonition warning"' in html and "Careful" in html
    assert "<p>#security #to-check</p>" in html  # an Obsidian tag line, not a heading


def test_citations_wikilinks_callouts_and_tasks_on_a_page(site):
    html = (site / "index.html").read_text()
    assert 'href="reading-list/evil2020/"' in html and 'href="reading-list/plain2019/"' in html
    assert 'href="other/"' in html and ">the other page</a>" in html
    assert '<a href="reading-list/plain2019/">A Plain Paper</a>' in html
    assert '<details class="tip">' in html and "Folded tip" in html
    assert "task-list" in html
    assert "[[not-a-link]]" in html and "[[@notacite]]" in html


def test_readings_section_links_to_entry_pages_with_badges(site):
    html = (site / "other" / "index.html").read_text()
    assert 'id="readings"' in html
    assert 'href="../reading-list/evil2020/"' in html and "kb-status--reading" in html


def test_tag_pages_list_the_entries(site):
    html = (site / "tags" / "index.html").read_text()
    assert "reading-list/plain2019/" in html and "reading-list/evil2020/" in html


def test_an_unresolved_wikilink_fails_the_strict_build_naming_page_and_target(tmp_path):
    make_site(tmp_path, INDEX + "\nBroken: [[no-such-page#x]]\n")
    result = build(tmp_path)
    assert result.returncode != 0
    assert "index.md: wikilink [[no-such-page#x]] resolves to no page or file" in result.stderr


def test_a_bad_entry_fails_the_strict_build_with_its_line(tmp_path):
    make_site(tmp_path)
    bad = tmp_path / "reading_list" / "plain2019.md"
    bad.write_text(bad.read_text().replace("status: read", "status: finished"))
    result = build(tmp_path)
    assert result.returncode != 0
    assert "plain2019.md:6: status: must be one of" in result.stderr


def test_a_dirty_rebuild_rerenders_only_the_edited_entry(tmp_path):
    # `make serve` runs `mkdocs serve --dirty`: generated entry pages must count as modified
    # only when their text changes, or every edit would re-render the whole reading list.
    make_site(tmp_path)
    assert build(tmp_path).returncode == 0
    site = tmp_path / "site" / "reading-list"
    untouched, edited = site / "evil2020" / "index.html", site / "plain2019" / "index.html"
    before = {page: page.stat().st_mtime_ns for page in (untouched, edited)}
    time.sleep(0.05)
    entry = tmp_path / "reading_list" / "plain2019.md"
    entry.write_text(entry.read_text().replace("status: read", "status: reading"))
    result = build(tmp_path, "--dirty", "--no-strict")
    assert result.returncode == 0, result.stderr
    assert untouched.stat().st_mtime_ns == before[untouched]
    assert edited.stat().st_mtime_ns > before[edited]
    assert "kb-status--reading" in edited.read_text()
