"""Surgical edits of an entry's front-matter: change one value, keep every other byte.

A YAML dumper would reorder keys, re-quote strings and drop comments, so edits here work on
the text, line by line: a scalar is replaced inside its line (its quoting style and any trailing
``# comment`` kept), a list item is added to or removed from a flow list (``[a, b]``) or a
block list (``- a`` lines) in the style the list already has, and a new key is inserted as one
line. After each edit the front-matter is parsed again and compared with the intended mapping;
any difference refuses the edit (`EditError`), so a file is never written with a change that
was not asked for. `write_atomic` writes through a temporary file and ``os.replace``.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from kb.reading import FrontMatterError, parse_front

_OPEN = re.compile(r"\A(---[ \t]*\r?\n)")
_CLOSE = re.compile(r"^---[ \t]*(\r?\n|$)")


class EditError(ValueError):
    """An edit that cannot be made without touching something else."""


class Document:
    """An entry file split into the opening line, the front-matter lines and the rest."""

    def __init__(self, text: str):
        match = _OPEN.match(text)
        if not match:
            raise EditError("no YAML front-matter (--- ... ---) at the top")
        self.head = match.group(1)
        rest = text[match.end() :].splitlines(keepends=True)
        for index, line in enumerate(rest):
            if _CLOSE.match(line):
                self.lines = rest[:index]
                self.tail = "".join(rest[index:])
                break
        else:
            raise EditError("front-matter is not closed by a --- line")
        self.newline = "\r\n" if self.head.endswith("\r\n") else "\n"

    @property
    def front(self) -> str:
        return "".join(self.lines)

    def text(self) -> str:
        return self.head + self.front + self.tail

    # -- locating keys ---------------------------------------------------------------------

    def find(self, key: str) -> tuple[int, int] | None:
        """Line span ``[start, end)`` of top-level ``key`` and its continuation lines."""
        pattern = re.compile(rf"^{re.escape(key)}[ \t]*:(?:[ \t]|\r?\n|$)")
        for index, line in enumerate(self.lines):
            if pattern.match(line):
                end = index + 1
                block = _value_part(line).strip() in ("", "|", ">") or _value_part(
                    line
                ).strip().startswith("#")
                while end < len(self.lines):
                    nxt = self.lines[end]
                    if nxt[:1] in (" ", "\t") and nxt.strip():
                        end += 1
                    elif block and nxt.startswith("-") and nxt[1:2] in (" ", "\t", "\n", "\r"):
                        end += 1
                    else:
                        break
                return index, end
        return None

    def insert_after(self, anchors: tuple[str, ...], line: str) -> None:
        """Insert ``line`` after the first anchor key present, else at the end."""
        for anchor in anchors:
            span = self.find(anchor)
            if span is not None:
                self.lines.insert(span[1], line)
                return
        if self.lines and not self.lines[-1].endswith("\n"):
            self.lines[-1] += self.newline
        self.lines.append(line)


def _value_part(line: str) -> str:
    return line.split(":", 1)[1] if ":" in line else ""


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]


def _scan_scalar(rest: str) -> int:
    """Length of the scalar at the start of ``rest`` (quoted or plain, before a comment)."""
    if rest.startswith('"'):
        i = 1
        while i < len(rest):
            if rest[i] == "\\":
                i += 2
                continue
            if rest[i] == '"':
                return i + 1
            i += 1
        raise EditError("unterminated double-quoted value")
    if rest.startswith("'"):
        i = 1
        while i < len(rest):
            if rest[i] == "'":
                if rest[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                return i + 1
            i += 1
        raise EditError("unterminated single-quoted value")
    comment = re.search(r"[ \t]#", rest)
    end = comment.start() if comment else len(rest)
    return len(rest[:end].rstrip())


def format_scalar(value: Any, style: str = "") -> str:
    """YAML text for ``value``; ``style`` is the quote character the old value used, if any."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    plain_ok = (
        text
        and text == text.strip()
        and text[0] not in "-?:,[]{}#&*!|>'\"%@`"
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and "\n" not in text
        and _loads(text) == text
    )
    printable = all(_printable(ch) for ch in text)
    if style == "'" and "\n" not in text and printable:
        return "'" + text.replace("'", "''") + "'"
    if style == '"' or not plain_ok:
        return '"' + "".join(_escape_char(ch) for ch in text) + '"'
    return text


