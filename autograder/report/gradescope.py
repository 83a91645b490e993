"""Gradescope ``results.json``, one per submission (Gradescope's autograder output format).

One test per check, worth the check's share of its question; a hidden check's
test gets ``hidden_visibility`` (``after_due_date`` by default) and carries its
message only, never its inputs or its code. The top-level ``score`` is the
final score (after the late penalty), which Gradescope uses over the tests' sum.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from autograder.gradebook.records import StoredResult
from autograder.i18n import message
from autograder.report.common import (
    clean_text,
    file_stems,
    number,
    student_message,
    write_text,
)
from autograder.results import check_points, status_label

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")


def _summary(record: StoredResult, lang: str) -> str:
    result = record.result
    lines = [message("report.gradescope.summary", lang, status=status_label(result.status, lang),
                     points=number(result.points), max=number(result.max_points))]
    if record.late_penalty:
        lines.append(message("report.feedback.late", lang, penalty=number(100 * record.late_penalty),
                             final=number(record.final_points), max=number(result.max_points)))
    lines.extend(r.render(lang) for r in result.reasons)
    for cell in result.cells:
        error = f"{cell.ename}: {cell.evalue}" if cell.ename else ""
        lines.append(message("report.gradescope.cell", lang, cell=str(cell.cell),
                             status=status_label(cell.status, lang), error=clean_text(error)[:500]).rstrip())
    return "\n".join(lines)


def gradescope_results(record: StoredResult, lang: str, *,
                       hidden_visibility: str = "after_due_date") -> dict[str, Any]:
    """The ``results.json`` object of one submission."""
    if hidden_visibility not in VISIBILITIES:
        raise ValueError(f"hidden_visibility must be one of {VISIBILITIES}, not {hidden_visibility!r}")
    result = record.result
    tests: list[dict[str, Any]] = []
    for q_number, score in enumerate(result.questions, 1):
        if not score.checks:  # not graded (invalid file): the question as one test worth nothing
            tests.append({"name": score.question, "number": str(q_number), "score": score.points,
                          "max_score": score.max_points, "status": "failed", "visibility": "visible",
                          "output": message("report.feedback.not_graded", lang)})
            continue
        for c_number, share in enumerate(check_points(score), 1):
            check = share.check
            test: dict[str, Any] = {
                "name": f"{score.question} {check.name}", "number": f"{q_number}.{c_number}",
                "score": share.points, "max_score": share.max_points,
                "visibility": hidden_visibility if check.hidden else "visible",
                "output": student_message(check, lang) or status_label(check.status, lang),
                "tags": [score.question, "hidden" if check.hidden else "public"],
            }
            if not check.skipped:
                test["status"] = "passed" if check.passed else "failed"
            tests.append(test)
    return {
        "score": record.final_points,
        "execution_time": round(result.seconds),
        "output": _summary(record, lang),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {"student": record.key.student, "status": result.status,
                       "content_hash": record.key.content_hash, "late_penalty": record.late_penalty},
    }


def write_gradescope(records: Sequence[StoredResult], directory: Path, lang: str, *,
                     hidden_visibility: str = "after_due_date") -> dict[str, Path]:
    """Write ``<student>.json`` per submission into ``directory``; return the path of each student's file."""
    stems = file_stems([r.key.student for r in records])
    paths = {}
    for record in records:
        data = gradescope_results(record, lang, hidden_visibility=hidden_visibility)
        paths[record.key.student] = write_text(directory / f"{stems[record.key.student]}.json",
                                               json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return paths
