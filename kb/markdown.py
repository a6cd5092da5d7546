"""Markdown rewrites the ``kb`` plugin applies to every page before MkDocs converts it.

- A line holding only ``![caption](figure:ID)`` becomes a captioned figure with the light and
  dark SVG of figure ``ID`` (Material shows the one matching the colour scheme).
- ``[[@citekey]]`` becomes a link to the reading-list entry ``citekey`` (its generated page).
- Obsidian syntax: ``[[page]]``, ``[[page|alias]]``, ``[[page#heading]]`` become links,
  ``![[image.png]]`` an image, and callouts (``> [!note] Title`` and the quoted lines after it)
  Material admonitions (``> [!tip]-`` a folded one). Task lists (``- [ ]``) are rendered by
  ``pymdownx.tasklist``.
- A *Readings* section listing the entries whose ``concepts`` name the page is appended, or put
  where the page has a ``<!-- readings -->`` line.

Fenced code blocks and inline code are left alone, so the syntax can be shown in examples.
Each rewrite reports what it could not resolve; the plugin turns those into build warnings,
which fail the strict build.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Iterable

from kb.reading import Entry

# The caption may hold bracketed text one level deep, e.g. a Markdown link.
FIGURE_LINE = re.compile(
    r"^(?P<indent>[ \t]*)!\[(?P<caption>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"\(figure:(?P<id>[^)\s]+)\)[ \t]*$"
)
STRAY_FIGURE = re.compile(r"\]\(figure:(?P<id>[^)\s]*)\)")
CITATION = re.compile(r"\[\[@(?P<key>[^\]|#\s]+)\]\]")
READINGS_MARKER = "<!-- readings -->"
FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:.+?)\1", re.DOTALL)


def map_prose(markdown: str, rewrite: Callable[[str], str]) -> str:
    """Apply ``rewrite`` to every run of lines outside fenced code blocks."""
    out: list[str] = []
    prose: list[str] = []
    fence: str | None = None
    for line in markdown.splitlines(keepends=True):
        match = FENCE.match(line)
        if fence is None and match:
            out.append(rewrite("".join(prose)))
            prose = []
            fence = match.group("fence")
            out.append(line)
        elif fence is not None:
            out.append(line)
            if (
                line.strip().startswith(fence[0] * len(fence))
                and line.strip().strip(fence[0]) == ""
            ):
                fence = None
        else:
            prose.append(line)
    out.append(rewrite("".join(prose)))
    return "".join(out)


def _outside_inline_code(text: str, rewrite: Callable[[str], str]) -> str:
    pieces: list[str] = []
    last = 0
    for match in _INLINE_CODE.finditer(text):
        pieces.append(rewrite(text[last : match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(rewrite(text[last:]))
    return "".join(pieces)


def _plain(caption: str) -> str:
    """Alt text: the caption without Markdown emphasis, math dollars or links."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", caption)
    return re.sub(r"[*_`$\\]", "", text).strip()


def figure_urls(page_src_uri: str, fig_id: str) -> tuple[str, str]:
    """Relative links from a page's source file to the light and dark SVG of ``fig_id``."""
    base = posixpath.dirname(page_src_uri) or "."
    light = posixpath.relpath(f"figures/{fig_id}.svg", base)
    dark = posixpath.relpath(f"figures/{fig_id}.dark.svg", base)
    return light, dark


def embed_figures(
    markdown: str, page_src_uri: str, known: Iterable[str]
) -> tuple[str, list[str], list[str]]:
    """Replace figure lines; return (markdown, ids embedded, unknown ids)."""
    known_ids = set(known)
    used: list[str] = []
    unknown: list[str] = []

    def replace_line(match: re.Match[str]) -> str:
        fig_id, caption, indent = match["id"], match["caption"].strip(), match["indent"]
        if fig_id not in known_ids:
            unknown.append(fig_id)
            return f"{indent}**Missing figure `{fig_id}`.**"
        used.append(fig_id)
        light, dark = figure_urls(page_src_uri, fig_id)
        alt = html.escape(_plain(caption) or fig_id, quote=True).replace("]", "")
        caption_html = (
            f'{indent}  <figcaption markdown="span">{caption}</figcaption>\n' if caption else ""
        )
        return (
            f'{indent}<figure class="kb-figure" id="figure-{fig_id}" markdown="block">\n'
            f"{indent}  ![{alt}]({light}#only-light)\n"
            f"{indent}  ![{alt}]({dark}#only-dark)\n"
            f"{caption_html}"
            f"{indent}</figure>\n"
        )

    def rewrite(text: str) -> str:
        lines = text.splitlines(keepends=True)
        out = []
        for line in lines:
            match = FIGURE_LINE.match(line.rstrip("\r\n"))
            out.append(replace_line(match) if match else line)
        return "".join(out)

    return map_prose(markdown, rewrite), used, unknown


