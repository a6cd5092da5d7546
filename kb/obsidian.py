"""Import Obsidian task lines into reading-list entries (``kb reading import``).

A task line is ``- [ ] text #tag ...`` (``*`` or ``+`` bullets and nested, indented tasks
too; ``[x]`` means done). From it:

- ``#p1`` .. ``#p4`` set ``priority``; ``#topics`` makes a new entry ``kind: topic``; every
  tag, ``#topics`` included, is kept in ``tags`` without its ``#`` (priorities excepted);
- ``[x]`` sets ``status: read``; ``[ ]`` sets ``to-read`` (an entry marked ``reading`` stays so);
- the normalised line (the text after the checkbox, spaces collapsed) is stored as ``source``.

Before creating an entry the import looks for one it already describes: the same ``source``
(compared without tags, case or spacing), then the same arXiv id, then the same first-author
surname and year (surnames compared with tolerance to misspellings; a year one off is accepted
when a second author also matches). A match is updated (status, priority, tags, source only);
otherwise a new entry is written, its id ``<surname><year><first title word>`` where the line
has them, else a slug of the text. Importing the same line again therefore changes nothing.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kb import frontmatter
from kb.frontmatter import format_scalar
from kb.markdown import FENCE
from kb.reading import Entry, load_reading_list

TASK = re.compile(
    r"^(?P<indent>[ \t]*)(?P<bullet>[-*+])[ \t]+\[(?P<check>[ xX])\][ \t]+(?P<text>.*)$"
)
TAG = re.compile(r"(?<![\w&#/])#(?P<tag>[A-Za-z_][\w/-]*|\d+[A-Za-z_][\w/-]*)")
PRIORITY_TAG = re.compile(r"^p[1-4]$")
ARXIV = re.compile(r"(?:arxiv[:\s/]*|abs/)?\b(?P<id>\d{4}\.\d{4,5})(?:v\d+)?\b", re.IGNORECASE)
YEAR = re.compile(r"\b(?P<year>(?:19|20)\d{2})\b")
QUOTED = re.compile(r"[“\"](?P<title>[^“”\"]+)[“”\"]")
STOP_WORDS = frozenset(
    "a an and are as at by for from in into is it its of on or the to via with what why how "
    "when where which who do does can towards toward".split()
)


@dataclass
class Task:
    """One parsed task line."""

    line_number: int
    raw: str
    done: bool
    source: str
    tags: list[str] = field(default_factory=list)
    priority: str | None = None
    topic: bool = False
    text: str = ""
    title: str | None = None
    surnames: list[str] = field(default_factory=list)
    year: int | None = None
    arxiv: str | None = None

    @property
    def citekey(self) -> str:
        """``surname + year + first title word`` where known, else a slug of the text."""
        if self.surnames and self.year:
            word = _first_word(self.title) if self.title else ""
            return _ascii(self.surnames[0]) + str(self.year) + word
        if self.arxiv:
            return "arxiv" + self.arxiv.replace(".", "-")
        return _slug(self.text) or "entry"


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", folded))[:60].strip("-")


def _first_word(title: str) -> str:
    for word in re.findall(r"[^\W_]+", title):
        if word.lower() not in STOP_WORDS:
            return _ascii(word)
    return ""


def normalise(text: str) -> str:
    """A task's text as stored in ``source``: whitespace collapsed, ends stripped."""
    return " ".join(text.split())


def match_key(source: str) -> str:
    """What two sources are compared on: no tags, no case, no spacing differences."""
    return " ".join(TAG.sub(" ", source).casefold().split())


def parse_task(raw: str, line_number: int = 0) -> Task | None:
    """Parse one line; None if it is not a task line."""
    match = TASK.match(raw.rstrip("\r\n"))
    if not match or not match["text"].strip():
        return None
    source = normalise(match["text"])
    task = Task(line_number, raw.rstrip("\r\n"), match["check"] in "xX", source)
    for tag in (m["tag"] for m in TAG.finditer(source)):
        if PRIORITY_TAG.match(tag):
            task.priority = task.priority or tag
            continue
        if tag == "topics":
            task.topic = True
        if tag not in task.tags:
            task.tags.append(tag)
    text = normalise(TAG.sub(" ", source))
    task.text = text
    quoted = QUOTED.search(text)
    if quoted:
        task.title = quoted["title"].strip(" .…")
    arxiv = ARXIV.search(text)
    if arxiv:
        task.arxiv = arxiv["id"]
    year = YEAR.search(text)
    if year:
        task.year = int(year["year"])
    people = text
    if quoted:
        people = people.replace(quoted.group(0), " , ")
    if arxiv:
        people = people.replace(arxiv.group(0), " ")
    cited = bool(year) or bool(quoted) or "et al" in people
    if cited:
        people = YEAR.sub(" , ", people)
        people = re.sub(r"\bet al\b\.?", " , ", people)
        names = re.split(r",|;|&|\band\b", people)
        task.surnames = [
            n.strip(" .")
            for n in names
            if re.fullmatch(r"[^\W\d_][\w'-]*", n.strip(" .")) and n.strip(" .")[0].isupper()
        ]
    return task


