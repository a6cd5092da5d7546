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


def test_obsidian_wikilinks_resolve_by_path_or_unique_name():
    resolver = md.WikiResolver(["index.md", "optim/gd.md", "img/a.png", "x/gd2.md", "y/gd2.md"])
    out, unresolved = md.link_wikilinks(
        "[[gd]] [[optim/gd#Step size|steps]] ![[a.png]] [[gd2]] `[[gd]]` [[@key]]",
        "optim/other.md",
        resolver,
    )
    assert out == (
        "[gd](gd.md) [steps](gd.md#step-size) ![a.png](../img/a.png) "
        "**unresolved link gd2** `[[gd]]` [[@key]]"
    )
    assert unresolved == ["[[gd2]]"]  # two files are called gd2


def test_callouts_become_admonitions():
    text = "> [!NOTE] A title\n> line one\n> line two\n\n> [!tip]-\n> folded\n\n> quote\n"
    assert md.convert_callouts(text) == (
        '!!! note "A title"\n\n    line one\n    line two\n\n\n??? tip\n\n    folded\n\n\n> quote\n'
    )


def test_line_start_tags_are_not_headings():
    assert md.escape_line_tags("#reading #p1\n# Heading\n## Sub\n```\n#x\n```\n") == (
        "\\#reading #p1\n# Heading\n## Sub\n```\n#x\n```\n"
    )


def test_caption_may_contain_a_link():
    text = "![See [the paper](https://example.org) for $x$.](figure:gd-steps)\n"
    out, used, unknown = md.embed_figures(text, "index.md", {"gd-steps"})
    assert used == ["gd-steps"] and unknown == []
    assert md.stray_figure_embeds(out) == []


def test_embed_not_alone_on_its_line_is_reported():
    text = "Inline ![c](figure:gd-steps) here, `![c](figure:code)`.\n\n```\n![c](figure:x)\n```\n"
    out, used, _ = md.embed_figures(text, "index.md", {"gd-steps"})
    assert used == []
    assert md.stray_figure_embeds(out) == ["gd-steps"]


def test_adjacent_citations_are_separated():
    entries = {"a": entry(id="a", authors=["Ann Alpha"], year=2021), "b": entry(id="b", year=2023)}
    out, _ = md.link_citations("Shown [[@a]] [[@b]], and [[@a]].", entries, lambda e: e.id)
    title = '"Visualizing the Loss Landscape"'
    assert out == (
        f"Shown [Alpha, 2021](a {title}); [Li et al., 2023](b {title}), "
        f"and [Alpha, 2021](a {title})."
    )
