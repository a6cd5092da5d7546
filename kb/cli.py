"""The ``kb`` command line.

Commands:
    kb figures [ID ...] [--force] [--list]   render figures into .cache/figures, no site build
    kb check                                 validate reading-list entries and pages
    kb reading list [--status S] [--priority P] [--tag T]
    kb reading set ID [--status S] [--priority P|none] [--add-tag T] [--remove-tag T]
    kb reading import NOTE.md ...            Obsidian task lines -> entries (idempotent)
    kb reading export --format bibtex [-o FILE]
Every ``kb reading`` command takes ``--dir DIR`` (default ./reading_list).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kb import frontmatter
from kb import markdown as md
from kb.figure_cache import FigureCache, FigureError
from kb.reading import PRIORITIES, STATUSES, Entry, Problem, load_reading_list, parse_entry

TAG_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_/-]*$"


def _figures(args: argparse.Namespace) -> int:
    cache = FigureCache(Path(args.root), Path(args.root) / ".cache", workers=args.workers)
    if args.list:
        for entry in cache.entries.values():
            state = "cached" if entry.is_cached else "missing"
            print(f"{entry.id}\t{entry.module}\t{state}")
        return 0
    try:
        report = cache.render(args.ids or None, force=args.force)
    except KeyError as exc:
        print(f"kb figures: {exc.args[0]}", file=sys.stderr)
        return 2
    except FigureError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if not report.rendered:
        print("figures: all cached", file=sys.stderr)
    for fig_id in args.ids or cache.entries:
        for path in cache.entries[fig_id].paths.values():
            print(path)
    return 0


def check_concepts(docs: Path, entries: dict[str, Entry]) -> list[Problem]:
    """Entries whose ``concepts`` name a page that does not exist under ``docs``."""
    problems: list[Problem] = []
    for entry in entries.values():
        for concept in entry.concepts:
            if not ((docs / f"{concept}.md").is_file() or (docs / concept / "index.md").is_file()):
                line = entry.lines.get("concepts", 1)
                message = f"no page docs/{concept}.md for concept {concept!r}"
                problems.append(Problem(entry.path, line, "concepts", message))
    return problems


def check_pages(docs: Path, figure_ids: set[str], citekeys: set[str]) -> list[Problem]:
    """Unknown figure ids, citation keys and unresolved wikilinks in the pages under ``docs``,
    with their lines."""
    problems: list[Problem] = []
    uris = [p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()]
    uris += [f"reading-list/{key}.md" for key in citekeys] + ["reading-list/index.md"]
    resolver = md.WikiResolver(uris)
    for path in sorted(docs.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        src = path.relative_to(docs).as_posix()
        _, unresolved = md.link_wikilinks(md.convert_callouts(text), src, resolver)
        for target in unresolved:
            line = next((n for n, t in enumerate(text.splitlines(), 1) if target in t), 1)
            problems.append(Problem(path, line, "wikilink", f"{target} resolves to nothing"))
        text = path.read_text(encoding="utf-8")
        seen: list[tuple[str, str]] = []

        def collect(prose: str, seen: list[tuple[str, str]] = seen) -> str:
            for line in prose.splitlines():
                match = md.FIGURE_LINE.match(line)
                if match and match["id"] not in figure_ids:
                    seen.append(("figure", match["id"]))
            for match in md.CITATION.finditer(prose):
                if match["key"] not in citekeys:
                    seen.append(("citation", match["key"]))
            return prose

        md.map_prose(text, collect)
        for kind, value in seen:
            needle = f"figure:{value}" if kind == "figure" else f"[[@{value}]]"
            line = next((n for n, t in enumerate(text.splitlines(), 1) if needle in t), 1)
            problems.append(Problem(path, line, kind, f"unknown {kind} {value!r}"))
    return problems


def _check(args: argparse.Namespace) -> int:
    root = Path(args.root)
    entries, problems = load_reading_list(root / "reading_list")
    cache = FigureCache(root, root / ".cache")
    problems += check_concepts(root / "docs", entries)
    problems += check_pages(root / "docs", set(cache.entries), set(entries))
    for problem in problems:
        print(problem)
    if problems:
        print(f"kb check: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"kb check: {len(entries)} entries, {len(cache.entries)} figures, all valid")
    return 0


# -- kb reading -------------------------------------------------------------------------------


def _fail(message: str) -> int:
    print(f"kb reading: {message}", file=sys.stderr)
    return 2


def _reading_set(args: argparse.Namespace) -> int:
    import re

    directory = Path(args.dir)
    path = directory / f"{args.id}.md"
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", args.id) or not path.is_file():
        return _fail(f"no entry {args.id!r} in {directory}/ (kb reading list shows the ids)")
    scalars: dict[str, object] = {}
    if args.status is not None:
        if args.status not in STATUSES:
            return _fail(f"--status must be one of {', '.join(STATUSES)}, not {args.status!r}")
        scalars["status"] = args.status
    if args.priority is not None:
        if args.priority not in (*PRIORITIES, "none"):
            return _fail(f"--priority must be one of {', '.join(PRIORITIES)} or none")
        scalars["priority"] = None if args.priority == "none" else args.priority
    for tag in (*args.add_tag, *args.remove_tag):
        if not re.fullmatch(TAG_PATTERN, tag):
            return _fail(f"not a valid tag: {tag!r} (letters, digits, _, - and /)")
    if not scalars and not args.add_tag and not args.remove_tag:
        return _fail("nothing to set: give --status, --priority, --add-tag or --remove-tag")
    text = frontmatter.read_text(path)
    try:
        new = frontmatter.edit(
            text,
            scalars=scalars,
            add={"tags": args.add_tag} if args.add_tag else None,
            remove={"tags": args.remove_tag} if args.remove_tag else None,
        )
    except frontmatter.EditError as exc:
        return _fail(f"{path}: not changed: {exc}")
    _, before = parse_entry(text, path)
    _, after = parse_entry(new, path)
    known = {(p.field, p.message) for p in before}
    fresh = [p for p in after if (p.field, p.message) not in known]
    if fresh:
        for problem in fresh:
            print(problem, file=sys.stderr)
        return _fail(f"{path}: not changed: the result would not be a valid entry")
    if new != text:
        frontmatter.write_atomic(path, new)
        print(f"{path}: updated")
    else:
        print(f"{path}: already so")
    return 0


def _reading_list(args: argparse.Namespace) -> int:
    entries, problems = load_reading_list(Path(args.dir))
    for problem in problems:
        print(problem, file=sys.stderr)
    chosen = [
        e
        for e in entries.values()
        if (args.status is None or e.status == args.status)
        and (args.priority is None or (e.priority or "none") == args.priority)
        and (args.tag is None or args.tag in e.tags)
    ]
    chosen.sort(key=lambda e: (e.priority or "p9", e.status != "reading", e.id))
    rows = [("ID", "STATUS", "PRI", "YEAR", "KIND", "TITLE", "TAGS")]
    for e in chosen:
        title = e.title if len(e.title) <= 60 else e.title[:59] + "…"
        year = str(e.year) if e.year else ""
        tags = ",".join(e.tags)
        rows.append((e.id, e.status, e.priority or "-", year, e.kind, title, tags))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[-1])
    read = sum(e.status == "read" for e in chosen)
    print(f"{len(chosen)} entries, {read} read", file=sys.stderr)
    return 1 if problems else 0


def _reading_import(args: argparse.Namespace) -> int:
    from kb.obsidian import import_notes

    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        return _fail(f"no such file: {', '.join(missing)}")
    try:
        report = import_notes([Path(f) for f in args.files], Path(args.dir))
    except frontmatter.EditError as exc:
        return _fail(str(exc))
    for label, ids in (("created", report.created), ("updated", report.updated)):
        for entry_id in ids:
            print(f"{label} {Path(args.dir) / entry_id}.md")
    print(
        f"kb reading import: {len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged",
        file=sys.stderr,
    )
    if report.created:
        print("complete the new entries (kb check names what is missing)", file=sys.stderr)
    return 0


def _reading_export(args: argparse.Namespace) -> int:
    from kb.bibtex import export

    entries, problems = load_reading_list(Path(args.dir))
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return _fail("fix the problems above first")
    text = export(entries.values())
    if args.output:
        frontmatter.write_atomic(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kb", description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=".", help="project root (default: .)")
    sub = parser.add_subparsers(dest="command", required=True)

    figures = sub.add_parser("figures", help="render build-time figures without building the site")
    figures.add_argument("ids", nargs="*", metavar="ID", help="figure ids (default: all)")
    figures.add_argument("--force", action="store_true", help="render even if cached")
    figures.add_argument("--list", action="store_true", help="list ids, modules and cache state")
    figures.add_argument("--workers", type=int, default=None, help="processes (default: CPUs)")
    figures.set_defaults(run=_figures)

    check = sub.add_parser("check", help="validate reading-list entries and pages")
    check.set_defaults(run=_check)

    reading = sub.add_parser(
        "reading",
        help="list, edit, import and export the reading list",
        description="The reading list: reading_list/<id>.md, YAML front-matter as the record. "
        "Edits change only the values asked for; every other byte of the file stays.",
    )
    rsub = reading.add_subparsers(dest="reading_command", required=True)
    dir_help = "the reading-list folder (default: ./reading_list)"

    rlist = rsub.add_parser("list", help="print the entries as a table")
    rlist.add_argument("--dir", default="reading_list", help=dir_help)
    rlist.add_argument("--status", choices=STATUSES, help="only entries with this status")
    rlist.add_argument(
        "--priority", choices=(*PRIORITIES, "none"), help="only this priority (none: unset)"
    )
    rlist.add_argument("--tag", help="only entries with this tag")
    rlist.set_defaults(run=_reading_list)

    rset = rsub.add_parser(
        "set",
        help="change status, priority or tags of one entry",
        description="Change only the given values of reading_list/ID.md; comments, quoting, "
        "key order and notes stay byte for byte. Example: kb reading set dinh2017 "
        "--status read --add-tag flatness",
    )
    rset.add_argument("id", metavar="ID", help="the entry id (its file name without .md)")
    rset.add_argument("--dir", default="reading_list", help=dir_help)
    rset.add_argument("--status", help=f"one of {', '.join(STATUSES)}")
    rset.add_argument("--priority", help=f"one of {', '.join(PRIORITIES)}, or none to remove it")
    rset.add_argument("--add-tag", action="append", default=[], metavar="T", help="add a tag")
    rset.add_argument("--remove-tag", action="append", default=[], metavar="T", help="remove a tag")
    rset.set_defaults(run=_reading_set)

    rimport = rsub.add_parser(
        "import",
        help="turn Obsidian task lines into entries",
        description="Read task lines (- [ ] / - [x] / * [ ], nested too) from Obsidian notes: "
        "#p1..#p4 set the priority, #topics makes a topic, other #tags become tags, [x] means "
        "read. An entry that already describes the line (same source line, arXiv id, or "
        "first author and year) is updated instead of duplicated, so re-importing changes "
        "nothing.",
    )
    rimport.add_argument("files", nargs="+", metavar="FILE", help="Obsidian notes (Markdown)")
    rimport.add_argument("--dir", default="reading_list", help=dir_help)
    rimport.set_defaults(run=_reading_import)

    rexport = rsub.add_parser("export", help="write BibTeX for every paper (for Zotero)")
    rexport.add_argument("--format", choices=("bibtex",), default="bibtex", help="bibtex")
    rexport.add_argument("--dir", default="reading_list", help=dir_help)
    rexport.add_argument("-o", "--output", help="write to this file (default: stdout)")
    rexport.set_defaults(run=_reading_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
