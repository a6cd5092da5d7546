"""Read the reading list: one Markdown file per paper or topic, its YAML front-matter the record.

An entry is ``reading_list/<id>.md``; its front-matter holds ``title``, ``kind`` (paper |
topic), ``authors`` and ``year`` (required for papers), ``venue``, ``url``, ``arxiv``,
``status`` (to-read | reading | read), an optional ``priority`` (p1..p4), ``tags`` and
``concepts`` (the docs pages it belongs to, as paths without ``.md``). Every other key (e.g.
``source``, written by ``kb reading import``) is kept as it is in ``Entry.extra``.
Problems are collected as `Problem` records naming file and line, so a build can report all of
them at once. Writing is `kb.frontmatter` (surgical, line-based edits).
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
    lines: dict[str, int] = field(default_factory=dict, repr=False)

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
        surnames = [surname(a) for a in self.authors if a.strip()]
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


#: lowercase particles that belong to a surname ("van Loan", "de Freitas", "von der Malsburg")
_PARTICLES = frozenset(
    "van von der den de del della di da du dos das le la ter ten bin al el st.".split()
)
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def surname(name: str) -> str:
    """The surname of ``name`` as a citation shows it.

    ``"Last, First"`` gives ``Last``; otherwise the last word with the particles before it
    (``"Charles F. Van Loan"`` → ``Van Loan``, ``"Christoph von der Malsburg"`` → ``von der
    Malsburg``), leaving out a suffix such as ``Jr.``.
    """
    if "," in name:
        head, tail = (part.strip() for part in name.split(",", 1))
        if tail.lower() not in _SUFFIXES:
            return head
        name = head
    words = name.split()
    while len(words) > 1 and words[-1].lower() in _SUFFIXES:
        words.pop()
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return " ".join(words[start:])


_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$\n?", re.DOTALL | re.MULTILINE)


def split_front_matter(text: str) -> tuple[str | None, str]:
    """Return (front-matter text or None, body)."""
    match = _FRONT.match(text)
    if not match:
        return None, text
    return match.group(1), text[match.end() :]


KINDS = ("paper", "topic")
CONCEPT_PATTERN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$")
REQUIRED = ("title", "kind", "status")
REQUIRED_FOR_PAPERS = ("authors", "year")
ARXIV_PATTERN = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")


def parse_front(front: str) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse front-matter text into (mapping, 1-based file line of each key).

    Raises `FrontMatterError` with the file line for invalid YAML, a document that is not a
    mapping, or a key given twice (YAML would silently keep the last one).
    """
    try:
        loader = yaml.SafeLoader(front)
    except yaml.YAMLError as exc:  # the reader rejects control characters up front
        raise FrontMatterError(1, "", f"invalid YAML: {exc}") from None
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            raise FrontMatterError(node.start_mark.line + 2, "", "front-matter must be a mapping")
        lines: dict[str, int] = {}
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 2
            if not isinstance(key, str) or not isinstance(key_node, yaml.ScalarNode):
                raise FrontMatterError(line, "", "keys must be plain strings")
            if key in lines:
                raise FrontMatterError(line, key, f"given twice (first on line {lines[key]})")
            lines[key] = line
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrontMatterError(line, "", f"invalid YAML: {problem}") from None
    except RecursionError:
        raise FrontMatterError(1, "", "invalid YAML: nested too deeply") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise FrontMatterError(2, "", "front-matter must be a mapping of keys to values")
    return data, lines


class FrontMatterError(ValueError):
    """Front-matter that cannot be read as a mapping; ``line`` is the line in the file."""

    def __init__(self, line: int, field: str, message: str):
        super().__init__(message)
        self.line, self.field, self.message = line, field, message


