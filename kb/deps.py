"""Static import graph of a package, read from its source without importing it.

The figure cache keys each figure on the bytes of every module its code can reach. Importing
the package would cost a torch import on every build, so the graph is read from the ASTs:

- ``import a.b`` depends on module ``a.b`` (for a package, its ``__init__`` and what that imports);
- ``from a import name`` depends on the module ``a.name`` if there is one, otherwise on the module
  that *defines* ``name``, found by following the re-exports in ``a/__init__.py``. A figure that
  uses ``from refimpl.optim import SGD`` therefore depends on ``refimpl/optim/sgd.py`` (and what
  that imports), not on every optimizer the package re-exports.

Relative imports are resolved; imports of other packages are ignored. Imports inside functions
count, since a figure may import lazily.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path


@dataclass
class _Module:
    name: str
    path: Path
    is_package: bool

    @cached_property
    def source(self) -> bytes:
        return self.path.read_bytes()

    @cached_property
    def tree(self) -> ast.Module:
        return _parse(self.source, self.digest, str(self.path))

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.source).hexdigest()


#: parsed trees by source digest, kept for the life of the process: ``mkdocs serve`` builds
#: a new graph on every rebuild, and re-parsing ~200 unchanged modules each time would cost
#: a noticeable part of a one-page rebuild
_TREES: dict[str, ast.Module] = {}


def _parse(source: bytes, digest: str, filename: str) -> ast.Module:
    tree = _TREES.get(digest)
    if tree is None:
        if len(_TREES) > 10_000:  # a long serve session: drop the old versions
            _TREES.clear()
            _IMPORTS.clear()
        tree = _TREES[digest] = ast.parse(source, filename=filename)
    return tree


#: the import statements of each tree, by source digest (walking every tree is the other half
#: of the cost of a graph)
_IMPORTS: dict[str, list[ast.Import | ast.ImportFrom]] = {}


def _imports(mod: _Module) -> list[ast.Import | ast.ImportFrom]:
    """Every ``import`` and ``from ... import`` in the module, also those inside functions."""
    found = _IMPORTS.get(mod.digest)
    if found is None:
        found = _IMPORTS[mod.digest] = [
            node for node in ast.walk(mod.tree) if isinstance(node, ast.Import | ast.ImportFrom)
        ]
    return found


@dataclass
class ModuleGraph:
    """The modules of one package under ``root`` and the imports between them.

    Args:
        root: the directory that contains the package directory.
        package: the top-level package name, e.g. ``"refimpl"``.
    """

    root: Path
    package: str
    _modules: dict[str, _Module] = field(default_factory=dict, init=False, repr=False)
    _deps: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        base = self.root / self.package
        for path in sorted(base.rglob("*.py")):
            rel = path.relative_to(self.root).with_suffix("")
            parts = list(rel.parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            if any(not p.isidentifier() for p in parts):
                continue
            name = ".".join(parts)
            self._modules[name] = _Module(name=name, path=path, is_package=is_package)

    @property
    def modules(self) -> list[str]:
        """Every module name of the package, sorted."""
        return sorted(self._modules)

    def path(self, module: str) -> Path:
        """The source file of ``module``."""
        return self._modules[module].path

    def tree(self, module: str) -> ast.Module:
        """The parsed source of ``module``."""
        return self._modules[module].tree

    def digest(self, module: str) -> str:
        """SHA-256 of the source bytes of ``module``."""
        return self._modules[module].digest

    def direct_deps(self, module: str) -> frozenset[str]:
        """The package's modules that ``module`` imports directly (resolved as described above)."""
        if module not in self._deps:
            self._deps[module] = frozenset(self._scan(module))
        return self._deps[module]

    def closure(self, module: str) -> list[str]:
        """``module`` and every package module reachable from it through imports, sorted."""
        seen = {module}
        stack = [module]
        while stack:
            for dep in self.direct_deps(stack.pop()):
                if dep not in seen:
                    seen.add(dep)
                    stack.append(dep)
        return sorted(seen)

    # -- resolution ------------------------------------------------------------------------

    def _in_package(self, name: str) -> bool:
        return name == self.package or name.startswith(self.package + ".")

    def _absolute(self, module: str, level: int, target: str | None) -> str:
        """Resolve ``from <level dots><target>`` written inside ``module``."""
        if level == 0:
            return target or ""
        mod = self._modules[module]
        anchor = module.split(".") if mod.is_package else module.split(".")[:-1]
        anchor = anchor[: len(anchor) - (level - 1)] if level > 1 else anchor
        return ".".join([*anchor, *([target] if target else [])])

    def _scan(self, module: str) -> set[str]:
        deps: set[str] = set()
        for node in _imports(self._modules[module]):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if self._in_package(alias.name):
                        deps |= self._import_module(alias.name)
            else:
                base = self._absolute(module, node.level, node.module)
                if not self._in_package(base):
                    continue
                for alias in node.names:
                    deps |= self._import_name(base, alias.name)
        deps.discard(module)
        return deps

    def _import_module(self, name: str) -> set[str]:
        # `import a.b.c` runs a/__init__, a/b/__init__ and a/b/c; the code then uses a.b.c.
        return {name} if name in self._modules else set()

    def _import_name(self, base: str, name: str, _seen: frozenset[str] = frozenset()) -> set[str]:
        if name == "*":
            return {base} if base in self._modules else set()
        sub = f"{base}.{name}"
        if sub in self._modules:
            return {sub}
        mod = self._modules.get(base)
        if mod is None:
            return set()
        if not mod.is_package or base in _seen:
            return {base}
        # Follow a re-export in the package's __init__ to the module that defines the name.
        for node in mod.tree.body:
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if (alias.asname or alias.name) == name:
                        origin = self._absolute(base, node.level, node.module)
                        if self._in_package(origin):
                            return self._import_name(origin, alias.name, _seen | {base})
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname == name and self._in_package(alias.name):
                        return self._import_module(alias.name)
        return {base}


def figure_ids(graph: ModuleGraph, figures_package: str) -> dict[str, str]:
    """Find ``@figure("id")`` decorators statically: figure id -> defining module.

    Raises:
        ValueError: if an id is registered by two functions.
    """
    found: dict[str, str] = {}
    prefix = figures_package + "."
    for module in graph.modules:
        if not module.startswith(prefix):
            continue
        for node in ast.walk(graph.tree(module)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for deco in node.decorator_list:
                if not isinstance(deco, ast.Call) or not deco.args:
                    continue
                func = deco.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                arg = deco.args[0]
                if called == "figure" and isinstance(arg, ast.Constant):
                    fig_id = str(arg.value)
                    if fig_id in found and found[fig_id] != module:
                        raise ValueError(
                            f"figure id {fig_id!r} is registered in both {found[fig_id]} "
                            f"and {module}"
                        )
                    found[fig_id] = module
    return found
