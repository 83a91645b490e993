"""The import graph of ``autograder`` has no cycle, and the stages import only downwards.

The graph is read from the source with :mod:`ast`, not by importing. What counts as an import:

- every ``import`` and ``from ... import`` that can run: at module level, inside functions and methods
  (a deferred import is still a dependency: it only hides a cycle until someone moves it to the top, or
  until a module is imported first from another side, which is how ``tests/report/test_report_browser.py`` used
  to fail when run alone), inside ``try``/``if``;
- not those under ``if TYPE_CHECKING:``, which never run (annotations only);
- importing ``a.b.c`` imports ``a`` and ``a.b`` too (Python runs their ``__init__``), so those are edges;
- ``from a import b`` where ``a.b`` is a module is an edge to ``a.b``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "autograder"


def modules(package: Path) -> dict[str, Path]:
    """Every module of the package under ``package``, by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements that can run, wherever they are (``if TYPE_CHECKING:`` bodies left out)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            for other in node.orelse:
                yield from _imports(ast.Module(body=[other], type_ignores=[]))
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from _imports(node)


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the package's modules importing it runs (see the module docstring for what counts)."""
    known = modules(package)
    root = package.name

    def owner(name: str) -> str | None:  # the module a dotted name lives in
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    def with_parents(name: str) -> set[str]:
        parts = name.split(".")
        return {".".join(parts[:i]) for i in range(1, len(parts) + 1)}

    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = here.split(".")[: len(here.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            for imported in names:
                if imported == root or imported.startswith(root + "."):
                    module = owner(imported)
                    if module is not None:
                        targets |= with_parents(module)
        graph[name] = targets - with_parents(name)  # a module's own packages are imported before it
    return graph


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def reachable(graph: Mapping[str, set[str]], start: str) -> set[str]:
    """Every module importing ``start`` (and the modules under it, if it is a package) runs."""
    todo = [name for name in graph if name == start or name.startswith(start + ".")]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        for target in graph.get(name, ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _in(stage: str, names: set[str]) -> list[str]:
    return sorted(n for n in names if n == stage or n.startswith(stage + "."))


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(PACKAGE)


def test_the_import_graph_of_autograder_has_no_cycle(graph: dict[str, set[str]]) -> None:
    assert len(graph) > 50  # every module was read
    assert cycles(graph) == []


def test_gradebook_and_report_do_not_import_grade(graph: dict[str, set[str]]) -> None:
    for stage in ("autograder.gradebook", "autograder.report"):
        assert _in("autograder.grade", reachable(graph, stage)) == [], stage


def test_the_result_model_config_and_intake_sit_below_grading(graph: dict[str, set[str]]) -> None:
    # the result model needs only errors and the message catalogue
    assert reachable(graph, "autograder.results") <= {"autograder.errors", "autograder.i18n"} | {
        n for n in graph if n.startswith("autograder.i18n.")}
    # the sandbox's units are grade.runner's; assignment_files holds only the check files' names
    assert reachable(graph, "autograder.config") == {"autograder.errors", "autograder.assignment_files"}
    below = reachable(graph, "autograder.intake")
    for stage in ("autograder.grade", "autograder.report", "autograder.gradebook", "autograder.sandbox"):
        assert _in(stage, below) == [], stage


def _package(tmp_path: Path, files: Mapping[str, str]) -> Path:
    package = tmp_path / "pkg"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return package


def test_the_graph_sees_cycles_through_function_imports_and_package_inits(tmp_path: Path) -> None:
    # the cycle autograder had: report/tables imported grade.lms, whose package __init__ imported report
    package = _package(tmp_path, {
        "__init__.py": "",
        "report/__init__.py": "from pkg.report.tables import write\n",
        "report/tables.py": "from pkg.grade.lms import canvas_id\n\ndef write(): ...\n",
        "grade/__init__.py": "from pkg.report import write\n",
        "grade/lms.py": "def canvas_id(): ...\n",
        "store.py": "def rebuild():\n    from pkg.results import Result\n",
        "results.py": "import pkg.store\n\nclass Result: ...\n",
    })
    graph = import_graph(package)
    assert "pkg.grade" in graph["pkg.report.tables"]  # importing pkg.grade.lms runs pkg/grade/__init__.py
    assert cycles(graph) == [["pkg.grade", "pkg.report", "pkg.report.tables"], ["pkg.results", "pkg.store"]]


def test_the_graph_leaves_out_type_checking_imports_and_reads_relative_ones(tmp_path: Path) -> None:
    package = _package(tmp_path, {
        "__init__.py": "",
        "a.py": """\
            from typing import TYPE_CHECKING

            from . import b

            if TYPE_CHECKING:
                from pkg.c import C
            else:
                import pkg.d
            """,
        "b.py": "",
        "c.py": "import pkg.a\n",
        "d.py": "",
    })
    graph = import_graph(package)
    assert graph["pkg.a"] == {"pkg.b", "pkg.d"}
    assert cycles(graph) == []


@pytest.mark.parametrize("module", ["autograder.report", "autograder.report.tables", "autograder.gradebook",
                                    "autograder.results", "autograder.intake.submissions", "autograder.grade"])
def test_each_stage_imports_first_in_a_fresh_interpreter(module: str) -> None:
    # the symptom of the old cycle: importing report first failed (tests/report/test_report_browser.py alone)
    done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
