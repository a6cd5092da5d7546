"""The Markdown rewrites: figures, citations and readings; code blocks left alone."""

from __future__ import annotations

from pathlib import Path

from kb import markdown as md
from kb.reading import Entry


def entry(**kw) -> Entry:
    base = dict(id="li2018landscape", path=Path("x.md"), title="Visualizing the Loss Landscape")
    base |= dict(authors=["Hao Li", "Zheng Xu", "Gavin Taylor"], year=2018, arxiv="1712.09913")
    return Entry(**(base | kw))


def test_figure_line_becomes_light_and_dark_images_with_relative_paths():
    out, used, unknown = md.embed_figures(
        "Text\n\n![A $x^2$ caption.](figure:gd-steps)\n", "optimization/gd.md", {"gd-steps"}
    )
    assert used == ["gd-steps"] and unknown == []
    assert "(../figures/gd-steps.svg#only-light)" in out
    assert "(../figures/gd-steps.dark.svg#only-dark)" in out
    assert '<figcaption markdown="span">A $x^2$ caption.</figcaption>' in out
    assert "![A x^2 caption.]" in out  # alt text without math dollars


def test_unknown_figure_is_reported():
    _, used, unknown = md.embed_figures("![c](figure:nope)\n", "index.md", {"other"})
    assert used == [] and unknown == ["nope"]


def test_figure_syntax_inside_code_is_left_alone():
    text = "```markdown\n![c](figure:nope)\n```\n\n    ~~~\n"
    out, used, unknown = md.embed_figures(text, "index.md", set())
    assert out == text and used == [] and unknown == []


def test_citation_links_to_the_entry():
    out, unknown = md.link_citations("As shown [[@li2018landscape]].", {"li2018landscape": entry()})
    assert unknown == []
    assert out == (
        "As shown [Li et al., 2018](https://arxiv.org/abs/1712.09913 "
        '"Visualizing the Loss Landscape").'
    )


def test_unknown_citation_and_inline_code():
    out, unknown = md.link_citations("`[[@a]]` and [[@b]]", {})
    assert unknown == ["b"]
    assert out.startswith("`[[@a]]`")


def test_readings_sorted_by_priority_then_year():
    a = entry(id="a", priority=None, year=2020)
    b = entry(id="b", priority="p1", year=2010, status="read")
    section = md.readings_section([a, b])
    assert section.startswith("## Readings")
    assert section.index("kb-status--read") < section.index("kb-status--to-read")
    assert md.readings_section([]) == ""


def test_readings_go_to_the_marker():
    out = md.add_readings("# T\n\n<!-- readings -->\n\n## After\n", "## Readings\n")
    assert out == "# T\n\n## Readings\n\n\n## After\n"
