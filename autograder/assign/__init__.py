"""The assign stage: the student notebook and public checks, generated from the instructor's sources.

In ``solutions/<id>/<id>.ipynb`` every line between ``### BEGIN SOLUTION`` and
``### END SOLUTION`` is the reference answer; the student gets a placeholder
indented like the region. Outputs and execution counts are cleared. Only
``public_checks.py`` is copied; hidden checks never leave ``solutions/``, nor
does ``reference.py`` (the answer-computing helpers): its ``public_expected()``
is run and the values are written as ``public_expected.json`` beside the
handed-out checks (:mod:`autograder.checks.expected`).

The student's notebook starts with a cell (ko and en) that says how to install
the grader, and carries in its metadata what ``grader.check`` needs wherever the
notebook goes (:func:`autograder.student.course_metadata`): the course
language, the call time limit, the questions and a copy of the public checks and their expected values.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.assign.validate import Validation, run_reference, visibility
from autograder.assignment_files import PUBLIC_CHECKS
from autograder.checks.core import load_checks
from autograder.checks.expected import PUBLIC_EXPECTED, REFERENCE, compute_expected, expected_text
from autograder.config import GradingConfig, load_config
from autograder.errors import ConfigError
from autograder.i18n import MESSAGES_FILE, message, read_messages
from autograder.student import METADATA_KEY, course_metadata

_BEGIN = re.compile(r"^(\s*)### BEGIN SOLUTION\s*$")
_END = re.compile(r"^\s*### END SOLUTION\s*$")
PLACEHOLDER = "# 여기에 코드를 작성하세요 / YOUR CODE HERE"
DISTRIBUTION = "keras-autograder"  # pyproject.toml's name (the import name is autograder)
INSTALL_CELL_ID = "autograder-install"


@dataclass(frozen=True)
class Removed:
    """The solution regions removed from one cell of the reference notebook."""

    cell: int  # 1-based, as the notebook shows it
    cell_id: str
    regions: int
    lines: int  # lines of answer removed


@dataclass(frozen=True)
class AssignResult:
    """What ``assign`` checked, removed and wrote."""

    notebook: Path
    public_checks: Path
    regions: int
    public_expected: Path | None = None
    removed: tuple[Removed, ...] = ()
    copied: tuple[tuple[Path, Path], ...] = ()  # (from, to): files handed out as they are
    warnings: tuple[str, ...] = ()
    validation: Validation | None = None  # None: the reference was not run (``--no-validate``)

    def report_lines(self) -> list[str]:
        """What the instructor reads: the validation, what was removed, written and copied, the warnings."""
        lines = [f"warning: {text}" for text in self.warnings]
        run = self.validation
        if run is None:
            lines.append("validation skipped (--no-validate): the reference notebook was NOT run against the "
                         "checks; run `autograder assign` without it before handing out")
        else:
            lines.append(f"validated: the reference notebook earns {run.points:g} of {run.max_points:g} points in "
                         f"the sandbox ({run.checks} checks, {run.seconds:.1f} s)")
            lines += [f"  skipped (allowed): {text}" for text in run.skipped]
            lines += [f"  warning: the reference's {text}" for text in run.cell_problems]
        lines.append(f"removed {self.regions} solution regions:")
        lines += [f"  cell {r.cell} ({r.cell_id}): {r.regions} region{'s' if r.regions > 1 else ''}, "
                  f"{r.lines} line{'s' if r.lines != 1 else ''}" for r in self.removed]
        lines.append(f"wrote {self.notebook}")
        lines += [f"copied {source} -> {target}" for source, target in self.copied]
        if self.public_expected is not None:
            lines.append(f"wrote {self.public_expected} (expected values from {REFERENCE}'s public_expected(); "
                         f"{REFERENCE} itself stays in solutions/)")
        return lines


def strip_solutions(source: str, where: str) -> tuple[str, int]:
    """Replace each solution region of a cell with a placeholder; return the text and the count."""
    text, regions, _ = _strip(source, where)
    return text, regions


def _strip(source: str, where: str) -> tuple[str, int, int]:
    """The cell without its solution regions, their count, and the answer lines removed."""
    removed = 0
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
        else:
            removed += 1
    if indent is not None:
        raise ConfigError(where, "### BEGIN SOLUTION without ### END SOLUTION")
    return "\n".join(out), regions, removed


def install_cell(assignment: str, *, call_time_s: float, install_from: str | None = None) -> str:
    """The first cell of the student's notebook: how to install the grader and use it, in Korean, then English.

    ``install_from`` is what ``pip install`` gets (the course's wheel or git
    URL); without it the cell shows a placeholder and says where to get one.
    """
    install = install_from or f'"{DISTRIBUTION} @ <address>"'
    texts = [message("student.install_cell", lang, distribution=DISTRIBUTION, install=install,
                     source="" if install_from else message("student.install_source", lang),
                     assignment=assignment, call_time_s=f"{call_time_s:g}") for lang in ("ko", "en")]
    return "\n\n---\n\n".join(texts)


def _questions(config: GradingConfig, assignment: str, checks: Path) -> list[str]:
    """The assignment's questions: the configured points' order, else the public checks' questions."""
    if assignment in config.assignments:
        return list(config.assignments[assignment].points)
    return list(dict.fromkeys(spec.question for spec in load_checks(checks)))


