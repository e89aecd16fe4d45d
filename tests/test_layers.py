"""The layout keeps its shape: imports run one way, no cycles, no bare package names, small modules.

Read from the source with ``ast`` (nothing is imported), so a test fails on the first import
against the direction, wherever it stands: at the top of a module, inside a function, or
under ``TYPE_CHECKING``.

The layers, lowest first: the core (``routemap.about``, ``routemap.errors``,
``routemap.cache``, ``routemap.lazy``) -> ``routemap.geo`` -> ``routemap.routes`` -> ``routemap.maps`` (its shared
modules, then the four products ``web``, ``slides``, ``gis`` and ``video``, which never import
one another but for one edge, ``video`` -> ``slides``: the animation is the slides'
cartography in motion; then ``output``, which picks among them) -> the command line and the
public API. Nothing but ``output`` imports ``video``.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
# Import name -> folder, as pyproject.toml's [tool.setuptools.package-dir] installs them.
FOLDERS = {"routemap": ROOT / "routemap", "routemap.geo": ROOT / "geo", "routemap.routes": ROOT / "routes",
           "routemap.maps": ROOT / "maps"}
BARE = ("geo", "routes", "maps")
MAX_LINES = 600
PRODUCTS = ("web", "slides", "gis", "video")
# The one import allowed between products: the animation draws with the slides' cartography.
PRODUCT_EDGES = {("video", "slides")}
CORE = ("routemap.about", "routemap.errors", "routemap.cache", "routemap.lazy")
TOP = ("routemap", "routemap.__main__", "routemap.cli", "routemap.report")


@dataclass(frozen=True)
class Import:
    """One import statement: who imports what, on which line."""

    module: str
    target: str
    line: int


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package, folder in FOLDERS.items():
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            name = ".".join((package, *parts))
            if package == "routemap" and parts and f"routemap.{parts[0]}" in FOLDERS:
                continue
            found[name] = path
    return found


MODULES = _modules()


def _imports(module: str, path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(module, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node.module, node.level, is_package)
            found.append(Import(module, base, node.lineno))
            found += [Import(module, f"{base}.{alias.name}", node.lineno) for alias in node.names
                      if f"{base}.{alias.name}" in MODULES]
    return found


def _absolute(module: str, name: str | None, level: int, is_package: bool) -> str:
    if not level:
        return name or ""
    parts = module.split(".")
    keep = len(parts) - level + (1 if is_package else 0)
    return ".".join(parts[:keep] + ([name] if name else []))


IMPORTS = [imp for module, path in MODULES.items() for imp in _imports(module, path)]
OWN = [imp for imp in IMPORTS if imp.target == "routemap" or imp.target.startswith("routemap.")]


def _known(target: str) -> str:
    """The module an import names (``routemap.geo.model.Place`` -> ``routemap.geo.model``)."""
    while target not in MODULES and "." in target:
        target = target.rsplit(".", 1)[0]
    return target


def rank(module: str) -> tuple[int, int]:
    """The layer of a module: (tier, step within the maps tier)."""
    if module in CORE:
        return (0, 0)
    for tier, package in enumerate(("routemap.geo", "routemap.routes"), start=1):
        if module == package or module.startswith(package + "."):
            return (tier, 0)
    if module == "routemap.maps.output":
        return (3, 2)
    if module.startswith("routemap.maps"):
        return (3, 1 if module.split(".")[2:3] and module.split(".")[2] in PRODUCTS else 0)
    return (4, 0)


def _location(imp: Import) -> str:
    return f"{MODULES[imp.module].relative_to(ROOT)}:{imp.line}: {imp.module} imports {imp.target}"


def test_the_layout_holds_every_module_under_one_import_name():
    assert {"routemap.errors", "routemap.cli", "routemap.geo.scenario", "routemap.routes.builder",
            "routemap.maps.output"} <= set(MODULES)
    for product in PRODUCTS:
        assert f"routemap.maps.{product}" in MODULES, f"maps/{product}/ is missing"


@pytest.mark.parametrize("imp", OWN, ids=lambda imp: f"{imp.module}->{imp.target}")
def test_imports_run_one_way(imp):
    source, target = imp.module, _known(imp.target)
    if target in MODULES and source not in TOP and target != "routemap":
        assert rank(target) <= rank(source), "against the direction: " + _location(imp)
    if target == "routemap":
        assert source in TOP, "only the top tier imports the top-level package: " + _location(imp)


def test_products_do_not_import_each_other():
    for imp in OWN:
        source, target = imp.module.split("."), _known(imp.target).split(".")
        in_maps = source[:2] == target[:2] == ["routemap", "maps"] and len(source) > 2 and len(target) > 2
        if in_maps and source[2] in PRODUCTS and target[2] in PRODUCTS:
            assert source[2] == target[2] or (source[2], target[2]) in PRODUCT_EDGES, _location(imp)


def test_only_output_imports_the_video():
    """The animation is written through the output registry alone (its import is lazy)."""
    importers = {imp.module for imp in OWN if _known(imp.target).startswith("routemap.maps.video")
                 and not imp.module.startswith("routemap.maps.video")}
    assert importers <= {"routemap.maps.output"}, sorted(importers)


def test_no_import_cycles():
    graph = nx.DiGraph()
    for imp in OWN:
        target = _known(imp.target)
        if target in MODULES and target != imp.module and not imp.module.startswith(target + "."):
            graph.add_edge(imp.module, target)
    cycles = sorted(nx.simple_cycles(graph), key=len)
    assert not cycles, "import cycle: " + " -> ".join(cycles[0] + cycles[0][:1])


def _all_python_files() -> list[Path]:
    skip = {".git", ".venv", ".venv-ci", "build", "dist"}
    return [p for p in ROOT.rglob("*.py") if not skip & set(p.relative_to(ROOT).parts)
            and not any(part.endswith(".egg-info") for part in p.parts)]


def test_no_file_imports_the_bare_package_names():
    offending = []
    for path in _all_python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            offending += [f"{path.relative_to(ROOT)}:{node.lineno}: {name}" for name in names
                          if name.split(".")[0] in BARE]
    assert not offending, "bare package names (use routemap.geo, ...): " + ", ".join(offending[:10])


def test_no_module_is_longer_than_the_limit():
    sources = [*MODULES.values(), *(ROOT / "maps").rglob("*.js"), *(ROOT / "maps").rglob("*.css")]
    long = {str(p.relative_to(ROOT)): n for p in sources if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_outside_the_repository_only_the_one_import_name_is_installed(tmp_path):
    """Installed, routemap shadows no other project: ``routemap.geo`` imports from this
    repository, a bare ``geo``, ``routes`` or ``maps`` never does (another project's may)."""
    probe = ("import importlib.util, json; "
             "specs = {n: importlib.util.find_spec(n) for n in "
             "('routemap', 'routemap.geo', 'routemap.routes', 'routemap.maps', 'geo', 'routes', 'maps')}; "
             "print(json.dumps({n: s.origin if s else None for n, s in specs.items()}))")
    done = subprocess.run([sys.executable, "-I", "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                          check=True, timeout=120)
    origins = json.loads(done.stdout)
    for name, folder in FOLDERS.items():
        assert origins[name] == str(folder / "__init__.py"), name
    for name in BARE:
        assert origins[name] is None or not origins[name].startswith(str(ROOT)), name
