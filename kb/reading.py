"""Read the reading list: one Markdown file per paper or topic, its YAML front-matter the record.

This module only reads. An entry is ``reading_list/<id>.md``; its front-matter holds ``title``,
``authors``, ``year``, ``status`` (to-read | reading | read), an optional ``priority`` (p1..p4),
``tags`` and ``concepts`` (the docs pages it belongs to, as paths without ``.md``). Every other
key is kept as it is. Problems are collected as `Problem` records naming file and line,
so a build can report all of them at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
STATUSES = ("to-read", "reading", "read")
PRIORITIES = ("p1", "p2", "p3", "p4")


@dataclass(frozen=True)
class Problem:
    """A problem in one file, reported as ``path:line: field: message``."""

    path: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


@dataclass
class Entry:
    """One reading-list record."""

    id: str
    path: Path
    title: str
    kind: str = "paper"
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str | None = None
    url: str | None = None
    arxiv: str | None = None
    status: str = "to-read"
    priority: str | None = None
    tags: list[str] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)
    body: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def link(self) -> str | None:
        """Where the work can be read: its URL, else its arXiv abstract page."""
        if self.url:
            return self.url
        if self.arxiv:
            return f"https://arxiv.org/abs/{self.arxiv}"
        return None

    @property
    def short_authors(self) -> str:
        """``Li et al.``, ``Dinh & Bengio`` or ``Goodfellow`` style author text."""
        surnames = [a.split()[-1] for a in self.authors if a.strip()]
        if not surnames:
            return self.title
        if len(surnames) == 1:
            return surnames[0]
        if len(surnames) == 2:
            return f"{surnames[0]} & {surnames[1]}"
        return f"{surnames[0]} et al."

    @property
    def cite_text(self) -> str:
        """``Li et al., 2018``: the text a citation in a page shows."""
        return f"{self.short_authors}, {self.year}" if self.year else self.short_authors


_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$\n?", re.DOTALL | re.MULTILINE)


def split_front_matter(text: str) -> tuple[str | None, str]:
    """Return (front-matter text or None, body)."""
    match = _FRONT.match(text)
    if not match:
        return None, text
    return match.group(1), text[match.end() :]


def _key_line(front: str, key: str) -> int:
    """1-based line (in the file) of ``key:`` in the front-matter, else the opening line."""
    for number, line in enumerate(front.splitlines(), start=2):
        if re.match(rf"^{re.escape(key)}\s*:", line):
            return number
    return 1


def load_entry(path: Path) -> tuple[Entry | None, list[Problem]]:
    """Parse one entry file; return the entry (None if unusable) and its problems."""
    text = path.read_text(encoding="utf-8")
    front, body = split_front_matter(text)
    if front is None:
        return None, [Problem(path, 1, "", "no YAML front-matter (--- ... ---) at the top")]
    try:
        data = yaml.safe_load(front) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        return None, [Problem(path, line, "", f"invalid YAML: {getattr(exc, 'problem', exc)}")]
    if not isinstance(data, dict):
        return None, [Problem(path, 2, "", "front-matter must be a mapping of keys to values")]

    problems: list[Problem] = []

    def bad(key: str, message: str) -> None:
        problems.append(Problem(path, _key_line(front, key), key, message))

    entry_id = path.stem
    if not ID_PATTERN.match(entry_id):
        problems.append(Problem(path, 1, "id", f"file name {entry_id!r} is not a valid id"))
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        bad("title", "required, a non-empty string")
        title = entry_id
    status = data.get("status", "to-read")
    if status not in STATUSES:
        bad("status", f"must be one of {', '.join(STATUSES)}, not {status!r}")
    priority = data.get("priority")
    if priority is not None and priority not in PRIORITIES:
        bad("priority", f"must be one of {', '.join(PRIORITIES)} or absent, not {priority!r}")
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        bad("year", f"must be an integer, not {year!r}")
        year = None

    def str_list(key: str) -> list[str]:
        value = data.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            bad(key, "must be a list of strings")
            return []
        return value

    known = set(Entry.__dataclass_fields__) - {"id", "path", "body", "extra"}
    entry = Entry(
        id=entry_id,
        path=path,
        title=title,
        kind=str(data.get("kind", "paper")),
        authors=str_list("authors"),
        year=year,
        venue=data.get("venue"),
        url=data.get("url"),
        arxiv=None if data.get("arxiv") is None else str(data.get("arxiv")),
        status=status if status in STATUSES else "to-read",
        priority=priority if priority in PRIORITIES else None,
        tags=str_list("tags"),
        concepts=str_list("concepts"),
        body=body,
        extra={k: v for k, v in data.items() if k not in known},
    )
    return entry, problems


def load_reading_list(directory: Path) -> tuple[dict[str, Entry], list[Problem]]:
    """Load every ``*.md`` entry of ``directory``; problems of all files are collected."""
    entries: dict[str, Entry] = {}
    problems: list[Problem] = []
    if not directory.is_dir():
        return entries, problems
    for path in sorted(directory.glob("*.md")):
        entry, found = load_entry(path)
        problems.extend(found)
        if entry is not None:
            entries[entry.id] = entry
    return entries, problems