def main(*, assignment: str, config_path: Path, install_from: str | None = None,
         validate: bool = False, progress: Callable[[str], None] | None = None) -> AssignResult:
    """Generate ``assignments/<id>/<id>.ipynb`` and its public checks from ``solutions/<id>/``.

    ``install_from``: the address students ``pip install`` the grader from (shown in the notebook's first cell).
    ``validate``: first grade the reference notebook in the sandbox against the public and hidden checks, and
    write nothing unless it earns full marks (:mod:`autograder.assign.validate`; the command line does this
    unless told ``--no-validate``). A ``hidden=True`` check in the public file is refused either way.
    ``progress`` is told what is being done (the validation run takes as long as grading one submission).
    """
    config = load_config(config_path)
    source_dir = config.solutions_dir / assignment
    reference = source_dir / f"{assignment}.ipynb"
    if not reference.is_file():
        raise ConfigError(str(reference), "reference notebook not found")
    notebook = nbformat.read(reference, as_version=4)
    removed = []
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        cell.source, found, lines = _strip(cell.source, f"{reference} cell {number}")
        if found:
            removed.append(Removed(number, str(cell.get("id", "-")), found, lines))
        cell.outputs, cell.execution_count = [], None
    regions = sum(r.regions for r in removed)
    if regions == 0:
        raise ConfigError(str(reference), "no ### BEGIN SOLUTION regions: the student would get the answers")
    public = source_dir / PUBLIC_CHECKS
    if not public.is_file():
        raise ConfigError(str(public), "public checks not found (students run them with grader.check)")
    _, warnings = visibility(source_dir)
    validation = None
    if validate:
        if progress is not None:
            progress(f"validating {assignment}: grading the reference notebook {reference} in the sandbox against "
                     "the public and hidden checks (as long as one submission takes)")
        validation = run_reference(config_path, assignment)
    call_time_s = config.limits_for(assignment).call_time_s
    notebook.cells = [cell for cell in notebook.cells if cell.get("id") != INSTALL_CELL_ID]
    first = nbformat.v4.new_markdown_cell(install_cell(assignment, call_time_s=call_time_s,
                                                       install_from=install_from))
    first["id"] = INSTALL_CELL_ID
    notebook.cells.insert(0, first)
    reference_helpers = source_dir / REFERENCE
    expected = expected_text(compute_expected(reference_helpers)) if reference_helpers.is_file() else None
    messages = source_dir / MESSAGES_FILE  # the assignment's ko/en messages: texts only, handed out with the checks
    if messages.is_file():
        read_messages(messages, assignment)  # a bad file is refused here, not on the students' machines
    notebook.metadata[METADATA_KEY] = course_metadata(
        assignment, language=config.language, call_time_s=call_time_s,
        questions=_questions(config, assignment, public), public_checks=public.read_text(encoding="utf-8"),
        public_expected=expected,
        messages=messages.read_text(encoding="utf-8") if messages.is_file() else None)
    target_dir = config.assignments_dir / assignment
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{assignment}.ipynb"
    nbformat.write(notebook, target)
    checks = target_dir / PUBLIC_CHECKS
    shutil.copyfile(public, checks)
    copied = [(public, checks)]
    if messages.is_file():
        shutil.copyfile(messages, target_dir / MESSAGES_FILE)
        copied.append((messages, target_dir / MESSAGES_FILE))
    elif (target_dir / MESSAGES_FILE).exists():
        (target_dir / MESSAGES_FILE).unlink()  # left from a messages.py since removed
    stored = target_dir / PUBLIC_EXPECTED
    if expected is not None:
        stored.write_text(expected, encoding="utf-8")
    elif stored.exists():
        stored.unlink()  # left from a reference.py since removed: it would shadow nothing, but mislead
    return AssignResult(target, checks, regions, stored if expected is not None else None, tuple(removed),
                        tuple(copied), tuple(warnings), validation)
