"""The reading-list model: each bad field is reported with its message and the line of its key,
problems of every file are collected, unknown keys are kept, and `kb check` fails on them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb.reading import load_entry, load_reading_list, parse_entry, surname

REPO = Path(__file__).resolve().parents[2]

GOOD = """\
---
title: Sharp Minima Can Generalize For Deep Nets
kind: paper
authors: [Laurent Dinh, Razvan Pascanu]
year: 2017
venue: ICML
url: https://arxiv.org/abs/1703.04933
arxiv: "1703.04933"
status: to-read
priority: p4
tags: [reading]
concepts: []
my_rating: 5   # a key of my own
---
Notes.
"""


def problems_of(text: str, name: str = "dinh2017") -> list[str]:
    _, found = parse_entry(text, Path(f"reading_list/{name}.md"))
    return [str(p) for p in found]


def test_a_good_entry_has_no_problems_and_keeps_unknown_keys():
    entry, found = parse_entry(GOOD, Path("reading_list/dinh2017.md"))
    assert found == []
    assert entry is not None and entry.extra == {"my_rating": 5}
    assert entry.priority == "p4" and entry.year == 2017 and entry.body == "Notes.\n"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("status: to-read", "status: done", "reading_list/dinh2017.md:9: status: must be one of"),
        ("priority: p4", "priority: p5", "reading_list/dinh2017.md:10: priority: must be one of"),
        ("year: 2017", "year: '2017'", "reading_list/dinh2017.md:5: year: must be an integer"),
        ("year: 2017", "year: twenty", "reading_list/dinh2017.md:5: year: must be an integer"),
        (
            'arxiv: "1703.04933"',
            "arxiv: 1703.04933",
            "reading_list/dinh2017.md:8: arxiv: must be a",
        ),
        ("kind: paper", "kind: book", "reading_list/dinh2017.md:3: kind: must be one of"),
        ("tags: [reading]", "tags: reading", "reading_list/dinh2017.md:11: tags: must be a list"),
        ("url: https://arxiv", "url: ftp://arxiv", "reading_list/dinh2017.md:7: url: must be an"),
        ("title: Sharp", "title: ''\nx: Sharp", "reading_list/dinh2017.md:2: title: must be a non"),
        ("authors: [Laurent Dinh, Razvan Pascanu]\n", "", "reading_list/dinh2017.md:1: authors: "),
        ("concepts: []", "concepts: [Not A Path]", "reading_list/dinh2017.md:12: concepts: "),
        ("my_rating: 5", "status: read", "reading_list/dinh2017.md:13: status: given twice"),
        ("status: to-read", "status: [to-read", "reading_list/dinh2017.md:10: invalid YAML"),
    ],
)
def test_each_bad_field_gives_its_message_and_line(old, new, expected):
    assert old in GOOD
    found = problems_of(GOOD.replace(old, new, 1))
    assert any(p.startswith(expected) for p in found), found


def test_id_must_equal_the_file_name():
    assert problems_of(GOOD.replace("kind: paper", "id: other\nkind: paper")) == [
        "reading_list/dinh2017.md:3: id: must equal the file name 'dinh2017', not 'other'"
    ]
    assert any("not a valid id" in p for p in problems_of(GOOD, name="Dinh_2017"))


def test_no_front_matter_is_a_problem_on_line_one():
    assert problems_of("just notes\n") == [
        "reading_list/dinh2017.md:1: no YAML front-matter (--- ... ---) at the top"
    ]


def test_problems_are_collected_across_files(tmp_path):
    (tmp_path / "a.md").write_text(GOOD.replace("status: to-read", "status: x"))
    (tmp_path / "b.md").write_text(GOOD.replace("year: 2017", "year: soon"))
    (tmp_path / "c.md").write_text(GOOD)
    entries, problems = load_reading_list(tmp_path)
    assert sorted(entries) == ["a", "b", "c"]
    assert [(p.path.name, p.field) for p in problems] == [("a.md", "status"), ("b.md", "year")]


def test_every_entry_in_the_repository_is_valid():
    entries, problems = load_reading_list(REPO / "reading_list")
    assert problems == []
    assert len(entries) >= 15


def test_an_unreadable_file_is_a_problem_not_a_crash(tmp_path):
    path = tmp_path / "x.md"
    path.write_bytes(b"---\ntitle: \xff\n---\n")
    entry, found = load_entry(path)
    assert entry is None and "cannot read" in str(found[0])


def kb(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kb.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )


def test_kb_check_passes_on_the_repo_and_fails_on_a_broken_copy(tmp_path):
    ok = kb("check", cwd=REPO)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    broken = tmp_path / "repo"
    shutil.copytree(REPO / "reading_list", broken / "reading_list")
    shutil.copytree(REPO / "docs", broken / "docs")
    shutil.copytree(REPO / "refimpl", broken / "refimpl")
    path = broken / "reading_list" / "dinh2017.md"
    path.write_text(path.read_text().replace("status: to-read", "status: finished"))
    path = broken / "reading_list" / "bray2007.md"
    path.write_text(path.read_text().replace("year: 2007", "year: 2007a"))
    path = broken / "reading_list" / "ozair2014.md"
    path.write_text(
        re.sub(r"^concepts:.*$", "concepts: [nowhere/page]", path.read_text(), count=1, flags=re.M)
    )
    page = broken / "docs" / "index.md"
    page.write_text(page.read_text() + "\nSee [[no-such-page]].\n")
    result = kb("--root", str(broken), "check", cwd=broken)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(
        line.startswith(f"{broken}/reading_list/dinh2017.md:") and ": status: must be" in line
        for line in lines
    ), lines
    assert any("bray2007.md:5: year: must be an integer" in line for line in lines), lines
    assert any("ozair2014.md:12: concepts: no page docs/nowhere/page.md" in line for line in lines)
    assert any(
        "index.md:" in line and "[[no-such-page]] resolves to nothing" in line for line in lines
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Gene H. Golub", "Golub"),
        ("Charles F. Van Loan", "Van Loan"),
        ("Christoph von der Malsburg", "von der Malsburg"),
        ("Nando de Freitas", "de Freitas"),
        ("Van Jacobson", "Jacobson"),  # a first name that looks like a particle
        ("LeCun, Yann", "LeCun"),
        ("Martin Luther King Jr.", "King"),
        ("Plato", "Plato"),
    ],
)
def test_surname_keeps_particles_and_drops_suffixes(name, expected):
    assert surname(name) == expected