def stray_figure_embeds(markdown: str) -> list[str]:
    """Figure ids of ``(figure:ID)`` links left in the prose: not alone on a line, or malformed."""
    found: list[str] = []

    def collect_part(part: str) -> str:
        found.extend(m["id"] for m in STRAY_FIGURE.finditer(part))
        return part

    map_prose(markdown, lambda text: _outside_inline_code(text, collect_part))
    return found


def _link_text(text: str) -> str:
    """Text safe inside a Markdown link label (HTML and Markdown specials escaped)."""
    escaped = html.escape(text, quote=False)
    return re.sub(r"([\\`*_\[\]<>|$])", r"\\\1", escaped)


def _link_title(text: str) -> str:
    return html.escape(text, quote=False).replace('"', "'").replace("\\", "")


def link_citations(
    markdown: str, entries: dict[str, Entry], page_link: Callable[[Entry], str] | None = None
) -> tuple[str, list[str]]:
    """Replace ``[[@key]]`` with a link to the entry; return (markdown, unknown keys).

    ``page_link(entry)`` gives the link to the entry's page; without it the citation links to
    the work itself (its URL or arXiv page).
    """
    unknown: list[str] = []

    def replace(match: re.Match[str]) -> str:
        key = match["key"]
        entry = entries.get(key)
        if entry is None:
            unknown.append(key)
            return f"**[unknown citation {key}]**"
        text = entry.cite_text.replace("[", "(").replace("]", ")")
        link = page_link(entry) if page_link else entry.link
        title = _link_title(entry.title)
        if page_link:
            text = _link_text(entry.cite_text)
        return f'[{text}]({link} "{title}")' if link else f"{text}"

    def rewrite(text: str) -> str:
        def cite(part: str) -> str:
            # citations written side by side, `[[@a]] [[@b]]`, read "A, 2021; B, 2023"
            return CITATION.sub(replace, _ADJACENT_CITATIONS.sub(r"\1; ", part))

        return _outside_inline_code(text, cite)

    return map_prose(markdown, rewrite), unknown


#: the blanks between two citations that follow each other
_ADJACENT_CITATIONS = re.compile(r"(\[\[@[^\]|#\s]+\]\])[ \t]+(?=\[\[@)")


_STATUS_LABEL = {"to-read": "to read", "reading": "reading", "read": "read"}


def readings_section(
    entries: Iterable[Entry], page_link: Callable[[Entry], str] | None = None
) -> str:
    """The Markdown of a *Readings* section for ``entries`` (empty string if none).

    With ``page_link`` each entry links to its page on the site, else to the work itself.
    """
    chosen = sorted(entries, key=lambda e: (e.priority or "p9", -(e.year or 0), e.id))
    if not chosen:
        return ""
    lines = ["## Readings", ""]
    for e in chosen:
        if page_link:
            title = _link_text(e.title)
            head = f"[{title}]({page_link(e)})"
            meta = ", ".join(_link_text(str(x)) for x in (e.short_authors, e.venue, e.year) if x)
        else:
            title = e.title.replace("[", "(").replace("]", ")")
            head = f"[{title}]({e.link})" if e.link else title
            meta = ", ".join(str(x) for x in (e.short_authors, e.venue, e.year) if x)
        badge = f'<span class="kb-status kb-status--{e.status}">{_STATUS_LABEL[e.status]}</span>'
        prio = f' <span class="kb-priority">{e.priority}</span>' if e.priority else ""
        lines.append(f"- {badge}{prio} **{head}** — {meta}.")
    return "\n".join(lines) + "\n"


def add_readings(markdown: str, section: str) -> str:
    """Put ``section`` at the ``<!-- readings -->`` marker, else at the end of the page."""
    if READINGS_MARKER in markdown:
        return markdown.replace(READINGS_MARKER, section, 1)
    if not section:
        return markdown
    return markdown.rstrip("\n") + "\n\n" + section


# -- Obsidian syntax -----------------------------------------------------------------------

WIKILINK = re.compile(
    r"(?P<embed>!?)\[\[(?!@)(?P<target>[^\]|#\n]*)(?:#(?P<heading>[^\]|\n]*))?"
    r"(?:\|(?P<alias>[^\]\n]*))?\]\]"
)
CALLOUT = re.compile(
    r"^(?P<indent>[ \t]*)>[ \t]?\[!(?P<type>[\w-]+)\](?P<fold>[+-]?)[ \t]*(?P<title>.*)$"
)


