"""Build benchmarks: cold, warm and plain builds, and the serve rebuild after a Markdown edit.

Run with ``make bench``. Everything happens in a temporary copy of the project, so the real
``.cache`` is untouched:

- *cold*: ``mkdocs build`` with an empty ``.cache`` (every figure rendered, notebooks executed);
- *warm*: the same build again (everything cached);
- *plain*: the same pages with the ``kb`` and ``mkdocs-jupyter`` plugins removed — what MkDocs
  and Material cost by themselves;
- *serve rebuild*: ``mkdocs serve`` running, one page edited, time until the new text is served:
  with ``--dirty`` (what ``make serve`` runs: only the edited page is re-rendered) and without
  (every page re-rendered).

Targets (issue 2): warm ≤ 1.3 × plain; cold ≤ 90 s; serve rebuild ≤ 1 s.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COPY = ("docs", "refimpl", "reading_list", "overrides", "mkdocs.yml")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def copy_project(dest: Path) -> None:
    for name in COPY:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    (dest / "node_modules").symlink_to(REPO / "node_modules")


def plain_config(text: str) -> str:
    """``mkdocs.yml`` without the kb and mkdocs-jupyter plugins, the notebooks, or strictness."""
    out: list[str] = []
    skip_indent: int | None = None
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip())
        if skip_indent is not None:
            if line.strip() and indent <= skip_indent:
                skip_indent = None
            else:
                continue
        if re.match(r"^\s*- (kb|mkdocs-jupyter):?\s*$", line) or re.match(
            r"^\s*- Notebooks:\s*$", line
        ):
            skip_indent = indent
            continue
        if line.startswith("strict:"):
            line = "strict: false"
        out.append(line)
    return "\n".join(out) + "\n"


def build(project: Path, config: str, site: str) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", site],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build -f {config} failed:\n{result.stderr[-4000:]}")
    return time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode()
    except OSError:
        return ""


def serve_rebuild(project: Path, *flags: str, edits: int = 3) -> list[float]:
    """Seconds from editing docs/index.md to ``mkdocs serve [flags]`` serving the new text."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", *flags, "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    page = project / "docs" / "index.md"
    original = page.read_text()
    times: list[float] = []
    try:
        deadline = time.monotonic() + 300
        while "Inductive Bias" not in fetch(url):
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("mkdocs serve did not come up")
            time.sleep(0.2)
        for i in range(edits):
            time.sleep(1.5)  # let the watcher settle between edits
            token = f"bench-token-{i}-{time.time_ns()}"
            start = time.perf_counter()
            page.write_text(original + f"\n{token}\n")
            while token not in fetch(url):
                if time.perf_counter() - start > 60:
                    raise RuntimeError("no rebuild within 60 s")
                time.sleep(0.02)
            times.append(time.perf_counter() - start)
    finally:
        page.write_text(original)
        server.terminate()
        server.wait(timeout=30)
    return times


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        project = Path(tmp)
        copy_project(project)
        (project / "mkdocs.plain.yml").write_text(plain_config((REPO / "mkdocs.yml").read_text()))

        cold = build(project, "mkdocs.yml", "site-cold")
        warm = statistics.median(build(project, "mkdocs.yml", "site-warm") for _ in range(3))
        plain = statistics.median(
            build(project, "mkdocs.plain.yml", "site-plain") for _ in range(3)
        )
        rebuild = serve_rebuild(project, "--dirty", "--no-strict")  # what `make serve` runs
        full_rebuild = serve_rebuild(project)
        figures = len(list((project / ".cache" / "figures").glob("*.light.svg")))
        pages = len(list((project / "site-warm").rglob("index.html")))

    rows = [
        ("cold build (empty .cache)", f"{cold:.2f} s", "target ≤ 90 s"),
        ("warm build (median of 3)", f"{warm:.2f} s", ""),
        ("plain build, no kb/jupyter (median of 3)", f"{plain:.2f} s", ""),
        ("warm / plain", f"{warm / plain:.2f} ×", "target ≤ 1.3 ×"),
        ("cold / warm", f"{cold / warm:.2f} ×", ""),
        (
            "serve --dirty rebuild after an edit (median)",
            f"{statistics.median(rebuild):.2f} s",
            "target ≤ 1 s",
        ),
        (
            "serve full rebuild after an edit (median)",
            f"{statistics.median(full_rebuild):.2f} s",
            "",
        ),
    ]
    print(f"\nBuild benchmark: {pages} pages, {figures} figures, {os.cpu_count()} CPUs\n")
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"  {name:<{width}}  {value:>9}  {note}")
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
