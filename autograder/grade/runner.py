"""Grading one submission: sanitize -> execute in the sandbox -> run checks -> score.

Each step is a small function; :func:`grade_submission` strings them together
and turns anything unexpected into a row with a status, never a crash of the
run.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat

from autograder.checks.core import CheckContext, Memo, run_checks
from autograder.checks.source import SourceInfo
from autograder.config import LimitsConfig
from autograder.grade.assignment import Assignment
from autograder.intake.submissions import Submission
from autograder.models.host import ModelHost, hosting, limits_for
from autograder.notebook import CodeCell, code_cells
from autograder.results import (
    CellProblem,
    CellStatus,
    CheckStatus,
    Figure,
    Reason,
    SubmissionResult,
    SubmissionStatus,
    invalid,
    score_questions,
)
from autograder.sandbox.process import Limits, SandboxSpec
from autograder.sandbox.session import CellRecord, NotebookSession, Reply, TimeLimits

# Which event decides the status, most serious first; every event is still listed as a reason.
_STATUS_OF_EVENT = (
    (SubmissionStatus.TIMED_OUT, ("total_timeout", "cell_timeout", "call_timeout")),
    (SubmissionStatus.OUT_OF_MEMORY, ("cell_oom", "call_oom")),
    (SubmissionStatus.CRASHED, ("cell_crashed", "call_crashed", "cell_protocol", "call_protocol", "restarts")),
)


class SandboxHandle(Memo):
    """The :class:`~autograder.checks.Handle` checks use in the grader."""

    def __init__(self, session: NotebookSession, cells: Sequence[CodeCell], context: CheckContext) -> None:
        self.session = session
        self.source = SourceInfo.from_cells(cells)
        self.context = context

    def call(self, name: str, *args: Any, **kwargs: Any) -> Reply:
        """Call the student's function in the sandbox."""
        return self.session.call(name, *args, **kwargs)

    def value(self, name: str) -> Reply:
        """Fetch a student's global from the sandbox."""
        return self.session.value(name)

    def info(self, name: str) -> Reply:
        """Type, shape, dtype and length of a student's global, without its data."""
        return self.session.info(name)


def _status(event_kinds: set[str]) -> SubmissionStatus:
    for status, kinds in _STATUS_OF_EVENT:
        if event_kinds & set(kinds):
            return status
    return SubmissionStatus.GRADED


def _reasons(session: NotebookSession) -> tuple[Reason, ...]:
    reasons = []
    for kind, params in session.events.items:
        shown = {k: f"{v + 1 if k == 'cell' else v:g}" if isinstance(v, int | float) else str(v)
                 for k, v in params.items()}
        reasons.append(Reason(f"reason.{kind}", tuple(sorted(shown.items()))))
    return tuple(reasons)


def _cell_problems(records: Sequence[CellRecord]) -> tuple[CellProblem, ...]:
    problems = []
    for record in records:
        if record.status in ("ok", "not_run"):
            continue
        error = record.error or {}
        problems.append(CellProblem(record.index + 1, CellStatus(record.status), error.get("ename", ""),
                                    error.get("evalue", ""), error.get("traceback", "")))
    return tuple(problems)


_MB = 1024 * 1024


def sandbox_limits(limits: LimitsConfig) -> Limits:
    """The configured limits in the sandbox's units."""
    return Limits(memory_bytes=limits.memory_mb * _MB, cpu_seconds=limits.cpu_time_s,
                  file_bytes=limits.file_size_mb * _MB, processes=limits.processes,
                  output_bytes=limits.output_kb * 1024, tmp_bytes=limits.tmp_mb * _MB,
                  model_bytes=limits.model_mb * _MB)


def time_limits(limits: LimitsConfig) -> TimeLimits:
    """The configured wall-clock limits: a cell, a call from a check, the whole submission."""
    return TimeLimits(cell_s=limits.cell_time_s, call_s=limits.call_time_s, total_s=limits.wall_time_s)


