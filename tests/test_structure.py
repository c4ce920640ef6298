"""The code keeps the shape docs/ARCHITECTURE.md describes: a folder per stage, few loose
modules, no module too long to read, and imports that only go one way, between modules and
between stage folders (read from the source with ast, so every import counts: those inside
functions and those only for type checking too)."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "replyarchive"
MAX_LINES = 400
MAX_LOOSE = 8
STAGES = ("ingest", "normalize", "parse", "records", "render", "index", "incremental", "vocab",
          "export")


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imported(module: str, path: Path) -> Iterator[str]:
    """The package's modules that ``module`` imports, wherever the import statement is."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([base] if base else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield full if full in MODULES else base


def _graph() -> dict[str, set[str]]:
    return {module: {name for name in _imported(module, path) if name in MODULES} - {module}
            for module, path in MODULES.items()}


def _unit(module: str) -> str:
    """The stage folder a module is in (``replyarchive.parse``), or the loose module itself."""
    parts = module.split(".")
    if len(parts) > 2 or (len(parts) == 2 and MODULES[module].name == "__init__.py"):
        return ".".join(parts[:2])
    return module


def _cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Every cycle's members (strongly connected components of more than one node)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_is_longer_than_it_can_be_read() -> None:
    long = {module: n for module, path in MODULES.items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"split these modules (at most {MAX_LINES} lines each)"


def test_few_modules_lie_outside_the_stage_folders() -> None:
    loose = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(loose) <= MAX_LOOSE, f"put new modules in a stage folder: {loose}"


def test_every_stage_has_its_folder() -> None:
    assert [s for s in STAGES if not (PACKAGE / s / "__init__.py").is_file()] == []


def test_no_two_modules_import_each_other() -> None:
    assert _cycles(_graph()) == []


def test_no_two_stage_folders_import_each_other() -> None:
    units: dict[str, set[str]] = {}
    for module, imported in _graph().items():
        units.setdefault(_unit(module), set()).update(_unit(name) for name in imported)
    assert _cycles({unit: names - {unit} for unit, names in units.items()}) == []


def test_the_checks_see_a_cycle_when_there_is_one() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _unit("replyarchive.parse.ids") == "replyarchive.parse"
    assert _unit("replyarchive.pipeline") == "replyarchive.pipeline"
    assert "replyarchive.incremental.cache" in _graph()["replyarchive.pipeline"]
