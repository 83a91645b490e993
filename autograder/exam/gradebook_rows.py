"""The exam in the course gradebook and class report.

``exam finish`` records the candidate's result as a gradebook row of the assignment named after the exam
(``exam.yaml``'s ``name``): one question per category, worth ``weight * 5`` points, earning ``weight * score``;
its one check (``hidden_score``) passed when the counted submission was scored, failed with the refusal's
message when it was refused, or with ``exam.not_submitted`` when the category was never submitted. So the
gradebook's tools (``autograder gradebook``, grades.csv) see the exam like an assignment, and
``autograder exam class --report DIR`` writes the class report (the gradebook's own, with its score
distribution and per-category means) with a table per category: candidates, submissions, score distribution.
"""

from __future__ import annotations

import hashlib
import json
import statistics
from collections.abc import Sequence
from pathlib import Path

from autograder.exam.catalogue import Exam
from autograder.exam.scoring import MAX_SCORE
from autograder.exam.standing import Standing
from autograder.gradebook import Gradebook
from autograder.gradebook.backend import Database
from autograder.gradebook.records import StoredResult, SubmissionKey
from autograder.gradebook.store import RunStatus
from autograder.i18n import message
from autograder.report.class_report import write_class_report
from autograder.report.common import latest_per_student
from autograder.report.html import Html, join, table, tag
from autograder.report.tables import write_grades
from autograder.results import CheckResult, CheckStatus, QuestionScore, SubmissionResult, SubmissionStatus

CHECK = "hidden_score"


def points(exam: Exam) -> dict[str, float]:
    """Each category's points in the gradebook: its weight times the top score."""
    return {name: exam.weight(name) * MAX_SCORE for name in exam.categories}


def result_of(standing: Standing) -> SubmissionResult:
    """The candidate's gradebook result: one question per category (see the module docstring)."""
    questions = []
    for c in standing.categories:
        row = c.counted
        params: tuple[tuple[str, str], ...] = ()
        if row is None:
            status, key = CheckStatus.FAILED, "exam.not_submitted"
        elif row.status == "scored":
            status, key = CheckStatus.PASSED, None
        else:
            status, key, params = CheckStatus.FAILED, row.key, tuple(sorted(row.params.items()))
        check = CheckResult(c.category.id, CHECK, 1.0, True, status, key, params,
                            measured=row.metric if row is not None else None, metric=c.category.metric)
        questions.append(QuestionScore(c.category.id, round(c.weight * c.score, 4), c.weight * MAX_SCORE, (check,)))
    source = f"exam session {standing.session.id}"
    return SubmissionResult(standing.session.candidate, source, SubmissionStatus.GRADED, tuple(questions))


def record(db: Database, exam: Exam, standing: Standing) -> None:
    """Write the finished session's row into the gradebook ``db`` (the exam tables' own database)."""
    counted = [(c.category.id, c.counted.id if c.counted else None, c.score) for c in standing.categories]
    fingerprint = hashlib.sha256(json.dumps([standing.session.id, counted]).encode()).hexdigest()
    book = Gradebook(db)  # the same connection: closed by the caller
    config = hashlib.sha256(json.dumps(exam.config.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()
    run = book.start_run(exam.config.name, fingerprint_of_checks=config, config_hash=config, workers=1,
                         command=f"autograder exam finish --candidate {standing.session.candidate}")
    key = SubmissionKey(standing.session.candidate, fingerprint, f"exam session {standing.session.id}",
                        standing.session.finished_at.isoformat() if standing.session.finished_at else None)
    try:
        book.record(run, exam.config.name, key, result_of(standing), fingerprint=fingerprint)
    except BaseException:
        book.finish_run(run, RunStatus.FAILED)
        raise
    book.finish_run(run, RunStatus.FINISHED)


def category_tables(records: Sequence[StoredResult], exam: Exam, lang: str) -> Html:
    """A table per category: candidates, submitted, mean score and how many scored each of 0 ... 5."""
    parts: list[object] = [tag("h2", message("exam.report.categories", lang), id="exam-categories")]
    for name, category in exam.categories.items():
        scores, submitted = [], 0
        for r in records:
            for q in r.result.questions:
                if q.question == name:
                    weight = exam.weight(name)
                    scores.append(round(q.points / weight) if weight else 0)
                    submitted += any(c.key != "exam.not_submitted" for c in q.checks)
        counts = [sum(1 for s in scores if s == level) for level in range(MAX_SCORE + 1)]
        mean = f"{statistics.fmean(scores):.2f}" if scores else "-"
        header = [message("exam.report.candidates", lang), message("exam.report.submitted", lang),
                  message("exam.report.mean", lang), *(f"{level}/5" for level in range(MAX_SCORE + 1))]
        parts.append(tag("h3", f"{category.number}. {category.title[lang]} ({name})"))
        parts.append(table(header, [(str(len(scores)), str(submitted), mean, *(str(n) for n in counts))],
                           numeric=range(3 + MAX_SCORE + 1)))
    return join(*parts)


def write_class(db: Database, exam: Exam, folder: Path, lang: str) -> tuple[Path, Path]:
    """``report.html`` (the class report with the per-category tables) and ``grades.csv`` of the exam's rows."""
    records = latest_per_student(Gradebook(db).results(exam.config.name), exam.config.name)
    folder.mkdir(parents=True, exist_ok=True)
    grades = write_grades(records, points(exam), folder / "grades.csv", lang)
    report = write_class_report(records, points(exam), folder / "report.html", lang, title=exam.config.name,
                                sections=(category_tables(records, exam, lang),))
    return report, grades
