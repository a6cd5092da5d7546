"""`kb reading set`: only the named values change, every other byte stays; refused edits leave
the file untouched; writes are atomic. Fuzzed front-matter never ends in a traceback."""

from __future__ import annotations

import shutil
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb import frontmatter
from kb.cli import main
from kb.frontmatter import EditError, edit
from kb.reading import parse_entry

REPO = Path(__file__).resolve().parents[2]
ENTRIES = sorted((REPO / "reading_list").glob("*.md"))

STYLED = """\
---
# my reading note
title: "On the \\"importance\\" of init"   # quoted, with a comment
kind: paper
authors:
  - Ilya Sutskever
  - 'James Martens'
year: 2013
status: 'to-read'  # keep me
tags:
  - reading
  - "optim"
concepts: []
rating: 4
---
Body with --- and status: read in it.
"""


@pytest.mark.parametrize("path", ENTRIES, ids=[p.stem for p in ENTRIES])
def test_set_and_set_back_is_byte_identical_for_every_entry(path):
    text = frontmatter.read_text(path)
    entry, _ = parse_entry(text, path)
    assert entry is not None
    other = "read" if entry.status != "read" else "reading"
    changed = edit(text, scalars={"status": other, "priority": "p1"}, add={"tags": ["zz-new"]})
    assert changed != text
    new_entry, problems = parse_entry(changed, path)
    assert problems == [] and new_entry.status == other and new_entry.priority == "p1"
    assert new_entry.tags == [*entry.tags, "zz-new"]
    back = edit(
        changed,
        scalars={"status": entry.status, "priority": entry.priority},
        remove={"tags": ["zz-new"]},
    )
    assert back == text


def test_comments_quoting_order_and_block_lists_are_kept():
    out = edit(STYLED, scalars={"status": "read", "priority": "p2"}, add={"tags": ["new"]})
    assert out == STYLED.replace(
        "status: 'to-read'  # keep me", "status: 'read'  # keep me\npriority: p2"
    ).replace('  - "optim"\n', '  - "optim"\n  - "new"\n')
    back = edit(out, scalars={"status": "to-read", "priority": None}, remove={"tags": ["new"]})
    assert back == STYLED


def test_flow_list_edits_keep_spacing_and_quotes():
    text = '---\ntitle: x\ntags: [ "a" ,"b" ]  # c\n---\n'
    assert edit(text, add={"tags": ["c"]}) == '---\ntitle: x\ntags: [ "a" ,"b" ,"c" ]  # c\n---\n'
    assert edit(text, remove={"tags": ["a"]}) == '---\ntitle: x\ntags: [ "b" ]  # c\n---\n'
    assert edit(edit(text, add={"tags": ["c"]}), remove={"tags": ["c"]}) == text


def test_crlf_files_stay_crlf():
    text = "---\r\ntitle: x\r\nstatus: to-read\r\ntags: [a]\r\n---\r\nbody\r\n"
    out = edit(text, scalars={"status": "read", "priority": "p3"})
    assert out == "---\r\ntitle: x\r\nstatus: read\r\npriority: p3\r\ntags: [a]\r\n---\r\nbody\r\n"


@pytest.fixture
def reading_dir(tmp_path: Path) -> Path:
    target = tmp_path / "reading_list"
    shutil.copytree(REPO / "reading_list", target)
    return target


def test_cli_set_changes_the_file_atomically(reading_dir, capsys):
    path = reading_dir / "dinh2017.md"
    before = path.read_bytes()
    assert main(["reading", "set", "dinh2017", "--dir", str(reading_dir), "--status", "read"]) == 0
    after = path.read_bytes()
    assert after == before.replace(b"status: to-read", b"status: read")
    assert sorted(p.name for p in reading_dir.iterdir()) == sorted(
        p.name for p in (REPO / "reading_list").iterdir()
    )  # no temporary file left behind


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nosuchid", "--status", "read"], "no entry 'nosuchid'"),
        (["dinh2017", "--status", "done"], "--status must be one of"),
        (["dinh2017", "--priority", "p9"], "--priority must be one of"),
        (["dinh2017", "--add-tag", "two words"], "not a valid tag"),
        (["dinh2017"], "nothing to set"),
        (["../dinh2017", "--status", "read"], "no entry"),
    ],
)
def test_cli_set_refuses_bad_ids_and_values_and_leaves_files_alone(
    reading_dir, capsys, args, message
):
    snapshot = {p.name: p.read_bytes() for p in reading_dir.iterdir()}
    assert main(["reading", "set", *args, "--dir", str(reading_dir)]) == 2
    assert message in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in reading_dir.iterdir()} == snapshot


def test_cli_set_refuses_a_file_it_cannot_edit_losslessly(reading_dir, capsys):
    path = reading_dir / "dinh2017.md"
    path.write_text(path.read_text().replace("tags: [reading]", "tags: [reading, [nested]]"))
    before = path.read_bytes()
    assert main(["reading", "set", "dinh2017", "--dir", str(reading_dir), "--add-tag", "x"]) == 2
    assert "not changed" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_cli_list_filters(reading_dir, capsys):
    assert main(["reading", "list", "--dir", str(reading_dir), "--priority", "p4"]) == 0
    out = capsys.readouterr().out.splitlines()
    ids = {line.split()[0] for line in out[1:]}
    assert ids == {"bray2007", "fyodorov2007", "liu2022pl", "dinh2017", "swirszcz2016"}
    assert main(["reading", "list", "--dir", str(reading_dir), "--tag", "stat_phys"]) == 0
    ids = {line.split()[0] for line in capsys.readouterr().out.splitlines()[1:]}
    assert ids == {"bray2007", "fyodorov2007"}
    main(["reading", "set", "bray2007", "--dir", str(reading_dir), "--status", "read"])
    capsys.readouterr()
    assert main(["reading", "list", "--dir", str(reading_dir), "--status", "read"]) == 0
    ids = {line.split()[0] for line in capsys.readouterr().out.splitlines()[1:]}
    assert ids == {"bray2007"}


# -- fuzzing -------------------------------------------------------------------------------

KEYS = st.sampled_from(
    ["title", "kind", "authors", "year", "status", "priority", "tags", "concepts", "arxiv", "x"]
)
VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            "to-read",
            "p2",
            "[a, b]",
            "[a,",
            "2017",
            "'q'",
            '"unterminated',
            "&a x",
            "*a",
            "!!python/object:os.system x",
            "- a",
            "{a: 1}",
            "null",
            "|",
            "[[a]]",
            "# c",
            "2017-01-01",
        ]
    ),
    st.text(alphabet=string.printable, max_size=20),
)
LINE = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", KEYS, VALUES),
    st.sampled_from(["  - item", "- top", "   ", "---", "\t", "key", ":", "? q"]),
    st.text(alphabet=string.printable, max_size=30),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(LINE, max_size=12), body=st.text(max_size=30), crlf=st.booleans())
def test_fuzzed_front_matter_never_raises(lines, body, crlf):
    newline = "\r\n" if crlf else "\n"
    text = "---" + newline + newline.join(lines) + newline + "---" + newline + body
    entry, problems = parse_entry(text, Path("reading_list/fuzz.md"))
    assert entry is not None or problems
    for problem in problems:
        assert problem.line >= 1 and str(problem).startswith("reading_list/fuzz.md:")
    try:
        out = edit(text, scalars={"status": "read", "priority": "p1"}, add={"tags": ["t"]})
    except EditError:
        return
    new, _ = parse_entry(out, Path("reading_list/fuzz.md"))
    assert new is not None and new.status == "read" and "t" in new.tags
    assert out.endswith(body)