def validate(
    data: dict[str, Any], lines: dict[str, int], path: Path
) -> tuple[Entry, list[Problem]]:
    """Check a parsed front-matter mapping; return the entry (always) and its problems."""
    problems: list[Problem] = []

    def bad(key: str, message: str) -> None:
        problems.append(Problem(path, lines.get(key, 1), key, message))

    entry_id = path.stem
    if not ID_PATTERN.match(entry_id):
        problems.append(
            Problem(
                path,
                1,
                "id",
                f"file name {entry_id!r} is not a valid id "
                "(lowercase letters, digits and single hyphens)",
            )
        )
    if "id" in data and data["id"] != entry_id:
        bad("id", f"must equal the file name {entry_id!r}, not {data['id']!r}")
    for key in REQUIRED:
        if key not in data:
            problems.append(Problem(path, 1, key, "required key is missing"))
    title = data.get("title")
    if "title" in data and (not isinstance(title, str) or not title.strip()):
        bad("title", "must be a non-empty string")
    if not isinstance(title, str) or not title.strip():
        title = entry_id
    kind = data.get("kind", "paper")
    if "kind" in data and kind not in KINDS:
        bad("kind", f"must be one of {', '.join(KINDS)}, not {kind!r}")
        kind = "paper"
    if kind == "paper":
        for key in REQUIRED_FOR_PAPERS:
            if key not in data:
                problems.append(Problem(path, 1, key, "required key is missing (kind: paper)"))
    status = data.get("status", "to-read")
    if "status" in data and status not in STATUSES:
        bad("status", f"must be one of {', '.join(STATUSES)}, not {status!r}")
    priority = data.get("priority")
    if priority is not None and priority not in PRIORITIES:
        bad("priority", f"must be one of {', '.join(PRIORITIES)} or absent, not {priority!r}")
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        bad("year", f"must be an integer, not {year!r}")
        year = None
    elif kind == "paper" and "year" in data and year is None:
        bad("year", "must be an integer, not empty")

    def text(key: str) -> str | None:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            bad(key, f"must be a string or null, not {value!r}")
            return None
        return value

    venue, url, arxiv = text("venue"), text("url"), data.get("arxiv")
    if url is not None and not re.match(r"^https?://\S+$", url):
        bad("url", f"must be an http(s) URL, not {url!r}")
        url = None
    if arxiv is not None:
        if not isinstance(arxiv, str):
            bad("arxiv", f'must be a quoted string such as "1703.04933", not {arxiv!r}')
            arxiv = None
        elif not ARXIV_PATTERN.match(arxiv):
            bad("arxiv", f'not an arXiv id (e.g. "1703.04933"): {arxiv!r}')
            arxiv = None

    def str_list(key: str, *, required: bool = False) -> list[str]:
        value = data.get(key)
        if value is None:
            if required and key in data:
                bad(key, "must be a non-empty list of strings")
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            bad(key, f"must be a list of strings, like [a, b], not {value!r}")
            return []
        if required and not value:
            bad(key, "must be a non-empty list of strings")
        return value

    concepts = str_list("concepts")
    for concept in concepts:
        if not CONCEPT_PATTERN.match(concept):
            bad("concepts", f"{concept!r} is not a page path such as optimization/momentum")
            concepts = []
            break
    known = set(Entry.__dataclass_fields__) - {"id", "path", "body", "extra", "lines"}
    entry = Entry(
        id=entry_id,
        path=path,
        title=title,
        kind=kind,
        authors=str_list("authors", required=kind == "paper"),
        year=year,
        venue=venue,
        url=url,
        arxiv=arxiv,
        status=status if status in STATUSES else "to-read",
        priority=priority if priority in PRIORITIES else None,
        tags=str_list("tags"),
        concepts=concepts,
        extra={k: v for k, v in data.items() if k not in known and k != "id"},
        lines=dict(lines),
    )
    return entry, problems


def parse_entry(text: str, path: Path) -> tuple[Entry | None, list[Problem]]:
    """Parse the text of an entry file; return the entry (None if unusable) and its problems."""
    front, body = split_front_matter(text)
    if front is None:
        return None, [Problem(path, 1, "", "no YAML front-matter (--- ... ---) at the top")]
    try:
        data, lines = parse_front(front)
    except FrontMatterError as exc:
        return None, [Problem(path, exc.line, exc.field, exc.message)]
    entry, problems = validate(data, lines, path)
    entry.body = body
    return entry, problems


#: parsed entries by path and text, kept for the life of the process: ``mkdocs serve`` reloads
#: the reading list on every rebuild, and re-parsing unchanged YAML would dominate a one-page
#: rebuild (entries are not mutated after parsing)
_PARSED: dict[tuple[Path, str], tuple[Entry | None, list[Problem]]] = {}


def load_entry(path: Path) -> tuple[Entry | None, list[Problem]]:
    """Parse one entry file; return the entry (None if unusable) and its problems."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(path, 1, "", f"cannot read the file: {exc}")]
    key = (path, text)
    if key not in _PARSED:
        if len(_PARSED) > 10_000:
            _PARSED.clear()
        _PARSED[key] = parse_entry(text, path)
    entry, problems = _PARSED[key]
    return entry, list(problems)


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
