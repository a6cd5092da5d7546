"""The reading list as site pages, generated at build time by the ``kb`` plugin.

- ``reading-list/index.md``: progress (read / total, overall and per priority) and one table per
  priority and status, each row linking to the entry's page, with tag chips;
- ``reading-list/<id>.md``: one page per entry: its record as a card, then its notes.

Every text that comes from an entry is escaped for where it lands: HTML-escaped in HTML,
HTML-escaped and Markdown-escaped in Markdown (a title ``<script>alert(1)</script>`` shows as
text). Page titles go into the page's meta already HTML-escaped, because the theme templates
print ``page.title`` without escaping; tags go into the meta too, so Material's tags index
lists the entries.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable

from kb.reading import PRIORITIES, STATUSES, Entry

INDEX = "reading-list/index.md"
STATUS_LABEL = {"to-read": "to read", "reading": "reading", "read": "read"}
STATUS_ORDER = ("reading", "to-read", "read")
# Parentheses stay unescaped: arithmatex reads `\(`...`\)` as inline math.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#+!|$~^<>])")


def entry_src(entry_id: str) -> str:
    """Source path (in the docs tree) of an entry's generated page."""
    return f"reading-list/{entry_id}.md"


def esc(text: object) -> str:
    """HTML-escape (quotes included)."""
    return html.escape(str(text), quote=True)


