"""`kb reading export --format bibtex`: every paper, parsed by a strict BibTeX parser (pybtex),
with arXiv ids as eprint fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.bibtex import entry_type, export
from kb.cli import main
from kb.reading import Entry, load_reading_list

pybtex_database = pytest.importorskip("pybtex.database")
pybtex_errors = pytest.importorskip("pybtex.errors")

REPO = Path(__file__).resolve().parents[2]


def parse_strictly(text: str):
    pybtex_errors.set_strict_mode(True)
    return pybtex_database.parse_string(text, "bibtex")


def test_the_whole_reading_list_exports_to_valid_bibtex(capsys):
    assert (
        main(["reading", "export", "--format", "bibtex", "--dir", str(REPO / "reading_list")]) == 0
    )
    text = capsys.readouterr().out
    data = parse_strictly(text)
    entries, _ = load_reading_list(REPO / "reading_list")
    papers = {e.id for e in entries.values() if e.kind == "paper"}
    assert set(data.entries) == papers
    for key, record in data.entries.items():
        entry = entries[key]
        assert record.fields["title"].replace("\\", "") == entry.title.replace("\\", "")
        assert len(record.persons["author"]) == len(entry.authors)
        assert record.fields["year"] == str(entry.year)
        if entry.arxiv:
            assert record.fields["eprint"] == entry.arxiv
            assert record.fields["archivePrefix"] == "arXiv"
        else:
            assert "eprint" not in record.fields
    assert data.entries["dinh2017"].type == "inproceedings"
    assert data.entries["goodfellow2016"].type == "book"
    assert data.entries["bray2007"].type == "article"
    assert data.entries["ozair2014"].type == "misc"


def test_special_characters_are_escaped():
    nasty = Entry(
        id="x2020",
        path=Path("x.md"),
        title="50% of {unbalanced & weird} $x_1$ #1 \\ end} {",
        authors=["Ann O'Neil", "Zoë van der Berg"],
        year=2020,
        venue="Journal of A & B",
    )
    text = export([nasty])
    record = parse_strictly(text).entries["x2020"]
    assert entry_type(nasty) == "article"
    assert record.fields["journal"] == "Journal of A \\& B"
    assert [str(p) for p in record.persons["author"]] == ["O'Neil, Ann", "van der Berg, Zoë"]


def test_topics_are_not_exported():
    topic = Entry(id="t", path=Path("t.md"), title="A topic", kind="topic")
    assert export([topic]) == ""


def test_title_escaping_keeps_math_and_balances_braces():
    from kb.bibtex import escape

    assert escape("50% of {A & B} $x_1$ end} {") == "50\\% of {A \\& B} $x_1$ end "
