"""Layers never point up (issue 13): ``archive/`` knows no Scrapy and no processing; the pure
``pipelines/`` code (all of it but ``pipelines/stages/``, the Scrapy stages) knows no
Scrapy, no crawler and no archive (no SQL); and no module imports itself back through a
cycle of top-level imports; an import inside a function says why it is there.  Read from
the source with :mod:`ast`, so an import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRAPY = ("scrapy", "twisted", "itemadapter", "scrapy_redis")


def module_name(path: Path) -> str:
    parts = ["newsarchive", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, top_level_only: bool = False):
    """``(line, module)`` for each import of ``path`` (relative imports made absolute)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    nodes = tree.body if top_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
                if not node.module:  # from . import a, b: each a module of the package
                    for alias in node.names:
                        yield node.lineno, f"{module}.{alias.name}"
                    continue
                yield node.lineno, module
            else:
                yield node.lineno, node.module


def sources(layer: str):
    return sorted(p for p in (ROOT / layer).rglob("*.py") if ".venv" not in p.parts)


def violations(layer: str, forbidden) -> list[str]:
    found = []
    for path in sources(layer):
        if layer == "pipelines" and "stages" in path.relative_to(ROOT).parts:
            continue
        for line, module in imports(path):
            if forbidden(module):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return found


def _scrapy(module: str) -> bool:
    return module.split(".")[0] in SCRAPY


def test_archive_knows_no_scrapy_and_no_processing():
    assert violations("archive", lambda m: _scrapy(m) or m.startswith(
        ("newsarchive.crawler", "newsarchive.pipelines"))) == []


def test_pure_pipelines_know_no_scrapy_no_crawler_and_no_archive():
    assert violations("pipelines", lambda m: _scrapy(m) or m.startswith(
        ("newsarchive.crawler", "newsarchive.archive"))) == []


def test_the_checker_sees_a_forbidden_import(tmp_path, monkeypatch):
    # the rule must be able to fail: a module of archive/ importing Scrapy in a function
    fake = tmp_path / "archive"
    fake.mkdir()
    (fake / "bad.py").write_text("def f():\n    from ..crawler import run\n    import scrapy\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert violations("archive", lambda m: _scrapy(m) or m.startswith(
        "newsarchive.crawler")) == ["archive/bad.py:2 imports newsarchive.crawler",
                                    "archive/bad.py:3 imports scrapy"]


def _graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for layer in ("archive", "pipelines", "crawler")
               for p in sources(layer)}
    graph = {}
    for name, path in modules.items():
        edges = set()
        for _, module in imports(path, top_level_only=True):
            # the module itself or, for `from package import name`, the package
            while module and module not in modules:
                module = module.rpartition(".")[0]
            if module and module != name:
                edges.add(module)
        graph[name] = edges
    return graph


@pytest.mark.parametrize("layer", ["newsarchive.archive", "newsarchive.pipelines"])
def test_no_import_cycles_between_modules_of_a_layer(layer):
    graph = {k: {e for e in v if e.startswith(layer)} for k, v in _graph().items()
             if k.startswith(layer)}
    # a package's __init__ importing its own modules is how a package is made, not a cycle
    for name, edges in graph.items():
        graph[name] = {e for e in edges if not name.startswith(e + ".")}
    state: dict[str, int] = {}
    cycles = []

    def visit(node, trail):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(trail[trail.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def unexplained_inner_imports(layer: str) -> list[str]:
    """``path:line`` of each import inside a function with no comment saying why, on its
    own line(s) or the line before it (``# deferred: cycle a <-> b``, ``# deferred:
    start-up cost of the CLI``...): an import that needs no reason belongs at the top."""
    found = []
    for path in sources(layer):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        seen = set()
        for func in ast.walk(ast.parse(text, str(path))):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if not isinstance(node, (ast.Import, ast.ImportFrom)) or node.lineno in seen:
                    continue
                seen.add(node.lineno)
                own = lines[node.lineno - 1:node.end_lineno]
                before = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
                if not (any("#" in line for line in own) or before.startswith("#")):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


@pytest.mark.parametrize("layer", ["archive", "pipelines", "crawler"])
def test_an_import_inside_a_function_says_why(layer):
    assert unexplained_inner_imports(layer) == []


def test_the_checker_sees_an_unexplained_inner_import(tmp_path, monkeypatch):
    fake = tmp_path / "archive"
    fake.mkdir()
    (fake / "lazy.py").write_text(
        "def f():\n"
        "    import json\n"
        "    # deferred: optional dependency\n"
        "    import yaml\n"
        "    import datasette  # deferred: start-up cost\n"
        "    from os import (path,\n"
        "                    sep)  # deferred: a reason on the statement's last line\n"
        "\n"
        "    def g():\n"
        "        from . import db\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert unexplained_inner_imports("archive") == ["archive/lazy.py:2", "archive/lazy.py:10"]
