"""Build glue and command line of the Inductive Bias site.

- :mod:`kb.plugin`: the MkDocs plugin (figures, readings, citations, vendored assets);
- :mod:`kb.figure_cache` and :mod:`kb.figure_render`: the content-addressed figure cache;
- :mod:`kb.deps`: the static import graph the cache keys on;
- :mod:`kb.reading`: the reading-list loader;
- :mod:`kb.cli`: the ``kb`` command.
"""
