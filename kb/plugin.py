"""The ``kb`` MkDocs plugin: build-time figures, readings, citations and vendored assets.

Registered through the ``mkdocs.plugins`` entry point as ``kb``. In ``mkdocs.yml``::

    plugins:
      - kb:
          vendor:
            assets/katex: node_modules/katex/dist

Per build it (1) keys every registered figure on its code and renders the misses into
``.cache/figures`` in one worker pool, (2) adds the SVGs to the site as ``figures/<id>.svg``
and ``figures/<id>.dark.svg``, (3) generates the reading-list pages (``reading-list/`` and one
page per entry, see `kb.reading_pages`), (4) rewrites Obsidian callouts and wikilinks, figure
embeds, ``[[@citekey]]`` citations (linked to the entry's page) and the *Readings* section of
each page, (5) copies vendored front-end files (KaTeX) from
``node_modules`` into the site, and (6) keys mkdocs-jupyter's notebook cache on the ``refimpl``
source as well as on the notebook, so editing the library re-executes the notebooks.
Reading-list problems, unknown figure ids and citation keys and unresolved wikilinks are
logged as warnings, so the strict build fails on them, naming file and line or page.
"""

from __future__ import annotations

import hashlib
import logging
import posixpath
import shutil
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from kb import markdown as md
from kb import reading_pages
from kb.figure_cache import FigureCache, FigureError
from kb.lazy_imports import defer_notebook_imports
from kb.reading import Entry, load_reading_list

defer_notebook_imports()

log = logging.getLogger("mkdocs.plugins.kb")


class KbConfig(Config):
    """Options of the ``kb`` plugin (paths relative to the directory of ``mkdocs.yml``)."""

    cache_dir = c.Type(str, default=".cache")
    package = c.Type(str, default="refimpl")
    reading_list = c.Type(str, default="reading_list")
    workers = c.Optional(c.Type(int))
    vendor = c.Type(dict, default={})
    notebook_plugin = c.Type(str, default="mkdocs-jupyter")


