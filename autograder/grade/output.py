"""Writing a run's results: ``results/<student>.json``, ``grades.csv``, and what the terminal shows.

Every string a student controls (file names, ids, LMS names, messages that
quote them) is escaped before Rich reads it as markup, so ``notes[/x].txt``
prints as itself instead of stopping the run.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from autograder.grade.results import SubmissionResult
from autograder.grade.roster import RosterEntry
from autograder.grade.submissions import Submission


def _atomic_write(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all, so a killed run never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def write_result(result: SubmissionResult, directory: Path, lang: str) -> Path:
    """Write one student's result as JSON; return its path."""
    path = directory / f"{result.student}.json"
    _atomic_write(path, json.dumps(result.to_json(lang), ensure_ascii=False, indent=2))
    return path


def write_grades_csv(results: Sequence[SubmissionResult], path: Path, lang: str) -> None:
    """One row per student: per-question points, total, max, percent, status, reasons."""
    questions = [q.question for q in results[0].questions] if results else []
    rows = [["student", *questions, "total", "max", "percent", "status", "reasons", "source"]]
    for result in results:
        points = {q.question: q.points for q in result.questions}
        percent = 100 * result.points / result.max_points if result.max_points else 0.0
        rows.append([result.student, *(f"{points.get(q, 0):g}" for q in questions), f"{result.points:g}",
                     f"{result.max_points:g}", f"{percent:.1f}", result.status,
                     " | ".join(r.render(lang) for r in result.reasons), result.source])
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as buffer:
        csv.writer(buffer).writerows(rows)
        buffer.seek(0)
        _atomic_write(path, buffer.read())


def summary_table(results: Sequence[SubmissionResult], lang: str) -> Table:
    """A terminal table: one row per student with points per question and status."""
    questions = [q.question for q in results[0].questions] if results else []
    table = Table(title="grades", show_lines=False)
    widest = max((len(r.student) for r in results), default=7)
    table.add_column("student", no_wrap=True, min_width=min(widest, 32))
    for column in [*questions, "total"]:
        table.add_column(column, justify="right")
    table.add_column("status", no_wrap=True)
    table.add_column("s", justify="right")
    for result in results:
        style = {"graded": "", "invalid": "yellow"}.get(result.status, "red")
        table.add_row(escape(result.student), *(f"{q.points:g}/{q.max_points:g}" for q in result.questions),
                      f"{result.points:g}/{result.max_points:g}", f"[{style}]{result.status}[/]" if style
                      else result.status, f"{result.seconds:.1f}")
    return table


def print_summary(results: Sequence[SubmissionResult], lang: str, console: Console) -> None:
    """Print the table and, below it, the reason for every row that is not plainly graded."""
    console.print(summary_table(results, lang))
    for result in results:
        for reason in result.reasons:
            console.print(f"[bold]{escape(result.student)}[/]: {escape(reason.render(lang))}", highlight=False)


def print_intake(submissions: Sequence[Submission], console: Console, *,
                 roster: Mapping[str, RosterEntry] | None = None, roster_path: Path | None = None) -> None:
    """Before grading: which of a student's files are not graded, and what the roster could not match."""
    for submission in submissions:
        student = escape(submission.student)
        for older in submission.superseded:
            console.print(f"{student}: graded {escape(submission.source)} (newest); not graded: {escape(older)}",
                          highlight=False)
        for other in submission.other_files:
            console.print(f"{student}: not graded (not a notebook): {escape(other)}", highlight=False)
    where = escape(str(roster_path)) if roster_path is not None else "roster"
    for note in sorted({note for submission in submissions for note in submission.notes}):
        console.print(f"[yellow]{where}:[/] {escape(note)}", highlight=False)
    if roster is not None:
        unknown = sorted(s.student for s in submissions if s.student not in roster)
        if unknown:
            console.print(f"[yellow]not in the roster {where}:[/] {escape(', '.join(unknown))}", highlight=False)
