"""Build glue and command line of the Inductive Bias site.

- `kb.plugin`: the MkDocs plugin (figures, reading-list pages, readings, citations, Obsidian
  syntax, vendored assets);
- `kb.figure_cache` and `kb.figure_render`: the content-addressed figure cache;
- `kb.deps`: the static import graph the cache keys on;
- `kb.reading`: the reading-list model: loading and validation with file and line;
- `kb.frontmatter`: surgical, byte-preserving edits of an entry's front-matter;
- `kb.obsidian`: import of Obsidian task lines; `kb.bibtex`: BibTeX export;
- `kb.reading_pages`: the generated reading-list index and entry pages;
- `kb.cli`: the ``kb`` command.
"""
