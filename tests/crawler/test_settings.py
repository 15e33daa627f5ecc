"""Setting defaults live only in crawler/settings.py (issue 13): no component reads a
setting with a default of its own, which would be a second copy of the fact (and one that
can drift from the first).  Read from the source with :mod:`ast`."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("crawler", "pipelines", "archive")
GETTERS = {"get", "getint", "getfloat", "getbool", "getlist", "getdict", "getdictorlist",
           "getwithbase", "getpriority"}


def defined_settings(root: Path = ROOT) -> set[str]:
    """The names crawler/settings.py assigns at module level."""
    tree = ast.parse((root / "crawler" / "settings.py").read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _receiver(node: ast.expr) -> str:
    return ast.unparse(node)


def restated_defaults(root: Path = ROOT) -> list[str]:
    """``path:line call`` for each settings getter given a default for one of our settings
    (a ``NEWSARCHIVE_*`` name or any name crawler/settings.py defines)."""
    names = defined_settings(root)
    found = []
    for layer in LAYERS:
        for path in sorted((root / layer).rglob("*.py")):
            if ".venv" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr in GETTERS and node.args):
                    continue
                key = node.args[0]
                if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                    continue
                if not (key.value.startswith("NEWSARCHIVE_") or key.value in names):
                    continue
                if _receiver(node.func.value).endswith("environ"):  # an environment variable
                    continue
                if len(node.args) > 1 or any(k.arg == "default" for k in node.keywords):
                    found.append(f"{path.relative_to(root)}:{node.lineno} "
                                 f"{ast.unparse(node)}")
    return found


def test_components_read_settings_without_defaults_of_their_own():
    assert restated_defaults() == []


def test_the_checker_sees_a_restated_default(tmp_path):
    # the rule must be able to fail
    (tmp_path / "crawler").mkdir()
    (tmp_path / "crawler" / "settings.py").write_text("DOWNLOAD_TIMEOUT = 30\n")
    (tmp_path / "crawler" / "ext.py").write_text(
        "def from_crawler(crawler):\n"
        "    a = crawler.settings.getint('DOWNLOAD_TIMEOUT', 30)\n"
        "    b = settings.getfloat('NEWSARCHIVE_X', default=1.0)\n"
        "    c = settings.getint('DOWNLOAD_TIMEOUT')\n"
        "    d = settings.get('SOMEONE_ELSES', 1)\n"
        "    e = os.environ.get('NEWSARCHIVE_HOME', '')\n")
    assert restated_defaults(tmp_path) == [
        "crawler/ext.py:2 crawler.settings.getint('DOWNLOAD_TIMEOUT', 30)",
        "crawler/ext.py:3 settings.getfloat('NEWSARCHIVE_X', default=1.0)"]


def test_every_setting_read_is_defined_in_settings_py():
    # a default removed from a call must live in crawler/settings.py
    names = defined_settings()
    missing = set()
    for layer in LAYERS:
        for path in (ROOT / layer).rglob("*.py"):
            if ".venv" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr in GETTERS and node.args
                        and isinstance(node.args[0], ast.Constant)
                        and str(node.args[0].value).startswith("NEWSARCHIVE_")
                        and not _receiver(node.func.value).endswith("environ")):
                    if node.args[0].value not in names:
                        missing.add(f"{path.relative_to(ROOT)}: {node.args[0].value}")
    assert sorted(missing) == []


def test_the_crawl_process_imports_neither_the_page_function_nor_unused_components():
    # the crawl process hands every page to the workers (crawler/tasks.py, by name): it
    # imports none of the page function's chain, nor the Scrapy components it never uses
    # (imported even when switched off: crawler/settings.py leaves them out of the base sets)
    import subprocess
    import sys

    code = """
import sys
from scrapy.utils.misc import load_object, walk_modules_iter
from newsarchive.crawler import cli, run
settings = run.project_settings()
for name in ("ITEM_PIPELINES", "EXTENSIONS", "DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES"):
    for path in settings.get_component_priority_dict_with_base(name):
        load_object(path)
for module in settings.getlist("SPIDER_MODULES"):
    list(walk_modules_iter(module))
heavy = ("newsarchive.pipelines.page", "newsarchive.crawler.tasks", "trafilatura",
         "justext", "htmldate", "py3langid", "aiohttp", "requests", "tldextract",
         "twisted.conch")
print(" ".join(m for m in heavy if m in sys.modules))
"""
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.split()
    assert found == []