def parse_tasks(text: str) -> list[Task]:
    """Every task line of a note, outside fenced code blocks."""
    tasks: list[Task] = []
    prose = _prose_lines(text)
    for number, line in enumerate(text.splitlines(), start=1):
        task = parse_task(line, number) if number in prose else None
        if task is not None:
            tasks.append(task)
    return tasks


def _prose_lines(text: str) -> set[int]:
    """1-based numbers of the lines outside fenced code blocks (the fences `map_prose` skips)."""
    found: set[int] = set()
    fence: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group("fence")
        elif fence is not None:
            bare = line.strip()
            if bare.startswith(fence[0] * len(fence)) and bare.strip(fence[0]) == "":
                fence = None
        else:
            found.add(number)
    return found


# -- matching ------------------------------------------------------------------------------


def _surname(author: str) -> str:
    return _ascii(author.split()[-1]) if author.split() else ""


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio() if a and b else 0.0


def find_match(task: Task, entries: dict[str, Entry]) -> Entry | None:
    """The entry ``task`` already describes, if any (source, then arXiv, then author+year)."""
    key = match_key(task.source)
    for entry in entries.values():
        source = entry.extra.get("source")
        if isinstance(source, str) and match_key(source) == key:
            return entry
    if task.arxiv:
        for entry in entries.values():
            if entry.arxiv and entry.arxiv.split("v")[0] == task.arxiv:
                return entry
    if not task.surnames or not task.year:
        return None
    first = _ascii(task.surnames[0])
    others = [_ascii(s) for s in task.surnames[1:]]
    best: tuple[float, Entry] | None = None
    for entry in entries.values():
        if entry.kind != "paper" or not entry.authors or entry.year is None:
            continue
        score = _similar(first, _surname(entry.authors[0]))
        if score < 0.75:
            continue
        if entry.year != task.year:
            coauthors = [_surname(a) for a in entry.authors[1:]]
            second = any(_similar(o, c) >= 0.75 for o in others for c in coauthors)
            if abs(entry.year - task.year) > 1 or not second:
                continue
            score -= 0.1
        if task.title:
            score += _similar(task.title.casefold(), entry.title.casefold())
        if best is None or score > best[0]:
            best = (score, entry)
    return best[1] if best else None


# -- writing -------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did: ids created, ids updated, ids already up to date."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _update(entry: Entry, task: Task) -> bool:
    """Bring ``entry`` in line with ``task`` (status, priority, tags, source); True if changed."""
    scalars: dict[str, object] = {}
    status = "read" if task.done else ("reading" if entry.status == "reading" else "to-read")
    if status != entry.status:
        scalars["status"] = status
    if task.priority and task.priority != entry.priority:
        scalars["priority"] = task.priority
    if entry.extra.get("source") != task.source:
        scalars["source"] = task.source
    new_tags = [t for t in task.tags if t not in entry.tags]
    if not scalars and not new_tags:
        return False
    text = frontmatter.read_text(entry.path)
    new = frontmatter.edit(text, scalars=scalars, add={"tags": new_tags} if new_tags else None)
    frontmatter.write_atomic(entry.path, new)
    return True


def render_new_entry(task: Task) -> str:
    """The text of a new entry for ``task`` (authors and year left for the user to complete
    where the line does not give them; `kb check` names what is missing)."""
    kind = "topic" if task.topic else "paper"
    lines = ["---", f"title: {format_scalar(task.title or task.text)}", f"kind: {kind}"]
    if kind == "paper":
        authors = ", ".join(format_scalar(s) for s in task.surnames)
        lines += [
            f"authors: [{authors}]",
            f"year: {task.year if task.year else 'null'}",
            "venue: null",
            "url: null",
            f"arxiv: {format_scalar(task.arxiv)}",
        ]
    lines.append(f"status: {'read' if task.done else 'to-read'}")
    if task.priority:
        lines.append(f"priority: {task.priority}")
    lines.append(f"tags: [{', '.join(format_scalar(t) for t in task.tags)}]")
    lines.append("concepts: []")
    lines.append(f"source: {format_scalar(task.source)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def import_notes(paths: list[Path], directory: Path) -> ImportReport:
    """Import every task line of the notes at ``paths`` into ``directory``."""
    report = ImportReport()
    directory.mkdir(parents=True, exist_ok=True)
    for path in paths:
        for task in parse_tasks(frontmatter.read_text(path)):
            entries, _ = load_reading_list(directory)
            entry = find_match(task, entries)
            if entry is not None:
                changed = _update(entry, task)
                (report.updated if changed else report.unchanged).append(entry.id)
                continue
            base = task.citekey
            citekey, n = base, 1
            while (directory / f"{citekey}.md").exists():
                n += 1
                citekey = f"{base}-{n}"
            frontmatter.write_atomic(directory / f"{citekey}.md", render_new_entry(task))
            report.created.append(citekey)
    return report
