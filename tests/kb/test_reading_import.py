"""`kb reading import`: Obsidian task lines become entries; importing again changes nothing;
an entry that already describes a line is updated instead of duplicated."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.cli import main
from kb.obsidian import import_notes, parse_task, parse_tasks, render_new_entry
from kb.reading import load_reading_list, parse_entry

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "tests" / "data" / "seed_tasks.md"


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.fixture
def reading_dir(tmp_path: Path) -> Path:
    target = tmp_path / "reading_list"
    shutil.copytree(REPO / "reading_list", target)
    return target


def test_importing_the_seed_tasks_into_the_repo_changes_nothing(reading_dir, capsys):
    before = snapshot(reading_dir)
    assert main(["reading", "import", str(SEED), "--dir", str(reading_dir)]) == 0
    assert "0 created, 0 updated, 15 unchanged" in capsys.readouterr().err
    assert snapshot(reading_dir) == before


def test_every_seed_task_is_an_entry_with_the_seeds_priority_and_tags():
    entries, problems = load_reading_list(REPO / "reading_list")
    assert problems == []
    by_source = {e.extra.get("source"): e for e in entries.values()}
    tasks = parse_tasks(SEED.read_text(encoding="utf-8"))
    assert len(tasks) == 15
    for task in tasks:
        entry = by_source[task.source]
        assert entry.priority == task.priority, entry.id
        assert entry.tags == task.tags, entry.id
        assert entry.status == "to-read"
    assert by_source["Weight Transport #topics"].kind == "topic"
    assert by_source["arxiv 1703.04933 #reading #p4"].id == "dinh2017"


@pytest.mark.parametrize(
    ("line", "done", "priority", "tags", "key"),
    [
        ("- [ ] Ozair, Bengio 2014 #reading #p3 ", False, "p3", ["reading"], "ozair2014"),
        ("  - [x] Nested done task #topics", True, None, ["topics"], "nested-done-task"),
        ("* [ ] Star 2020 #a/b #p2", False, "p2", ["a/b"], "star2020"),
        (
            '\t+ [X] Kingma, Ba 2015 "Adam: a method for stochastic optimization"',
            True,
            None,
            [],
            "kingma2015adam",
        ),
        (
            "- [ ] “On the Importance of init” Sutskever 2013",
            False,
            None,
            [],
            "sutskever2013importance",
        ),
        ("- [ ] arxiv 1703.04933 #reading #p4", False, "p4", ["reading"], "arxiv1703-04933"),
    ],
)
def test_task_lines_are_parsed(line, done, priority, tags, key):
    task = parse_task(line)
    assert task is not None
    assert (task.done, task.priority, task.tags, task.citekey) == (done, priority, tags, key)


@pytest.mark.parametrize("line", ["- plain bullet #p1", "[ ] no bullet", "- [ ]", "text - [ ] x"])
def test_other_lines_are_not_tasks(line):
    assert parse_task(line) is None


def test_tasks_inside_code_blocks_are_skipped():
    text = "- [ ] real 2020 #p1\n```\n- [ ] in code #p2\n```\n    - [ ] nested real\n"
    assert [t.source for t in parse_tasks(text)] == ["real 2020 #p1", "nested real"]


def test_new_lines_create_entries_and_a_second_import_changes_nothing(reading_dir, tmp_path):
    note = tmp_path / "note.md"
    note.write_text(
        "# Todo\n"
        "- [ ] Quill, Ferrante 2031 “Adaptive dreams for imaginary networks” #reading #p2\n"
        "    - [x] Natural gradient works efficiently #topics\n"
        "- [ ] Quill, Ferrante 2031 “Adaptive dreams for imaginary networks” #reading #p2\n",
        encoding="utf-8",
    )
    first = import_notes([note], reading_dir)
    assert first.created == ["quill2031adaptive", "natural-gradient-works-efficiently"]
    assert first.unchanged == ["quill2031adaptive"]
    entries, problems = load_reading_list(reading_dir)
    adam = entries["quill2031adaptive"]
    assert (adam.title, adam.authors, adam.year) == (
        "Adaptive dreams for imaginary networks",
        ["Quill", "Ferrante"],
        2031,
    )
    assert (adam.priority, adam.tags, adam.status) == ("p2", ["reading"], "to-read")
    topic = entries["natural-gradient-works-efficiently"]
    assert (topic.kind, topic.status, topic.tags) == ("topic", "read", ["topics"])
    assert problems == []  # the new entries are valid as written
    before = snapshot(reading_dir)
    second = import_notes([note], reading_dir)
    assert second.created == [] and second.updated == []
    assert snapshot(reading_dir) == before


def test_a_changed_line_updates_its_entry_in_place(reading_dir, tmp_path):
    note = tmp_path / "note.md"
    note.write_text("- [x] Bray and dean 2007 #reading #p2 #stat_phys #landscape\n")
    report = import_notes([note], reading_dir)
    assert report.updated == ["bray2007"] and report.created == []
    text = (reading_dir / "bray2007.md").read_text()
    assert "status: read\n" in text and "priority: p2\n" in text
    assert "tags: [reading, stat_phys, landscape]\n" in text
    assert "source: Bray and dean 2007 #reading #p2 #stat_phys #landscape\n" not in text
    assert 'source: "Bray and dean 2007 #reading #p2 #stat_phys #landscape"\n' in text
    body = (REPO / "reading_list" / "bray2007.md").read_text().split("---\n", 2)[2]
    assert text.endswith(body)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("- [ ] Swircz, Czarmecki, Pascanu, 2017 local minima #p1", "swirszcz2016"),
        ("- [ ] Dinh et al. 2017 sharp minima paper #p1", "dinh2017"),
        ("- [ ] see arXiv:1703.04933v2 #p1", "dinh2017"),
        ("- [ ] Fyodorov & Wiliams 2007 #p1", "fyodorov2007"),
    ],
)
def test_misspelt_or_differently_written_lines_match_their_entry(
    reading_dir, tmp_path, line, expected
):
    note = tmp_path / "note.md"
    note.write_text(line + "\n")
    report = import_notes([note], reading_dir)
    assert report.created == [] and report.updated == [expected]


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs",), blacklist_characters="\r\n\x85\u2028\u2029"
        ),
        min_size=1,
        max_size=60,
    ),
    done=st.booleans(),
)
def test_any_task_text_makes_an_entry_that_reads_back(text, done):
    task = parse_task(f"- [{'x' if done else ' '}] {text}")
    if task is None:
        return
    entry, problems = parse_entry(render_new_entry(task), Path("reading_list/x.md"))
    assert entry is not None, problems
    assert entry.extra["source"] == task.source
    assert entry.status == ("read" if done else "to-read")
    assert entry.tags == task.tags and entry.priority == task.priority