class KbPlugin(BasePlugin[KbConfig]):
    """See the module docstring."""

    supports_multiple_instances = False

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent
        self.cache_dir = self.root / self.config.cache_dir
        self._key_notebook_cache(config)
        return config

    # -- notebooks -------------------------------------------------------------------------

    def _source_digest(self) -> str:
        digest = hashlib.sha256()
        for path in sorted((self.root / self.config.package).rglob("*.py")):
            digest.update(str(path.relative_to(self.root)).encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()[:16]

    def _key_notebook_cache(self, config: MkDocsConfig) -> None:
        self.notebook_cache: Path | None = None
        plugin = config.plugins.get(self.config.notebook_plugin)
        if plugin is None or "cache_dir" not in plugin.config:
            return
        self.notebook_cache = self.cache_dir / "notebooks" / self._source_digest()
        plugin.config["cache_dir"] = str(self.notebook_cache)

    def _prune_notebook_caches(self) -> None:
        if self.notebook_cache is None:
            return
        for path in self.notebook_cache.parent.glob("*"):
            if path.is_dir() and path != self.notebook_cache:
                shutil.rmtree(path, ignore_errors=True)

    # -- files -----------------------------------------------------------------------------

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        self.figures = FigureCache(self.root, self.cache_dir, workers=self.config.workers)
        try:
            self.figures.render()
        except FigureError as exc:
            raise PluginError(str(exc)) from None
        self.figures.prune()
        for entry in self.figures.entries.values():
            for scheme, suffix in (("light", ""), ("dark", ".dark")):
                src_uri = f"figures/{entry.id}{suffix}.svg"
                files.append(File.generated(config, src_uri, abs_src_path=str(entry.paths[scheme])))
        self._add_vendor_files(files, config)
        self.entries, problems = load_reading_list(self.root / self.config.reading_list)
        for problem in problems:
            log.warning(str(problem))
        self._add_reading_pages(files, config)
        titles = {reading_pages.entry_src(e.id): e.title for e in self.entries.values()}
        self.wiki = md.WikiResolver((f.src_uri for f in files), titles)
        return files

    def _add_reading_pages(self, files: Files, config: MkDocsConfig) -> None:
        pages = {f.src_uri for f in files if f.src_uri.endswith(".md")}
        written: set[Path] = set()

        def add(src: str, text: str, inclusion: InclusionLevel) -> None:
            # Generated pages are written to the cache, and only when their text changes, so
            # that `mkdocs serve --dirty` sees them as unmodified and re-renders only what an
            # edit touched (a page given as a string always counts as modified).
            path = self.cache_dir / "reading-pages" / src
            written.add(path)
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            files.append(File.generated(config, src, abs_src_path=str(path), inclusion=inclusion))

        for entry in self.entries.values():
            src = reading_pages.entry_src(entry.id)
            if files.get_file_from_path(src) is None:
                add(src, reading_pages.entry_page(entry, pages), InclusionLevel.NOT_IN_NAV)
        if files.get_file_from_path(reading_pages.INDEX) is None:
            text = reading_pages.index_page(self.entries.values())
            add(reading_pages.INDEX, text, InclusionLevel.UNDEFINED)
        for path in (self.cache_dir / "reading-pages").rglob("*.md"):
            if path not in written:
                path.unlink()

    def _add_vendor_files(self, files: Files, config: MkDocsConfig) -> None:
        for dest, src in self.config.vendor.items():
            source = self.root / src
            if not source.is_dir():
                raise PluginError(
                    f"kb: vendored assets for '{dest}' not found at {source}; "
                    "run `make setup` (it runs `npm ci`)"
                )
            for path in sorted(source.rglob("*")):
                if _is_asset(path):
                    rel = path.relative_to(source).as_posix()
                    files.append(File.generated(config, f"{dest}/{rel}", abs_src_path=str(path)))

    # -- pages -----------------------------------------------------------------------------

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files):
        src = page.file.src_uri
        base = posixpath.dirname(src) or "."

        def page_link(entry: Entry) -> str:
            return posixpath.relpath(reading_pages.entry_src(entry.id), base)

        markdown = md.escape_line_tags(md.convert_callouts(markdown))
        markdown, unresolved = md.link_wikilinks(markdown, src, self.wiki)
        for target in unresolved:
            log.warning(f"{src}: wikilink {target} resolves to no page or file")
        markdown, _, unknown = md.embed_figures(markdown, src, self.figures.entries)
        for fig_id in unknown:
            log.warning(f"{src}: unknown figure id '{fig_id}' (no @figure('{fig_id}') in refimpl)")
        for fig_id in md.stray_figure_embeds(markdown):
            log.warning(
                f"{src}: figure '{fig_id}' not embedded: the `![caption](figure:{fig_id})` line "
                "must stand alone on its line, with brackets in the caption balanced"
            )
        markdown, unknown_keys = md.link_citations(markdown, self.entries, page_link)
        for key in unknown_keys:
            log.warning(f"{src}: unknown citation '[[@{key}]]' (no reading_list/{key}.md)")
        if src.startswith("reading-list/"):
            return markdown
        concept = src.removesuffix(".md").removesuffix("/index")
        readings: list[Entry] = [e for e in self.entries.values() if concept in e.concepts]
        return md.add_readings(markdown, md.readings_section(readings, page_link))

    def on_post_build(self, config: MkDocsConfig) -> None:
        self._prune_notebook_caches()

    def on_serve(self, server, config: MkDocsConfig, builder):
        for folder in (self.config.package, self.config.reading_list):
            path = self.root / folder
            if path.is_dir():
                server.watch(str(path))
        return server


_ASSET_SUFFIXES = {".js", ".css", ".woff2", ".woff", ".ttf"}


def _is_asset(path: Path) -> bool:
    """A front-end file worth serving: scripts, styles and fonts, minified where possible."""
    if not path.is_file() or path.suffix not in _ASSET_SUFFIXES:
        return False
    if path.suffix in {".js", ".css"} and not path.name.endswith(f".min{path.suffix}"):
        return not path.with_name(f"{path.stem}.min{path.suffix}").exists()
    return True
