"""Build glue and command line of the Inductive Bias site.

- `kb.plugin`: the MkDocs plugin (figures, readings, citations, vendored assets);
- `kb.figure_cache` and `kb.figure_render`: the content-addressed figure cache;
- `kb.deps`: the static import graph the cache keys on;
- `kb.reading`: the reading-list loader;
- `kb.cli`: the ``kb`` command.
"""
