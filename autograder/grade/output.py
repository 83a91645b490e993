"""Writing a run's results as they come: ``results/<student>.json``, and what the terminal shows.

Every string a student controls (file names, ids, LMS names, messages that
quote them) is escaped before Rich reads it as markup, so ``notes[/x].txt``
prints as itself instead of stopping the run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from autograder.intake.roster import RosterEntry
from autograder.intake.submissions import Submission
from autograder.intake.validate import roster_without_submission
from autograder.report.common import write_text
from autograder.results import CheckResult, QuestionScore, SubmissionResult, SubmissionStatus

STUDENT_WIDTH = 32  # the longest student id shown whole
SHORT_STUDENT_WIDTH = 16  # cut to this before any column is left out
MIN_STUDENT_WIDTH = 8


def write_result(result: SubmissionResult, directory: Path, lang: str) -> Path:
    """Write one student's result as JSON; return its path."""
    path = directory / f"{result.student}.json"
    return write_text(path, json.dumps(result.to_json(lang), ensure_ascii=False, indent=2))


def progress_line(result: SubmissionResult) -> str:
    """One finished submission as a plain line (logs, ``make``, CI: where no progress bar is drawn)."""
    line = (f"{escape(result.student)}: {result.status} {result.points:g}/{result.max_points:g} "
            f"({result.seconds:.1f} s)")
    skipped = [q.question for q in result.questions if _skipped_checks(q)]
    return line + (f", skipped: {', '.join(escape(q) for q in skipped)}" if skipped else "")


def _skipped_checks(score: QuestionScore) -> list[CheckResult]:
    return [c for c in score.checks if c.skipped]


def _question_cell(score: QuestionScore) -> str:
    """A question's points; ``skipped`` when none of its checks could run, ``*`` when some could not."""
    skipped = _skipped_checks(score)
    if skipped and len(skipped) == len(score.checks):
        return "skipped"
    return f"{score.points:g}/{score.max_points:g}" + ("*" if skipped else "")


def _row(result: SubmissionResult, possible: float | None, questions: Sequence[str]) -> list[str]:
    short = possible is not None and result.questions and result.max_points < possible - 1e-9 \
        and any(_skipped_checks(q) for q in result.questions)
    style = {SubmissionStatus.GRADED: "", SubmissionStatus.INVALID: "yellow"}.get(result.status, "red")
    scores = {q.question: q for q in result.questions}  # a crashed or invalid row may have none
    return [escape(result.student), *(_question_cell(scores[q]) if q in scores else "-" for q in questions),
            f"{result.points:g}/{result.max_points:g}" + ("*" if short else ""),
            f"[{style}]{result.status}[/]" if style else result.status, f"{result.seconds:.1f}"]


def summary_table(results: Sequence[SubmissionResult], lang: str, *, width: int | None = None,
                  points: Mapping[str, float] | None = None) -> Table:
    """A terminal table: one row per student with points per question, total and status.

    ``width``: the terminal's; when the table would not fit, the per-question
    columns go first (they are in ``grades.csv``), then the seconds, and the
    student id is cut with an ellipsis: student, total and status always show.
    ``points``: the configured points, to mark totals whose maximum lost a
    skipped question's points (``*``).
    """
    questions = list(points) if points else next(([q.question for q in r.questions] for r in results
                                                   if r.questions), [])
    possible = float(sum(points.values())) if points else None
    rows = [_row(result, possible, questions) for result in results]
    headers = ["student", *questions, "total", "status", "s"]
    natural = [max([len(h), *(Text.from_markup(row[i]).cell_len for row in rows)])
               for i, h in enumerate(headers)]
    natural[0] = min(natural[0], STUDENT_WIDTH)
    last = len(headers) - 1  # the seconds; total and status are the two before it
    shown = list(range(len(headers)))
    caption = None
    if width is not None:
        def room(columns: list[int]) -> int:  # for the student: each column is its text, a space either side, a rule
            return width - sum(natural[i] + 3 for i in columns if i) - 4

        without_seconds = shown[:-1]
        essential = [0, last - 2, last - 1]
        # in this order, until the student's column gets enough room: all, no seconds, no questions, the essentials
        for columns, enough in ((shown, SHORT_STUDENT_WIDTH), (without_seconds, SHORT_STUDENT_WIDTH),
                                ([*essential, last], SHORT_STUDENT_WIDTH), (essential, 0)):
            if room(columns) >= min(enough, natural[0]) or columns is essential:
                break
        if len(columns) < len(without_seconds):
            caption = "points per question: grades.csv (or a wider terminal)"
        shown = columns
        natural[0] = max(MIN_STUDENT_WIDTH, min(natural[0], room(shown)))
    table = Table(title="grades", show_lines=False, caption=caption)
    for i in shown:
        header = headers[i]
        if i == 0:
            table.add_column(header, no_wrap=True, overflow="ellipsis", max_width=natural[0])
        elif header == "total":
            table.add_column(header, no_wrap=True, min_width=natural[i], justify="right")
        elif header == "status":
            table.add_column(header, no_wrap=True, min_width=natural[i])
        else:
            table.add_column(header, justify="right", no_wrap=True)
    for row in rows:
        table.add_row(*(row[i] for i in shown))
    return table


def skipped_notes(results: Sequence[SubmissionResult], lang: str,
                  points: Mapping[str, float] | None = None) -> list[str]:
    """Per question with skipped checks: in how many submissions, why, and what it did to the maximum."""
    seen: dict[str, dict[str, int]] = {}  # question -> reason -> submissions
    for result in results:
        for score in result.questions:
            for reason in dict.fromkeys(c.render(lang) for c in _skipped_checks(score)):
                seen.setdefault(score.question, {}).setdefault(reason, 0)
                seen[score.question][reason] += 1
    graded = sum(1 for r in results if any(q.checks for q in r.questions))
    lines = []
    for question, reasons in seen.items():
        for reason, count in reasons.items():
            worth = f" ({points[question]:g} points)" if points and question in points else ""
            lines.append(f"{question}{worth} skipped in {count} of {graded} submissions: {reason}")
    if points and seen:
        maxima = sorted({r.max_points for r in results if any(_skipped_checks(q) for q in r.questions)})
        total = float(sum(points.values()))
        lines.append(f"* totals out of {', '.join(f'{m:g}' for m in maxima)} instead of {total:g}: the skipped "
                     "checks' points count neither for nor against anyone (grades.csv: column skipped).")
    return lines


def print_summary(results: Sequence[SubmissionResult], lang: str, console: Console, *,
                  points: Mapping[str, float] | None = None) -> None:
    """Print the table, why questions were skipped, and the reason for every row that is not plainly graded."""
    console.print(summary_table(results, lang, width=console.width, points=points))
    for line in skipped_notes(results, lang, points):
        console.print(f"[yellow]{escape(line)}[/]", highlight=False)
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
        absent = roster_without_submission(roster, submissions)
        if absent:
            console.print(f"[yellow]in the roster {where} but no submission ({len(absent)}):[/] "
                          f"{escape(', '.join(absent))}", highlight=False)
