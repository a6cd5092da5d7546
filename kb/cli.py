"""The ``kb`` command line.

Commands:
    kb figures [ID ...] [--force] [--list]   render figures into .cache/figures, no site build
    kb check                                 validate reading-list entries and pages
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kb import markdown as md
from kb.figure_cache import FigureCache, FigureError
from kb.reading import Problem, load_reading_list


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


def check_pages(docs: Path, figure_ids: set[str], citekeys: set[str]) -> list[Problem]:
    """Unknown figure ids and citation keys in the pages under ``docs``, with their lines."""
    problems: list[Problem] = []
    for path in sorted(docs.rglob("*.md")):
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
    problems += check_pages(root / "docs", set(cache.entries), set(entries))
    for problem in problems:
        print(problem)
    if problems:
        print(f"kb check: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"kb check: {len(entries)} entries, {len(cache.entries)} figures, all valid")
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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