def md_text(text: object) -> str:
    """Text shown literally in Markdown: HTML-escaped, then Markdown specials backslashed."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False)).replace("\n", " ")


def status_badge(status: str) -> str:
    return f'<span class="kb-status kb-status--{esc(status)}">{esc(STATUS_LABEL[status])}</span>'


def priority_badge(priority: str | None) -> str:
    return f'<span class="kb-priority">{esc(priority)}</span>' if priority else ""


def tag_chips(tags: Iterable[str]) -> str:
    return " ".join(f'<span class="kb-tag">{esc(t)}</span>' for t in tags)


def _front(title: str, tags: list[str], description: str = "") -> str:
    meta = {"title": esc(title), "tags": [esc(t) for t in tags]}
    if description:
        meta["description"] = esc(description)
    # JSON is valid YAML and quotes every string safely.
    return "---\n" + "\n".join(f"{k}: {json.dumps(v)}" for k, v in meta.items()) + "\n---\n\n"


def _progress(read: int, total: int, label: str) -> str:
    percent = round(100 * read / total) if total else 0
    return (
        f'<div class="kb-progress" role="img" aria-label="{esc(label)}: {read} of {total} read">'
        f'<span class="kb-progress__label">{esc(label)}</span>'
        f'<span class="kb-progress__bar"><span style="width: {percent}%"></span></span>'
        f'<span class="kb-progress__count">{read} / {total}</span></div>'
    )


def index_page(entries: Iterable[Entry]) -> str:
    """Markdown of the reading-list index."""
    chosen = sorted(entries, key=lambda e: e.id)
    read = sum(e.status == "read" for e in chosen)
    out = [_front("Reading list", [], "Papers and topics behind the pages, with reading progress.")]
    out.append("# Reading list\n")
    out.append(
        "The papers and topics behind the pages. Each row links to the entry's page: its record "
        "and notes. Entries are Markdown files in `reading_list/` of the repository.\n"
    )
    out.append('<div class="kb-progress-group" markdown="0">')
    out.append(_progress(read, len(chosen), "All entries"))
    groups: list[tuple[str, str, list[Entry]]] = []
    for priority in (*PRIORITIES, None):
        members = [e for e in chosen if e.priority == priority]
        if not members:
            continue
        label = f"Priority {priority}" if priority else "Not prioritised"
        groups.append((priority or "none", label, members))
        done = sum(e.status == "read" for e in members)
        out.append(_progress(done, len(members), label))
    out.append("</div>\n")
    for key, label, members in groups:
        out.append(f"## {label} {{#priority-{key}}}\n")
        for status in STATUS_ORDER:
            rows = [e for e in members if e.status == status]
            if not rows:
                continue
            rows.sort(key=lambda e: (-(e.year or 0), e.id))
            out.append(
                f"### {STATUS_LABEL[status].capitalize()} ({len(rows)}) {{#{key}-{status}}}\n"
            )
            out.append("| Entry | Year | Authors | Tags |")
            out.append("| --- | --- | --- | --- |")
            for e in rows:
                kind = ' <span class="kb-kind">topic</span>' if e.kind == "topic" else ""
                authors = md_text(e.short_authors) if e.authors else ""
                year = str(e.year) if e.year else ""
                link = f"[{md_text(e.title)}]({e.id}.md)"
                out.append(f"| {link}{kind} | {year} | {authors} | {tag_chips(e.tags)} |")
            out.append("")
    out.append("## How to edit {#how-to-edit}\n")
    out.append(
        "Edit `reading_list/<id>.md` by hand or in Obsidian (open the repository as a vault), "
        "or from the command line, which changes only the values you name and keeps every "
        "other byte of the file:\n"
    )
    out.append(
        "```bash\n"
        "kb reading list --status to-read --priority p1      # the table, filtered\n"
        "kb reading set dinh2017 --status read --add-tag flatness\n"
        "kb reading set dinh2017 --priority none             # drop the priority\n"
        "kb reading import notes/todo.md                     # Obsidian task lines -> entries\n"
        "kb reading export --format bibtex -o reading.bib    # for Zotero\n"
        "kb check                                            # validate entries and pages\n"
        "```\n"
    )
    out.append(
        "Statuses are " + ", ".join(f"`{s}`" for s in STATUSES) + "; priorities "
        "`p1` (highest) to `p4`, or none. Importing a task line such as "
        "`- [ ] Some paper 2020 #reading #p2` again never creates a duplicate.\n"
    )
    return "\n".join(out)


def entry_page(entry: Entry, known_pages: set[str]) -> str:
    """Markdown of one entry's page: a card with the record, then the notes."""
    out = [_front(entry.title, entry.tags)]
    out.append(f'<h1 id="{esc(entry.id)}">{esc(entry.title)}</h1>\n')
    rows: list[tuple[str, str]] = []
    rows.append(("Status", status_badge(entry.status) + " " + priority_badge(entry.priority)))
    rows.append(("Kind", esc(entry.kind)))
    if entry.authors:
        rows.append(("Authors", esc(", ".join(entry.authors))))
    if entry.year:
        rows.append(("Year", esc(entry.year)))
    if entry.venue:
        rows.append(("Venue", esc(entry.venue)))
    if entry.url:
        rows.append(("Link", f'<a href="{esc(entry.url)}">{esc(entry.url)}</a>'))
    if entry.arxiv:
        href = f"https://arxiv.org/abs/{entry.arxiv}"
        rows.append(("arXiv", f'<a href="{esc(href)}">{esc(entry.arxiv)}</a>'))
    doi = entry.extra.get("doi")
    if isinstance(doi, str) and doi:
        rows.append(("DOI", f'<a href="https://doi.org/{esc(doi)}">{esc(doi)}</a>'))
    if entry.tags:
        rows.append(("Tags", tag_chips(entry.tags)))
    source = entry.extra.get("source")
    if isinstance(source, str) and source:
        rows.append(("Task line", f"<code>{esc(source)}</code>"))
    rows.append(("Citekey", f"<code>{esc(entry.id)}</code>"))
    out.append('<div class="kb-card" markdown="0"><dl>')
    for name, value in rows:
        out.append(f"<dt>{esc(name)}</dt><dd>{value}</dd>")
    out.append("</dl></div>\n")
    if entry.concepts:
        links = []
        for concept in entry.concepts:
            target = f"{concept}.md" if f"{concept}.md" in known_pages else f"{concept}/index.md"
            # an unknown concept stays a link to a missing page: the strict build names it
            links.append(f"[{md_text(concept)}](../{target})")
        out.append("**Cited on:** " + ", ".join(links) + "\n")
    body = entry.body.strip("\n")
    if body:
        out.append("## Notes {#notes}\n")
        out.append(body + "\n")
    return "\n".join(out)
