"""The assign stage: the student notebook and public checks, generated from the instructor's sources.

In ``solutions/<id>/<id>.ipynb`` every line between ``### BEGIN SOLUTION`` and
``### END SOLUTION`` is the reference answer; the student gets a placeholder
indented like the region. Outputs and execution counts are cleared. Only
``public_checks.py`` is copied; hidden checks never leave ``solutions/``.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.config import load_config
from autograder.errors import ConfigError
from autograder.grade.assignment import PUBLIC_CHECKS

_BEGIN = re.compile(r"^(\s*)### BEGIN SOLUTION\s*$")
_END = re.compile(r"^\s*### END SOLUTION\s*$")
PLACEHOLDER = "# 여기에 코드를 작성하세요 / YOUR CODE HERE"


@dataclass(frozen=True)
class AssignResult:
    """The files ``assign`` wrote."""

    notebook: Path
    public_checks: Path
    regions: int


def strip_solutions(source: str, where: str) -> tuple[str, int]:
    """Replace each solution region of a cell with a placeholder; return the text and the count."""
    out: list[str] = []
    regions, indent = 0, None
    for number, line in enumerate(source.splitlines(), start=1):
        begin = _BEGIN.match(line)
        if indent is None and begin:
            indent = begin.group(1)
            continue
        if indent is not None and _END.match(line):
            out += [f"{indent}{PLACEHOLDER}", f"{indent}pass"]
            regions, indent = regions + 1, None
            continue
        if indent is None:
            if "### BEGIN SOLUTION" in line or "### END SOLUTION" in line:
                raise ConfigError(where, f"line {number}: unmatched solution marker")
            out.append(line)
    if indent is not None:
        raise ConfigError(where, "### BEGIN SOLUTION without ### END SOLUTION")
    return "\n".join(out), regions


def main(*, assignment: str, config_path: Path) -> AssignResult:
    """Generate ``assignments/<id>/<id>.ipynb`` and its public checks from ``solutions/<id>/``."""
    config = load_config(config_path)
    source_dir = config.solutions_dir / assignment
    reference = source_dir / f"{assignment}.ipynb"
    if not reference.is_file():
        raise ConfigError(str(reference), "reference notebook not found")
    notebook = nbformat.read(reference, as_version=4)
    regions = 0
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        cell.source, found = strip_solutions(cell.source, f"{reference} cell {number}")
        regions += found
        cell.outputs, cell.execution_count = [], None
    if regions == 0:
        raise ConfigError(str(reference), "no ### BEGIN SOLUTION regions: the student would get the answers")
    target_dir = config.assignments_dir / assignment
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{assignment}.ipynb"
    nbformat.write(notebook, target)
    checks = target_dir / PUBLIC_CHECKS
    shutil.copyfile(source_dir / PUBLIC_CHECKS, checks)
    return AssignResult(target, checks, regions)
