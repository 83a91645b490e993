"""What ``autograder assign`` checks before it hands anything out.

- Visibility: a ``hidden=True`` check in ``public_checks.py`` is refused (that
  file goes to every student); a check in ``hidden_checks.py`` without
  ``hidden=True`` is reported (its inputs would be shown as a public check's).
- The reference: ``solutions/<id>/<id>.ipynb`` is graded as a submission is
  (in the sandbox, against the public and hidden checks, under the assignment's
  limits, through :func:`autograder.grade.runner.grade_submission`), and must
  earn full marks. Skipped checks (a reason outside the notebook, such as data
  that is not on this machine) are allowed and named; a failed check, a check
  that errs (a bug, or a performance check not calibrated yet) or a notebook
  that does not run is refused.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from autograder.assignment_files import HIDDEN_CHECKS, PUBLIC_CHECKS
from autograder.checks.core import CheckSpec, load_checks
from autograder.errors import ConfigError


@dataclass(frozen=True)
class Validation:
    """The reference notebook's grading as ``assign`` ran it."""

    points: float
    max_points: float
    checks: int
    skipped: tuple[str, ...]  # "q3/name: why", allowed
    seconds: float
    cell_problems: tuple[str, ...] = ()  # cells of the reference that raised or timed out (reported, not refused)


def visibility(source_dir: Path) -> tuple[list[CheckSpec], list[str]]:
    """The public checks, and warnings about the hidden file; a hidden check in the public file is refused."""
    public_file = source_dir / PUBLIC_CHECKS
    public = load_checks(public_file)
    hidden_there = [spec.name for spec in public if spec.hidden]
    if hidden_there:
        raise ConfigError(str(public_file), f"check(s) {', '.join(hidden_there)} have hidden=True, but this file "
                                            f"is handed out to students: move them to {HIDDEN_CHECKS}")
    warnings = []
    hidden_file = source_dir / HIDDEN_CHECKS
    if hidden_file.is_file():
        for spec in load_checks(hidden_file):
            if not spec.hidden:
                warnings.append(f"{hidden_file}: check {spec.name} ({spec.question}) has no hidden=True: reports "
                                f"show it as a public check, whose inputs students may see; add hidden=True")
    return public, warnings


def _failures(result: object) -> list[str]:
    from autograder.results import CheckStatus, SubmissionResult

    assert isinstance(result, SubmissionResult)
    lines = []
    for question in result.questions:
        for check in question.checks:
            if check.status not in (CheckStatus.PASSED, CheckStatus.SKIPPED):
                lines.append(f"{question.question}/{check.name} {check.status}: {check.render('en')[:400]}")
    return lines


def run_reference(config_path: Path, assignment: str) -> Validation:
    """Grade the reference notebook in the sandbox against every check; refuse anything short of full marks."""
    from autograder.config import load_config
    from autograder.data import provision
    from autograder.grade.assignment import load_assignment, secret_paths
    from autograder.grade.runner import grade_submission
    from autograder.intake.submissions import Submission
    from autograder.notebook import check_notebook
    from autograder.results import SubmissionStatus
    from autograder.sandbox import zygote
    from autograder.sandbox.process import isolation_mode

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # checks run in this process: no TensorFlow banners
    config = load_config(config_path)
    provision.require(config, assignment, config_path)  # missing data: named, before any sandbox starts
    task = load_assignment(config, assignment, str(config_path))
    reference = task.solution_dir / f"{assignment}.ipynb"
    notebook = check_notebook(reference.read_bytes(), str(reference), max_cells=config.max_cells)
    hide = secret_paths(config_path.resolve().parent, task.solution_dir, config.results_dir.resolve(), [])
    isolation = config.isolation if config.isolation != "auto" else isolation_mode()
    os.environ[zygote.START_ENV] = config.sandbox_start
    result = grade_submission(Submission("reference", str(reference), notebook, None), task, hide=hide, seed=0,
                              lang="en", isolation=isolation, threads=task.limits.threads)
    skip_hint = "; or `autograder assign --no-validate` to write the hand-outs without this run"
    if result.status != SubmissionStatus.GRADED:
        reasons = "; ".join(r.render("en")[:300] for r in result.reasons) or "no reason given"
        cells = "; ".join(f"cell {c.cell}: {c.status}" for c in result.cells)
        raise ConfigError(str(reference), f"the reference notebook was {result.status} in the sandbox ({reasons}"
                                          f"{'; ' + cells if cells else ''}): fix it{skip_hint}")
    failures = _failures(result)
    if failures or result.points < result.max_points:
        listed = "\n  ".join(failures) or f"{result.points} of {result.max_points} points"
        raise ConfigError(str(reference), "the reference notebook does not earn full marks, so the checks or the "
                                          f"reference are wrong:\n  {listed}\nFix them{skip_hint}")
    problems = tuple(f"cell {c.cell} {c.status}{': ' + c.ename if c.ename else ''} {c.evalue[:200]}".rstrip()
                     for c in result.cells)
    skipped = tuple(f"{q.question}/{c.name}: {c.render('en')[:200]}" for q in result.questions for c in q.checks
                    if not c.passed)
    checks = sum(len(q.checks) for q in result.questions)
    return Validation(result.points, result.max_points, checks, skipped, result.seconds, problems)
