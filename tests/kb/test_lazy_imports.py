"""Deferred imports load the real module on first use."""

from __future__ import annotations

import subprocess
import sys


def test_deferred_module_loads_on_first_attribute_access():
    code = (
        "import sys; from kb.lazy_imports import defer; "
        "assert defer('colorsys'); import colorsys; "
        "assert colorsys.rgb_to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0); print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_notebook_modules_are_not_executed_when_the_plugin_loads():
    code = (
        "import kb.plugin, mkdocs_jupyter.plugin, sys; "
        "print('nbconvert' in sys.modules, 'jupytext.formats' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