def thread_env(threads: int | None) -> tuple[tuple[str, str], ...]:
    """Environment that caps TensorFlow's and BLAS's thread pools (parallel runs share the cores)."""
    if threads is None:
        return ()
    value = str(max(1, threads))
    return (("TF_NUM_INTRAOP_THREADS", value), ("TF_NUM_INTEROP_THREADS", "1" if threads <= 2 else "2"),
            ("OMP_NUM_THREADS", value), ("OPENBLAS_NUM_THREADS", value), ("MKL_NUM_THREADS", value))


def sandbox_spec(assignment: Assignment, notebook_file: Path, *, hide: Sequence[Path], seed: int,
                 lang: str, isolation: str, threads: int | None = None) -> SandboxSpec:
    """The sandbox for one submission: its notebook and the assignment's hand-outs, nothing else."""
    return SandboxSpec(handouts=(notebook_file, *assignment.handouts), hide=tuple(hide),
                       limits=sandbox_limits(assignment.limits), seed=seed, lang=lang, isolation=isolation,
                       env=thread_env(threads), data_files=assignment.data_files, data_dir=assignment.data_dir)


def model_host(assignment: Assignment, *, hide: Sequence[Path], isolation: str,
               threads: int | None = None) -> ModelHost:
    """The model host of one submission (it starts when a check first asks for a model): the assignment's
    memory, CPU and time limits, the sandbox's hidden paths and thread caps."""
    return ModelHost(limits_for(assignment.limits), hide=hide, isolation=isolation, env=thread_env(threads))


def grade_submission(submission: Submission, assignment: Assignment, *, hide: Sequence[Path],
                     seed: int = 0, lang: str = "en", isolation: str = "auto",
                     calibrating: bool = False, threads: int | None = None,
                     questions: Sequence[str] | None = None) -> SubmissionResult:
    """Grade one submission; always returns a result, whatever the notebook does.

    ``questions`` limits the checks run (and the questions scored) to those;
    ``threads`` caps the sandbox's thread pools when several grade at once.
    """
    if submission.problem is not None or submission.notebook is None:
        problem = submission.problem
        key = problem.key if problem is not None else "submission.unreadable"
        params = problem.params if problem is not None else {"file": submission.source, "reason": "no notebook"}
        return invalid(submission.student, submission.source, key, params, assignment.points)
    start = time.monotonic()
    notebook = submission.notebook.parse()  # the run kept its bytes: parsed when its job starts
    cells = code_cells(notebook)
    with tempfile.TemporaryDirectory(prefix="autograder-nb-") as staging:
        notebook_file = Path(staging) / f"{assignment.name}.ipynb"
        nbformat.write(notebook, notebook_file)
        spec = sandbox_spec(assignment, notebook_file, hide=hide, seed=seed, lang=lang, isolation=isolation,
                            threads=threads)
        with NotebookSession(cells, spec, time_limits(assignment.limits)) as session:
            records = session.execute()
            context = assignment.context(lang, calibrating=calibrating)
            # the submission's models are loaded and run in a child of their own, never here
            with model_host(assignment, hide=hide, isolation=isolation, threads=threads) as host, hosting(host):
                checks = run_checks(assignment.checks, SandboxHandle(session, cells, context), questions)
    points = assignment.points if questions is None else {q: p for q, p in assignment.points.items() if q in questions}
    status, reasons = _status(session.events.kinds()), _reasons(session)
    errored = sorted({c.name for c in checks if c.status == CheckStatus.ERROR})
    if errored:  # the grader could not run some checks: their points are missing, not lost
        status = SubmissionStatus.PARTLY_GRADED if status == SubmissionStatus.GRADED else status
        reasons += (Reason("reason.checks_errored", (("checks", ", ".join(errored)),)),)
    return SubmissionResult(
        student=submission.student, source=submission.source,
        status=status,
        questions=score_questions(checks, points),
        reasons=reasons, cells=_cell_problems(records),
        seconds=round(time.monotonic() - start, 3),
        student_seconds=round(sum(r.seconds for r in records), 3),
        peak_memory_bytes=session.peak_memory, isolation=session.mode, output=session.output(),
        figures=tuple(Figure(index + 1, png) for index, png in session.figures))