class WikiResolver:
    """Find the file a wikilink names, as Obsidian does: by path, else by unique file name."""

    def __init__(self, src_uris: Iterable[str], titles: dict[str, str] | None = None):
        self.uris = set(src_uris)
        self.titles = titles or {}  # link text for targets named without an alias
        self.by_name: dict[str, list[str]] = {}
        for uri in sorted(self.uris):
            name = posixpath.basename(uri)
            self.by_name.setdefault(name.lower(), []).append(uri)
            if name.endswith(".md"):
                self.by_name.setdefault(name[:-3].lower(), []).append(uri)

    def resolve(self, target: str, page_src_uri: str) -> str | None:
        target = target.strip().lstrip("/")
        if not target:
            return page_src_uri
        here = posixpath.dirname(page_src_uri)
        for candidate in (target, f"{target}.md", f"{target}/index.md"):
            for base in (here, ""):
                uri = posixpath.normpath(posixpath.join(base, candidate))
                if uri in self.uris:
                    return uri
        found = self.by_name.get(posixpath.basename(target).lower(), [])
        return found[0] if len(found) == 1 else None


def _slug(text: str) -> str:
    from markdown.extensions.toc import slugify

    return slugify(text.strip(), "-")


def link_wikilinks(
    markdown: str, page_src_uri: str, resolver: WikiResolver
) -> tuple[str, list[str]]:
    """Replace Obsidian wikilinks and embeds; return (markdown, unresolved targets)."""
    unresolved: list[str] = []
    base = posixpath.dirname(page_src_uri) or "."

    def replace(match: re.Match[str]) -> str:
        target, heading, alias = match["target"], match["heading"], match["alias"]
        uri = resolver.resolve(target, page_src_uri)
        if uri is None:
            unresolved.append(match.group(0))
            return f"**unresolved link {_link_text(target)}**"
        rel = posixpath.relpath(uri, base) if uri != page_src_uri else ""
        anchor = f"#{_slug(heading)}" if heading else ""
        if match["embed"]:
            if not uri.endswith(".md"):
                return f"![{_link_text(alias or posixpath.basename(target))}]({rel})"
        name = resolver.titles.get(uri, target)
        shown = alias or (f"{name} › {heading}" if target and heading else name or heading)
        return f"[{_link_text(shown.strip())}]({rel or ''}{anchor})"

    def rewrite(text: str) -> str:
        return _outside_inline_code(text, lambda part: WIKILINK.sub(replace, part))

    return map_prose(markdown, rewrite), unresolved


def convert_callouts(markdown: str) -> str:
    """Turn Obsidian callouts into Material admonitions (``!!!``, ``???`` when foldable)."""

    def rewrite(text: str) -> str:
        lines = text.splitlines(keepends=True)
        out: list[str] = []
        i = 0
        while i < len(lines):
            match = CALLOUT.match(lines[i].rstrip("\r\n"))
            if not match:
                out.append(lines[i])
                i += 1
                continue
            indent = match["indent"]
            marker = {"": "!!!", "-": "???", "+": "???+"}[match["fold"]]
            title = match["title"].strip().replace('"', "'")
            head = f"{indent}{marker} {match['type'].lower()}"
            out.append(f'{head} "{title}"\n' if title else f"{head}\n")
            i += 1
            prefix = re.compile(rf"^{re.escape(indent)}>[ \t]?")
            body: list[str] = []
            while i < len(lines) and prefix.match(lines[i]):
                content = prefix.sub("", lines[i], count=1)
                body.append(f"{indent}    {content}" if content.strip() else "\n")
                i += 1
            if body and out and not body[0].strip() == "":
                out.append("\n")
            out.extend(body)
            if body and not body[-1].endswith("\n"):
                out[-1] += "\n"
            out.append("\n")
        return "".join(out)

    return map_prose(markdown, rewrite)


_LINE_TAG = re.compile(r"^(?P<indent>[ \t]{0,3})#(?=[A-Za-z_][\w/-]*(?:\s|$))", re.MULTILINE)


def escape_line_tags(markdown: str) -> str:
    """Keep an Obsidian tag at the start of a line (``#reading``) as text, not a heading:
    Python-Markdown, unlike Obsidian, makes a heading of ``#word`` without a space."""
    return map_prose(markdown, lambda prose: _LINE_TAG.sub(r"\g<indent>\\#", prose))