def _printable(ch: str) -> bool:
    """Whether YAML lets ``ch`` appear unescaped (its reader rejects the others)."""
    code = ord(ch)
    return (
        ch in "\t\n\r\x85"
        or 0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _escape_char(ch: str) -> str:
    """One character inside a double-quoted YAML scalar."""
    named = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
    if ch in named:
        return named[ch]
    if _printable(ch) and ch != "\x85":
        return ch
    code = ord(ch)
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )


def _loads(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def _set_scalar(doc: Document, key: str, value: Any, anchors: tuple[str, ...]) -> None:
    span = doc.find(key)
    if span is None:
        if value is None:
            return
        doc.insert_after(anchors, f"{key}: {format_scalar(value)}{doc.newline}")
        return
    start, end = span
    if value is None:  # remove the key
        del doc.lines[start:end]
        return
    line = doc.lines[start]
    colon = line.index(":") + 1
    body = line[colon:].rstrip("\r\n")
    lead = body[: len(body) - len(body.lstrip(" \t"))]
    rest = body[len(lead) :]
    if end - start > 1 or rest[:1] in ("[", "{", "|", ">", "&", "*", "!"):
        # a multi-line or structured value: replaced by one line
        doc.lines[start:end] = [f"{line[:colon]} {format_scalar(value)}{_ending(line)}"]
        return
    size = _scan_scalar(rest) if rest and not rest.startswith("#") else 0
    style = rest[:1] if rest[:1] in ("'", '"') else ""
    lead = lead or " "
    doc.lines[start] = (
        line[:colon] + lead + format_scalar(value, style) + rest[size:] + _ending(line)
    )


# -- lists ---------------------------------------------------------------------------------


def _split_flow(inner: str) -> list[tuple[int, int]]:
    """Spans of the items of a flow list's inside (between the brackets)."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(inner)
    while i < n:
        while i < n and inner[i] in " \t\r\n,":
            if inner[i] == ",":
                pass
            i += 1
        if i >= n:
            break
        start = i
        if inner[i] in "'\"":
            i += _scan_scalar(inner[i:])
        else:
            while i < n and inner[i] != ",":
                if inner[i] in "[]{}":
                    raise EditError("nested collections in a flow list are not supported")
                i += 1
        end = i
        while end > start and inner[end - 1] in " \t\r\n":
            end -= 1
        spans.append((start, end))
        while i < n and inner[i] in " \t\r\n":
            i += 1
        if i < n and inner[i] != ",":
            raise EditError("unexpected text in a flow list")
        i += 1
    return spans


def _item_value(text: str) -> Any:
    return yaml.safe_load(text) if text else None


def _edit_list(doc: Document, key: str, item: str, add: bool, anchors: tuple[str, ...]) -> None:
    span = doc.find(key)
    if span is None:
        if add:
            doc.insert_after(anchors, f"{key}: [{format_scalar(item)}]{doc.newline}")
        return
    start, end = span
    region = "".join(doc.lines[start:end])
    colon = region.index(":") + 1
    after = region[colon:]
    stripped = after.lstrip(" \t")
    if stripped.startswith("["):
        open_at = colon + len(after) - len(stripped)
        close_at = _matching_bracket(region, open_at)
        inner = region[open_at + 1 : close_at]
        spans = _split_flow(inner)
        values = [_item_value(inner[a:b]) for a, b in spans]
        if add:
            if item in values:
                return
            quoted = all(inner[a] in "'\"" for a, _ in spans) and spans
            text = format_scalar(item, inner[spans[0][0]] if quoted else "")
            if spans:
                last_end = spans[-1][1]
                sep = ", "
                if len(spans) > 1:
                    sep = inner[spans[0][1] : spans[1][0]]
                inner = inner[:last_end] + sep + text + inner[last_end:]
            else:
                inner = text if not inner.strip() else inner.rstrip() + text
        else:
            if item not in values:
                return
            index = values.index(item)
            a, b = spans[index]
            if len(spans) == 1:
                inner = inner[:a] + inner[b:]
            elif index == 0:
                inner = inner[:a] + inner[spans[1][0] :]
            else:
                inner = inner[: spans[index - 1][1]] + inner[b:]
        region = region[: open_at + 1] + inner + region[close_at:]
        doc.lines[start:end] = region.splitlines(keepends=True)
        return
    item_lines = [
        i for i in range(start + 1, end) if re.match(r"^[ \t]*-(?:[ \t]|\r?\n|$)", doc.lines[i])
    ]
    if not item_lines:
        value = _value_part(doc.lines[start]).strip()
        if value and not value.startswith("#") and value not in ("null", "~"):
            raise EditError(f"{key} is not a list")
        if add:
            _set_scalar(doc, key, None, anchors)
            doc.lines.insert(start, f"{key}: [{format_scalar(item)}]{doc.newline}")
        return
    values = [_item_value(doc.lines[i].split("-", 1)[1].split(" #")[0].strip()) for i in item_lines]
    if add:
        if item in values:
            return
        last = doc.lines[item_lines[-1]]
        prefix = last[: last.index("-") + 1] + " "
        old = last.split("-", 1)[1].strip()
        style = old[:1] if old[:1] in ("'", '"') else ""
        line = prefix + format_scalar(item, style) + (_ending(last) or doc.newline)
        if not _ending(last):
            doc.lines[item_lines[-1]] += doc.newline
        doc.lines.insert(item_lines[-1] + 1, line)
    elif item in values:
        del doc.lines[item_lines[values.index(item)]]


def _matching_bracket(text: str, open_at: int) -> int:
    depth, i = 0, open_at
    while i < len(text):
        ch = text[i]
        if ch in "'\"":
            i += _scan_scalar(text[i:])
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise EditError("unclosed [ in a flow list")


# -- the public edit -----------------------------------------------------------------------

_ANCHORS = {
    "priority": ("status",),
    "status": ("year", "title"),
    "tags": ("priority", "status"),
    "source": (),
}


def edit(
    text: str,
    *,
    scalars: dict[str, Any] | None = None,
    add: dict[str, list[str]] | None = None,
    remove: dict[str, list[str]] | None = None,
) -> str:
    """Return ``text`` with the front-matter ``scalars`` set (None removes the key) and list
    items added or removed; every other byte is kept. Raises `EditError` when that is not
    possible or the re-parsed result differs from the intent anywhere else.
    """
    doc = Document(text)
    try:
        before, _ = parse_front(doc.front)
    except FrontMatterError as exc:
        raise EditError(f"line {exc.line}: {exc.message}") from None
    expected = dict(before)
    for key, value in (scalars or {}).items():
        _set_scalar(doc, key, value, _ANCHORS.get(key, ()))
        if value is None:
            expected.pop(key, None)
        else:
            expected[key] = value
    for mode, changes in (("add", add or {}), ("remove", remove or {})):
        for key, items in changes.items():
            current = expected.get(key)
            if current is not None and not isinstance(current, list):
                raise EditError(f"{key} is not a list")
            current = list(current or [])
            for item in items:
                _edit_list(doc, key, item, mode == "add", _ANCHORS.get(key, ()))
                if mode == "add" and item not in current:
                    current.append(item)
                elif mode == "remove" and item in current:
                    current.remove(item)
            if key in expected or current:
                expected[key] = current
    try:
        after, _ = parse_front(doc.front)
    except FrontMatterError as exc:
        raise EditError(f"the edit would break the front-matter: {exc.message}") from None
    if _normal(after) != _normal(expected):
        raise EditError("the edit would change more than the values asked for")
    return doc.text()


def _normal(data: dict[str, Any]) -> dict[str, Any]:
    """Treat an emptied list and an absent/null list alike."""
    return {k: v for k, v in data.items() if v not in (None, [])}


def read_text(path: Path) -> str:
    """The file's text exactly (no newline translation)."""
    return path.read_bytes().decode("utf-8")


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
