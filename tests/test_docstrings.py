"""Docstrings are Markdown (rendered by mkdocstrings), and every public name has one."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import refimpl

RST_ROLE = re.compile(r":(?:class|func|meth|mod|data|attr|obj|exc):`")


def test_no_restructuredtext_roles_in_refimpl():
    root = Path(refimpl.__file__).parent
    offenders = [
        f"{path.relative_to(root.parent)}:{n}"
        for path in sorted(root.rglob("*.py"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if RST_ROLE.search(line)
    ]
    assert offenders == [], "use `code` spans, not reST roles (the API pages print them raw)"


def test_every_public_name_has_a_docstring():
    undocumented = []
    for info in pkgutil.walk_packages(refimpl.__path__, prefix="refimpl."):
        if info.name.startswith("refimpl.figures"):
            continue
        module = importlib.import_module(info.name)
        if not inspect.getdoc(module):
            undocumented.append(info.name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if (inspect.isclass(obj) or inspect.isfunction(obj)) and not inspect.getdoc(obj):
                undocumented.append(f"{info.name}.{name}")
    assert undocumented == []
