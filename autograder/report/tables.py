"""Spreadsheets: ``grades.csv`` (one row per student) and the Canvas gradebook import CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from autograder.gradebook.records import StoredResult
from autograder.intake.lms import canvas_user_id
from autograder.report.common import number, percent, write_text
from autograder.results import SubmissionResult

GRADES_COLUMNS_BEFORE = ("student", "name")
GRADES_COLUMNS_AFTER = ("total", "max", "percent", "late_penalty", "final", "final_percent", "status", "reasons",
                        "skipped", "submitted_at", "graded_at", "source")

# Canvas' gradebook import: these five identity columns, then one column per assignment (Canvas' own export
# has the same layout, and a "Points Possible" row under the header).
CANVAS_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
#: ``auto``: "ID" (Canvas' own user id, which its import matches first) for a student whose id is the Canvas
#: user id of a Canvas "Download submissions" file, "SIS User ID" for every other id (a roster's, a file name's)
CANVAS_ID_COLUMNS = ("auto", *CANVAS_IDENTITY[1:4])

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str | None) -> str:
    """A text cell that a spreadsheet will not run as a formula (student ids and file names are untrusted)."""
    value = value or ""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _csv(rows: Sequence[Sequence[str]], *, bom: bool) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" if bom else "") + buffer.getvalue()


def skipped_text(result: SubmissionResult, lang: str) -> str:
    """The questions with skipped checks and why, e.g. ``q5: Not checked: the pretrained weights ...``."""
    parts = []
    for score in result.questions:
        reasons = dict.fromkeys(c.render(lang) for c in score.checks if c.skipped)
        if reasons:
            parts.append(f"{score.question}: " + " / ".join(reasons))
    return " | ".join(parts)


def grades_rows(records: Sequence[StoredResult], points_config: Mapping[str, float],
                lang: str) -> list[list[str]]:
    """The rows of ``grades.csv``: a header, then one row per student.

    Question columns follow ``points_config`` (a question a record lacks stays
    empty); ``percent`` is the total over the maximum, ``final`` the points
    after the late penalty (``late_penalty`` is the fraction removed).
    ``skipped``: the questions whose checks could not run, and why; their
    points are left out of ``total`` and ``max`` alike.
    """
    questions = list(points_config)
    rows = [[*GRADES_COLUMNS_BEFORE, *questions, *GRADES_COLUMNS_AFTER]]
    for record in records:
        result = record.result
        earned = {q.question: q.points for q in result.questions}
        maximum = result.max_points if result.questions else float(sum(points_config.values()))
        rows.append([
            _text(record.key.student), _text(record.name),
            *(number(earned[q]) if q in earned else "" for q in questions),
            number(result.points), number(maximum), f"{percent(result.points, maximum):.1f}",
            number(record.late_penalty), number(record.final_points),
            f"{percent(record.final_points, maximum):.1f}", result.status,
            _text(" | ".join(r.render(lang) for r in result.reasons)), _text(skipped_text(result, lang)),
            record.key.submitted_at or "", record.graded_at, _text(record.key.source),
        ])
    return rows


def write_grades(records: Sequence[StoredResult], points_config: Mapping[str, float], path: Path, lang: str,
                 *, bom: bool = False) -> Path:
    """Write ``grades.csv`` (UTF-8; ``bom=True`` adds the byte-order mark Excel wants for Korean)."""
    return write_text(path, _csv(grades_rows(records, points_config, lang), bom=bom))


def canvas_id_column(record: StoredResult, id_column: str = "auto") -> str:
    """The identity column that holds ``record``'s student id (see :data:`CANVAS_ID_COLUMNS`)."""
    if id_column not in CANVAS_ID_COLUMNS:
        raise ValueError(f"id_column must be one of {CANVAS_ID_COLUMNS}, not {id_column!r}")
    if id_column != "auto":
        return id_column
    return "ID" if canvas_user_id(record.key.source) == record.key.student else "SIS User ID"


def canvas_rows(records: Sequence[StoredResult], *, title: str, points_possible: float,
                canvas_assignment_id: str | None = None, id_column: str = "auto",
                column: str | None = None) -> list[list[str]]:
    """The rows of a Canvas gradebook import.

    The assignment column is ``column`` when given (as Canvas' own gradebook
    export names it, ``"Homework 1 (123456)"``: Canvas matches a column to an
    assignment by the id in parentheses), else ``"<title> (<canvas id>)"``
    when the Canvas id is known, else the title (Canvas offers to create the
    assignment). Our student id goes into ``id_column``: ``auto`` (default:
    "ID" for a Canvas user id from a Canvas submissions download, "SIS User
    ID" for any other id), or always "ID", "SIS User ID" or "SIS Login ID".
    The score is the final score (after the late penalty).
    """
    if id_column not in CANVAS_ID_COLUMNS:
        raise ValueError(f"id_column must be one of {CANVAS_ID_COLUMNS}, not {id_column!r}")
    header = column or (f"{title} ({canvas_assignment_id})" if canvas_assignment_id else title)
    rows = [[*CANVAS_IDENTITY, _text(header)], ["Points Possible", "", "", "", "", number(points_possible)]]
    for record in records:
        row = [_text(record.name or record.key.student), "", "", "", ""]
        row[CANVAS_IDENTITY.index(canvas_id_column(record, id_column))] = _text(record.key.student)
        rows.append([*row, number(record.final_points)])
    return rows


def write_canvas(records: Sequence[StoredResult], path: Path, *, title: str, points_possible: float,
                 canvas_assignment_id: str | None = None, id_column: str = "auto", column: str | None = None) -> Path:
    """Write the Canvas gradebook import CSV (UTF-8, CRLF line ends as Canvas exports them)."""
    rows = canvas_rows(records, title=title, points_possible=points_possible,
                       canvas_assignment_id=canvas_assignment_id, id_column=id_column, column=column)
    return write_text(path, _csv(rows, bom=False))
