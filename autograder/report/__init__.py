"""Outputs of a grading run, built from gradebook records (``list[StoredResult]``), never from a database.

``write_all`` writes into one folder::

    grades.csv                 one row per student (instructors)
    canvas.csv                 Canvas gradebook import
    gradescope/<student>.json  Gradescope results.json per submission
    feedback/<student>.html    the student's feedback page (course language)
    report.html                the class report with plots

``<student>`` is the student id made safe as a file name
(:func:`~autograder.report.common.file_stems`). :func:`write_all` chooses the
records once (:func:`~autograder.report.common.latest_per_student`: the latest
of each student of the assignment, sorted by student); each writer writes the
records it is given, one per student, in their order.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from autograder.gradebook.records import StoredResult
from autograder.i18n import check_language
from autograder.report.class_report import class_report_html, write_class_report
from autograder.report.common import file_stems, latest_per_student
from autograder.report.feedback import Titles, feedback_html, write_feedback
from autograder.report.gradescope import gradescope_results, write_gradescope
from autograder.report.tables import write_canvas, write_grades

__all__ = [
    "ReportFiles",
    "class_report_html",
    "feedback_html",
    "gradescope_results",
    "write_all",
    "write_canvas",
    "write_class_report",
    "write_feedback",
    "write_grades",
    "write_gradescope",
]


@dataclass(frozen=True)
class ReportFiles:
    """The files :func:`write_all` wrote (per-student maps are keyed by student id)."""

    grades: Path
    canvas: Path
    gradescope: Mapping[str, Path]
    feedback: Mapping[str, Path]
    report: Path
    seconds: float


def write_all(records: Sequence[StoredResult], *, assignment: str, points: Mapping[str, float], lang: str,
              out_dir: Path, title: str | None = None, canvas_assignment_id: str | None = None,
              canvas_id_column: str = "auto", canvas_column: str | None = None,
              hidden_visibility: str = "after_due_date", excel_bom: bool = False, prune: bool = False,
              zone: tzinfo | None = None, titles: Titles | None = None) -> ReportFiles:
    """Write every output of ``assignment`` into ``out_dir`` from its records (other assignments' are ignored).

    ``points``: the assignment's points per question (column order and maxima);
    ``lang``: the course language (ko or en); ``title``: the assignment's name
    as people read it (default: its id); ``canvas_id_column`` and
    ``canvas_column``: see :func:`~autograder.report.tables.canvas_rows`.
    ``prune``: also delete the feedback pages and Gradescope files of students
    who have no record any more (after ``autograder gradebook remove``);
    ``zone``: the course's time zone (feedback pages show times in it);
    ``titles``: the checks' titles (:func:`~autograder.checks.core.check_titles`).
    """
    start = time.monotonic()
    check_language(lang)
    chosen = latest_per_student(records, assignment)
    title = title or assignment
    out_dir.mkdir(parents=True, exist_ok=True)
    grades = write_grades(chosen, points, out_dir / "grades.csv", lang, bom=excel_bom)
    canvas = write_canvas(chosen, out_dir / "canvas.csv", title=title, points_possible=float(sum(points.values())),
                          canvas_assignment_id=canvas_assignment_id, id_column=canvas_id_column, column=canvas_column)
    gradescope = write_gradescope(chosen, out_dir / "gradescope", lang, hidden_visibility=hidden_visibility)
    feedback = write_feedback(chosen, out_dir / "feedback", lang, title=title, zone=zone, titles=titles)
    if prune:
        _prune(out_dir / "gradescope", "*.json", gradescope.values())
        _prune(out_dir / "feedback", "*.html", feedback.values())
    stems = file_stems([r.key.student for r in chosen])
    links = {student: f"feedback/{stem}.html" for student, stem in stems.items()}
    report = write_class_report(chosen, points, out_dir / "report.html", lang, title=title, feedback_links=links,
                                titles=titles)
    return ReportFiles(grades, canvas, gradescope, feedback, report, round(time.monotonic() - start, 3))


def _prune(folder: Path, pattern: str, written: Iterable[Path]) -> None:
    """Delete the files matching ``pattern`` in ``folder`` (not below it) that this write did not produce."""
    kept = {path.name for path in written}
    for path in folder.glob(pattern):
        if path.name not in kept and path.is_file() and not path.is_symlink():
            path.unlink()
