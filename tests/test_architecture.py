"""The layout holds: imports inside `generator/` point the way the `__init__` docstrings say.

Every unit (a subpackage such as `generator.ir`, or a top-level module such as `generator.names`)
states in its docstring, after `May import:`, which other units it may import. The walk reads
every `import` statement with `ast` (module level, inside functions and under `TYPE_CHECKING`
alike), checks each against that list, checks that each listed unit is really used (so the
docstrings stay true), that the allowed units form no cycle (dependencies point one way), and
that no modules import each other in a cycle, not even for type checking.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "generator"

_ALLOWED = re.compile(r"May import:(.*?)(?:\n\s*\n|\Z)", re.DOTALL)
_UNIT_NAME = re.compile(r"`(generator(?:\.\w+)*)`")


def module_name(path: Path, root: Path) -> str:
    """`generator/ir/model.py` -> `generator.ir.model`; a package's `__init__.py` -> the package."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# Runtime modules copied into generated packages, where they import each other relatively; the
# generator never imports them, so they are not part of its import graph.
RUNTIME = Path("generator", "emit", "runtime")


def modules(root: Path, package: str = PACKAGE) -> dict[str, Path]:
    """Every module of `package` under `root`, by dotted name (the copied runtime left out)."""
    return {
        module_name(path, root): path
        for path in sorted((root / package).rglob("*.py"))
        if (root / RUNTIME) not in path.parents
    }


def unit_of(module: str, known: Mapping[str, Path]) -> str:
    """The unit a module belongs to: its subpackage, or itself when it sits at the top."""
    parts = module.split(".")
    if len(parts) >= 2 and known.get(".".join(parts[:2]), Path()).name == "__init__.py":
        return ".".join(parts[:2])
    return module


def imports_of(path: Path, known: Mapping[str, Path], package: str = PACKAGE) -> Iterator[str]:
    """The modules of `package` that `path` imports, wherever the import statement stands."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            # A relative import would hide an edge from this walk; the style forbids them anyway.
            assert node.level == 0, f"{path}:{node.lineno}: relative import"
            base = node.module or ""
            if base == package or base.startswith(package + "."):
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    yield submodule if submodule in known else base
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == package or alias.name.startswith(package + "."):
                    yield alias.name


def import_graph(known: Mapping[str, Path]) -> dict[str, set[str]]:
    """Module -> the modules it imports (itself excluded)."""
    return {
        module: {target for target in imports_of(path, known) if target != module}
        for module, path in known.items()
    }


def allowed_imports(known: Mapping[str, Path]) -> dict[str, set[str]]:
    """Unit -> the names its docstring lists after `May import:`."""
    allowed: dict[str, set[str]] = {}
    for module, path in known.items():
        if unit_of(module, known) != module:
            continue
        text = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        match = _ALLOWED.search(text)
        if match is None:
            allowed[module] = set()
            continue
        allowed[module] = set(_UNIT_NAME.findall(match.group(1)))
    return allowed


def permits(entry: str, target: str) -> bool:
    """Whether an allowed name covers `target`: itself or a module inside it (not all of the root)."""
    return target == entry or (entry != PACKAGE and target.startswith(entry + "."))


def cycles(graph: Mapping[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected components of more than one node (each an import cycle)."""
    reach: dict[str, set[str]] = {}
    for start in graph:
        seen: set[str] = set()
        stack = list(graph[start])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(graph.get(node, ()))
        reach[start] = seen
    return {
        frozenset({start, *(other for other in reach[start] if start in reach.get(other, ()))})
        for start in graph
        if start in reach[start]
    }


def violations(known: Mapping[str, Path]) -> list[str]:
    """Each import one unit makes of another that its docstring does not allow."""
    allowed = allowed_imports(known)
    found = []
    for module, targets in sorted(import_graph(known).items()):
        unit = unit_of(module, known)
        for target in sorted(targets):
            if unit_of(target, known) == unit:
                continue
            if not any(permits(entry, target) for entry in allowed.get(unit, ())):
                found.append(f"{module} imports {target}: not in {unit}'s `May import:`")
    return found


def unused_allowances(known: Mapping[str, Path]) -> list[str]:
    """Each name a docstring allows that no module of its unit imports (the docstring is stale)."""
    used: dict[str, set[str]] = {}
    for module, targets in import_graph(known).items():
        used.setdefault(unit_of(module, known), set()).update(targets)
    return [
        f"{unit} may import {entry} but does not"
        for unit, entries in sorted(allowed_imports(known).items())
        for entry in sorted(entries)
        if not any(permits(entry, target) for target in used.get(unit, ()))
    ]


def unit_graph(known: Mapping[str, Path]) -> dict[str, set[str]]:
    """Unit -> the units its docstring allows it to import."""
    return {
        unit: {unit_of(entry, known) for entry in entries} - {unit}
        for unit, entries in allowed_imports(known).items()
    }


@pytest.fixture(scope="module")
def known() -> dict[str, Path]:
    return modules(ROOT)


def test_every_unit_states_what_it_may_import(known: dict[str, Path]) -> None:
    silent = [
        unit
        for unit, path in known.items()
        if unit_of(unit, known) == unit
        and "May import:" not in (ast.get_docstring(ast.parse(path.read_text())) or "")
    ]
    assert silent == []


def test_imports_follow_the_docstrings(known: dict[str, Path]) -> None:
    assert violations(known) == []


def test_docstrings_allow_only_what_is_imported(known: dict[str, Path]) -> None:
    assert unused_allowances(known) == []


def test_dependencies_point_one_way(known: dict[str, Path]) -> None:
    assert cycles(unit_graph(known)) == set()


def test_no_module_import_cycle(known: dict[str, Path]) -> None:
    assert cycles(import_graph(known)) == set()


def test_pipeline_stages_import_down_only(known: dict[str, Path]) -> None:
    stages = ["generator.spec", "generator.ir", "generator.emit", "generator.output"]
    graph = unit_graph(known)
    for index, stage in enumerate(stages):
        assert graph[stage] & set(stages[index:]) == set(), stage


# The checker itself, on a small made-up package: it must see what it is meant to catch.
def write_package(root: Path, files: dict[str, str]) -> dict[str, Path]:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return modules(root)


def test_checker_finds_a_forbidden_import_and_a_type_checking_cycle(tmp_path: Path) -> None:
    known = write_package(
        tmp_path,
        {
            "generator/__init__.py": '"""Top.\n\nMay import: nothing.\n"""\n',
            "generator/names.py": '"""Names.\n\nMay import: nothing.\n"""\n',
            "generator/low/__init__.py": '"""Low.\n\nMay import: `generator.names`.\n"""\n',
            "generator/low/a.py": (
                "from typing import TYPE_CHECKING\n"
                "from generator.high import b\n"
                "if TYPE_CHECKING:\n    from generator.low.c import C\n"
            ),
            "generator/low/c.py": "def f():\n    from generator.low.a import x\n",
            "generator/high/__init__.py": '"""High.\n\nMay import: `generator.names`.\n"""\n',
            "generator/high/b.py": "import generator.names\n",
        },
    )
    assert violations(known) == [
        "generator.low.a imports generator.high.b: not in generator.low's `May import:`"
    ]
    assert unused_allowances(known) == ["generator.low may import generator.names but does not"]
    assert cycles(import_graph(known)) == {frozenset({"generator.low.a", "generator.low.c"})}
    assert cycles(unit_graph(known)) == set()
