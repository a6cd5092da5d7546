"""The content-addressed cache of build-time figures.

Each figure id registered in ``refimpl.figures`` gets a key: the SHA-256 of the bytes of every
``refimpl`` module its defining module can reach through imports (see `kb.deps`), of the
renderer, and of the versions of torch, NumPy and matplotlib. Its SVGs live at
``<cache>/figures/<id>.<key>.<scheme>.svg``; a build renders only the ids whose files are
missing, in one process pool that imports torch once per worker, and prunes every other file.
Editing one module therefore re-renders exactly the figures that import it, directly or not.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TextIO

from kb import figure_render
from kb.deps import ModuleGraph, figure_ids

#: The colour schemes every figure is rendered under (``refimpl.figures.style.SCHEMES``).
SCHEMES: tuple[str, ...] = ("light", "dark")
_ENVIRONMENT_PACKAGES = ("torch", "numpy", "matplotlib")


class FigureError(Exception):
    """One or more figures failed to render; the message names each id and its error."""

    def __init__(self, failures: dict[str, str]):
        self.failures = failures
        lines = [f"figure '{fid}' failed: {err}" for fid, err in sorted(failures.items())]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class CachedFigure:
    """One figure id with its cache key and the SVG paths of each scheme."""

    id: str
    module: str
    key: str
    paths: dict[str, Path]

    @property
    def is_cached(self) -> bool:
        return all(p.is_file() for p in self.paths.values())


@dataclass
class RenderReport:
    """What one `FigureCache.render` call did."""

    rendered: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _environment_fingerprint() -> str:
    parts = [f"render={figure_render.RENDER_VERSION}"]
    for name in _ENVIRONMENT_PACKAGES:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=absent")
    parts.append(hashlib.sha256(Path(figure_render.__file__).read_bytes()).hexdigest())
    return ";".join(parts)


class FigureCache:
    """Keys, renders and prunes the figures of the package under ``project_root``.

    Args:
        project_root: the directory holding the ``refimpl`` package.
        cache_dir: the cache root (``.cache``); SVGs go to ``cache_dir/figures``.
        workers: processes in the render pool (default: the number of CPUs, at most 2 per core).
        package: the package whose modules are hashed.
        figures_package: the package whose ``@figure`` functions form the registry.
    """

    def __init__(
        self,
        project_root: Path,
        cache_dir: Path,
        *,
        workers: int | None = None,
        package: str = "refimpl",
        figures_package: str = "refimpl.figures",
    ):
        self.project_root = Path(project_root).resolve()
        self.directory = Path(cache_dir) / "figures"
        self.workers = workers or os.cpu_count() or 1
        self.graph = ModuleGraph(self.project_root, package)
        self.figures_package = figures_package
        env = _environment_fingerprint()
        self.entries: dict[str, CachedFigure] = {}
        for fig_id, module in sorted(figure_ids(self.graph, figures_package).items()):
            digest = hashlib.sha256(f"{env}\nid={fig_id}\n".encode())
            for dep in self.graph.closure(module):
                digest.update(f"{dep}={self.graph.digest(dep)}\n".encode())
            key = digest.hexdigest()[:20]
            paths = {s: self.directory / f"{fig_id}.{key}.{s}.svg" for s in SCHEMES}
            self.entries[fig_id] = CachedFigure(fig_id, module, key, paths)

    def misses(self, ids: Iterable[str] | None = None) -> list[CachedFigure]:
        """The figures (of ``ids``, default all) whose SVGs are not in the cache."""
        chosen = self.select(ids)
        return [entry for entry in chosen if not entry.is_cached]

    def select(self, ids: Iterable[str] | None) -> list[CachedFigure]:
        """The entries of ``ids`` (default all); unknown ids raise `KeyError`."""
        if ids is None:
            return list(self.entries.values())
        unknown = [i for i in ids if i not in self.entries]
        if unknown:
            raise KeyError(f"unknown figure id(s): {', '.join(unknown)}")
        return [self.entries[i] for i in ids]

    def render(
        self,
        ids: Iterable[str] | None = None,
        *,
        force: bool = False,
        progress: TextIO | None = sys.stderr,
    ) -> RenderReport:
        """Render the missing figures (all chosen ones if ``force``) in one process pool.

        Raises:
            FigureError: naming every figure that raised, after all others have rendered.
        """
        todo = self.select(ids) if force else self.misses(ids)
        report = RenderReport()
        if not todo:
            return report
        self.directory.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        failures: dict[str, str] = {}
        workers = max(1, min(self.workers, len(todo)))
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(str(self.project_root),),
        ) as pool:
            futures = [
                pool.submit(
                    figure_render.render_to,
                    entry.id,
                    {scheme: str(path) for scheme, path in entry.paths.items()},
                )
                for entry in todo
            ]
            for done, future in enumerate(as_completed(futures), start=1):
                result = future.result()
                if result.error is None:
                    report.rendered.append(result.fig_id)
                else:
                    failures[result.fig_id] = result.error
                _progress(progress, done, len(todo), result)
        report.seconds = time.perf_counter() - start
        if progress is not None:
            _finish_progress(progress, report, workers, len(failures))
        if failures:
            raise FigureError(failures)
        return report

    def prune(self) -> list[Path]:
        """Delete every cached file that belongs to no current figure key; return them."""
        if not self.directory.is_dir():
            return []
        keep = {path for entry in self.entries.values() for path in entry.paths.values()}
        removed = []
        for path in sorted(self.directory.iterdir()):
            if path.is_file() and path not in keep:
                path.unlink()
                removed.append(path)
        return removed


#: Each worker computes on one thread: the pool already runs one worker per core, and small
#: matmuls and solves slow down badly when two pools of BLAS/OpenMP threads share two cores.
_ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _init_worker(project_root: str) -> None:
    for name in _ONE_THREAD:
        os.environ[name] = "1"
    # The project being built comes first, whatever else provides a `refimpl` on the path.
    while project_root in sys.path:
        sys.path.remove(project_root)
    sys.path.insert(0, project_root)
    figure_render.init_worker()


def _progress(stream: TextIO | None, done: int, total: int, result: figure_render.RenderResult):
    if stream is None:
        return
    status = "FAILED" if result.error else f"{result.seconds:.1f} s"
    line = f"figures {done}/{total} {result.fig_id} ({status})"
    if stream.isatty():
        stream.write(f"\r\033[K{line}")
    else:
        stream.write(line + "\n")
    stream.flush()


def _finish_progress(stream: TextIO, report: RenderReport, workers: int, failed: int) -> None:
    end = "\r\033[K" if stream.isatty() else ""
    tail = f", {failed} failed" if failed else ""
    stream.write(
        f"{end}figures: rendered {len(report.rendered)} in {report.seconds:.1f} s "
        f"with {workers} worker(s){tail}\n"
    )
    stream.flush()
