"""The gradebook: record grading runs and results, read the latest grade back exactly.

Every :meth:`Gradebook.record` is one transaction (submission row, result row,
question, check, reason and cell rows, the student if new), so a process killed
at any point leaves either the whole record or none of it. Re-grading adds a
result row and never overwrites one; :meth:`Gradebook.latest` and
:meth:`Gradebook.results` read the newest. One :class:`Gradebook` is one
database connection: open one per process (and per thread), never share one
across ``fork``.
"""

from __future__ import annotations

import base64
import enum
import json
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from autograder.gradebook.backend import Database, GradebookError, Row, connect
from autograder.gradebook.records import StoredResult, SubmissionKey
from autograder.gradebook.schema import migrate, now
from autograder.results import (
    CellProblem,
    CellStatus,
    CheckResult,
    CheckStatus,
    Figure,
    QuestionScore,
    Reason,
    SubmissionResult,
    SubmissionStatus,
    check_points,
)


class RunStatus(enum.StrEnum):
    """Where a grading run stands (a run that is still going, or was killed, stays ``running``)."""

    RUNNING = "running"
    FINISHED = "finished"
    INTERRUPTED = "interrupted"  # Ctrl-C: the submissions in flight were kept, the rest not graded
    FAILED = "failed"


#: How a run can end.
RUN_END_STATUSES = (RunStatus.FINISHED, RunStatus.INTERRUPTED, RunStatus.FAILED)


@dataclass(frozen=True)
class RunInfo:
    """One grading run as recorded."""

    id: int
    assignment: str
    started_at: str
    finished_at: str | None
    status: RunStatus
    workers: int
    command: str
    fingerprint_of_checks: str = ""
    config_hash: str = ""


@dataclass(frozen=True)
class ResultInfo:
    """One recorded grade, without its checks: what a listing or a removal shows."""

    id: int
    assignment: str
    student: str
    run_id: int
    graded_at: str
    status: str
    points: float
    max_points: float


_RESULT_SELECT = """
    SELECT r.id, r.assignment, r.student, r.run_id, r.graded_at, r.fingerprint, r.late_penalty, r.status,
           r.source, r.seconds, r.student_seconds, r.peak_memory_bytes, r.isolation, r.output,
           s.content_hash, s.source, s.submitted_at, st.name, st.email
    FROM results r
    JOIN submissions s ON s.id = r.submission_id
    JOIN students st ON st.student = r.student
    WHERE r.id IN ({ids})
    ORDER BY r.id"""

_LATEST_OF_STUDENT = "SELECT MAX(id) FROM results WHERE assignment = ? AND student = ?"
_LATEST_PER_STUDENT = "SELECT MAX(id) FROM results WHERE assignment = ? GROUP BY student"
_ALL_OF_STUDENT = "SELECT id FROM results WHERE assignment = ? AND student = ?"

#: Tables holding rows of one result, deleted before the result itself.
_RESULT_PARTS = ("figures", "cell_problems", "reasons", "check_results", "question_scores")
_CHUNK = 500  # ids per statement (SQLite's and psycopg's parameter limits are far above)


class Gradebook:
    """Students, assignments, submissions, runs and every check result, in SQLite or PostgreSQL."""

    def __init__(self, db: Database) -> None:
        self._db = db

    @classmethod
    def open(cls, location: str | Path) -> Gradebook:
        """Open (creating and migrating as needed) the gradebook at ``location``.

        A path or ``sqlite:///path`` opens an SQLite file; ``postgresql://...``
        a PostgreSQL database. Raises :class:`GradebookError` naming the
        location and what to do when it cannot be opened or is not a gradebook.
        """
        db = connect(location)
        try:
            with _wrapped(db, "migrating the schema"):
                migrate(db)
        except BaseException:
            db.close()
            raise
        return cls(db)

    @property
    def location(self) -> str:
        """Where the gradebook is (a path, or a URL without its password)."""
        return self._db.location

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._db.dialect

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    # --- runs and students -------------------------------------------------------------------------
    def start_run(self, assignment: str, *, fingerprint_of_checks: str, config_hash: str, workers: int,
                  command: str) -> int:
        """Record that a grading run of ``assignment`` starts; its id."""
        with _wrapped(self._db, "starting a run"), self._db.write():
            started = now()
            self._ensure_assignment(assignment, started)
            return self._db.insert(
                "INSERT INTO runs (assignment, started_at, finished_at, status, workers, command, "
                "fingerprint_of_checks, config_hash) VALUES (?, ?, NULL, ?, ?, ?, ?, ?) RETURNING id",
                (assignment, started, RunStatus.RUNNING.value, int(workers), command, fingerprint_of_checks,
                 config_hash))

    def finish_run(self, run_id: int, status: RunStatus) -> None:
        """Record how run ``run_id`` ended: one of :data:`RUN_END_STATUSES`."""
        if status not in RUN_END_STATUSES:
            raise ValueError(f"a run ends as one of {', '.join(RUN_END_STATUSES)}, not {status!r}")
        with _wrapped(self._db, "finishing a run"), self._db.write():
            rows = self._db.execute("UPDATE runs SET finished_at = ?, status = ? WHERE id = ? RETURNING id",
                                    (now(), RunStatus(status).value, int(run_id)))
            if not rows:
                raise GradebookError(self.location, f"has no run {run_id}; start one with start_run")

    def upsert_student(self, student: str, name: str | None = None, email: str | None = None) -> None:
        """Add ``student``, or update the name and e-mail given (``None`` keeps what is stored)."""
        stamp = now()
        with _wrapped(self._db, "recording a student"), self._db.write():
            self._db.execute(
                "INSERT INTO students (student, name, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (student) DO UPDATE SET name = COALESCE(excluded.name, students.name), "
                "email = COALESCE(excluded.email, students.email), updated_at = excluded.updated_at",
                (student, name, email, stamp, stamp))

    # --- recording ---------------------------------------------------------------------------------
    def record(self, run_id: int, assignment: str, key: SubmissionKey, result: SubmissionResult, *,
               fingerprint: str, late_penalty: float = 0.0) -> None:
        """Record the grade of one submission, in one transaction (all of it or nothing)."""
        if result.student != key.student:
            raise ValueError(f"the result is of {result.student!r} but the submission key of {key.student!r}")
        if not 0.0 <= late_penalty <= 1.0:
            raise ValueError(f"a late penalty is a fraction from 0 to 1, not {late_penalty!r}")
        db = self._db
        with _wrapped(db, f"recording the grade of {key.student}"), db.write():
            stamp = now()
            run = db.execute("SELECT assignment FROM runs WHERE id = ?", (int(run_id),))
            if not run:
                raise GradebookError(self.location, f"has no run {run_id}; start one with start_run")
            if run[0][0] != assignment:
                raise GradebookError(self.location, f"run {run_id} grades {run[0][0]!r}, not {assignment!r}")
            db.execute("INSERT INTO students (student, name, email, created_at, updated_at) "
                       "VALUES (?, NULL, NULL, ?, ?) ON CONFLICT (student) DO NOTHING",
                       (key.student, stamp, stamp))
            submission = (assignment, key.student, key.content_hash, key.source, key.submitted_at or "")
            rows = db.execute(
                "INSERT INTO submissions (assignment, student, content_hash, source, submitted_at, first_seen_at) "
                "VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (assignment, student, content_hash, source, submitted_at) DO NOTHING RETURNING id",
                (*submission, stamp))
            if not rows:
                rows = db.execute("SELECT id FROM submissions WHERE assignment = ? AND student = ? AND "
                                  "content_hash = ? AND source = ? AND submitted_at = ?", submission)
            result_id = db.insert(
                "INSERT INTO results (submission_id, run_id, assignment, student, graded_at, fingerprint, "
                "late_penalty, status, source, points, max_points, seconds, student_seconds, peak_memory_bytes, "
                "isolation, output) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (int(rows[0][0]), int(run_id), assignment, key.student, stamp, fingerprint, float(late_penalty),
                 result.status.value, result.source, result.points, result.max_points, float(result.seconds),
                 float(result.student_seconds), result.peak_memory_bytes, result.isolation, result.output))
            db.executemany(
                "INSERT INTO question_scores (result_id, seq, question, points, max_points) VALUES (?, ?, ?, ?, ?)",
                [(result_id, seq, q.question, float(q.points), float(q.max_points))
                 for seq, q in enumerate(result.questions)])
            self._write_checks(result_id, result.questions)
            db.executemany(
                "INSERT INTO reasons (result_id, seq, message_key, params) VALUES (?, ?, ?, ?)",
                [(result_id, seq, r.key, _params_json(r.params)) for seq, r in enumerate(result.reasons)])
            db.executemany(
                "INSERT INTO cell_problems (result_id, seq, cell, status, ename, evalue, traceback) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(result_id, seq, c.cell, c.status.value, c.ename, c.evalue, c.traceback)
                 for seq, c in enumerate(result.cells)])
            db.executemany(
                "INSERT INTO figures (result_id, seq, cell, png) VALUES (?, ?, ?, ?)",
                [(result_id, seq, f.cell, base64.b64encode(f.png).decode("ascii"))
                 for seq, f in enumerate(result.figures)])

    def _write_checks(self, result_id: int, questions: Sequence[QuestionScore]) -> None:
        rows = []
        for question_seq, score in enumerate(questions):
            for seq, share in enumerate(check_points(score)):
                check = share.check
                measured_nan = check.measured is not None and math.isnan(check.measured)
                rows.append((result_id, question_seq, seq, check.question, check.name, float(check.weight),
                             int(check.hidden), check.status.value, share.points, share.max_points, check.key,
                             _params_json(check.params), float(check.seconds), check.metric,
                             None if check.measured is None or measured_nan else float(check.measured),
                             int(measured_nan)))
        self._db.executemany(
            "INSERT INTO check_results (result_id, question_seq, seq, question, name, weight, hidden, status, "
            "points, max_points, message_key, params, seconds, metric, measured, measured_nan) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def _ensure_assignment(self, assignment: str, stamp: str) -> None:
        self._db.execute("INSERT INTO assignments (assignment, created_at) VALUES (?, ?) "
                         "ON CONFLICT (assignment) DO NOTHING", (assignment, stamp))

    # --- reading -----------------------------------------------------------------------------------
    def latest(self, assignment: str, student: str) -> StoredResult | None:
        """The most recent recorded grade of ``student``'s submission to ``assignment``."""
        found = self._load(_LATEST_OF_STUDENT, (assignment, student))
        return found[-1] if found else None

    def results(self, assignment: str) -> list[StoredResult]:
        """The latest grade of every student of ``assignment``, sorted by student."""
        return sorted(self._load(_LATEST_PER_STUDENT, (assignment,)), key=lambda stored: stored.key.student)

    def history(self, assignment: str, student: str) -> list[StoredResult]:
        """Every recorded grade of ``student`` for ``assignment``, oldest first."""
        return self._load(_ALL_OF_STUDENT, (assignment, student))

    def runs(self, assignment: str | None = None) -> list[RunInfo]:
        """The runs (of ``assignment``, or all), oldest first."""
        columns = ("SELECT id, assignment, started_at, finished_at, status, workers, command, "
                   "fingerprint_of_checks, config_hash FROM runs")
        with _wrapped(self._db, "reading runs"):
            rows = (self._db.execute(columns + " ORDER BY id") if assignment is None
                    else self._db.execute(columns + " WHERE assignment = ? ORDER BY id", (assignment,)))
        return [RunInfo(int(r[0]), r[1], r[2], r[3], RunStatus(r[4]), int(r[5]), r[6], r[7], r[8]) for r in rows]

    def result_infos(self, *, assignment: str | None = None, run_id: int | None = None) -> list[ResultInfo]:
        """Every recorded grade (of ``assignment``, of run ``run_id``), oldest first, without its checks."""
        where: list[str] = []
        params: list[Any] = []
        if assignment is not None:
            where.append("assignment = ?")
            params.append(assignment)
        if run_id is not None:
            where.append("run_id = ?")
            params.append(int(run_id))
        sql = ("SELECT id, assignment, student, run_id, graded_at, status, points, max_points FROM results"
               + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id")
        with _wrapped(self._db, "reading results"):
            rows = self._db.execute(sql, params)
        return [ResultInfo(int(r[0]), r[1], r[2], int(r[3]), r[4], r[5], float(r[6]), float(r[7])) for r in rows]

    def remove(self, result_ids: Sequence[int], *, runs: Sequence[int] = ()) -> None:
        """Delete these results (all their rows) and these runs, in one transaction (all of it or nothing).

        What only they referred to goes too: their submissions that have no
        other result, their students who have no submission left, their
        assignments that have neither runs nor submissions left. A student's
        latest grade becomes the one recorded before, if any.
        """
        ids = sorted({int(i) for i in result_ids})
        db = self._db
        with _wrapped(db, "removing results"), db.write():
            submissions: set[int] = set()
            students: set[str] = set()
            assignments: set[str] = set()
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start:start + _CHUNK]
                marks = ", ".join("?" * len(chunk))
                for submission_id, student, assignment in db.execute(
                        f"SELECT submission_id, student, assignment FROM results WHERE id IN ({marks})", chunk):
                    submissions.add(int(submission_id))
                    students.add(student)
                    assignments.add(assignment)
                for table in _RESULT_PARTS:
                    db.execute(f"DELETE FROM {table} WHERE result_id IN ({marks})", chunk)
                db.execute(f"DELETE FROM results WHERE id IN ({marks})", chunk)
            for run in runs:
                found = db.execute("SELECT assignment FROM runs WHERE id = ?", (int(run),))
                if db.execute("SELECT 1 FROM results WHERE run_id = ?", (int(run),)):
                    raise GradebookError(self.location, f"run {run} still has results; remove them with it")
                db.execute("DELETE FROM runs WHERE id = ?", (int(run),))
                assignments.update(row[0] for row in found)
            for submission_id in sorted(submissions):
                db.execute("DELETE FROM submissions WHERE id = ? AND NOT EXISTS "
                           "(SELECT 1 FROM results WHERE submission_id = ?)", (submission_id, submission_id))
            for student in sorted(students):
                db.execute("DELETE FROM students WHERE student = ? AND NOT EXISTS "
                           "(SELECT 1 FROM submissions WHERE student = ?)", (student, student))
            for assignment in sorted(assignments):
                db.execute("DELETE FROM assignments WHERE assignment = ? AND NOT EXISTS "
                           "(SELECT 1 FROM runs WHERE assignment = ?) AND NOT EXISTS "
                           "(SELECT 1 FROM submissions WHERE assignment = ?)", (assignment, assignment, assignment))

    def assignments(self) -> list[str]:
        """Every assignment with a run, sorted."""
        with _wrapped(self._db, "reading assignments"):
            return sorted(str(row[0]) for row in self._db.execute("SELECT assignment FROM assignments"))

    def _load(self, ids_sql: str, params: tuple[Any, ...]) -> list[StoredResult]:
        """The results whose ids ``ids_sql`` selects, rebuilt, in id order (one consistent snapshot)."""
        db = self._db
        with _wrapped(db, "reading results"), db.snapshot():
            heads = db.execute(_RESULT_SELECT.format(ids=ids_sql), params)
            if not heads:
                return []
            questions = _group(db.execute(
                f"SELECT result_id, question, points, max_points FROM question_scores "
                f"WHERE result_id IN ({ids_sql}) ORDER BY result_id, seq", params))
            checks = _group(db.execute(
                f"SELECT result_id, question_seq, question, name, weight, hidden, status, message_key, params, "
                f"seconds, measured, measured_nan, metric FROM check_results "
                f"WHERE result_id IN ({ids_sql}) ORDER BY result_id, question_seq, seq", params))
            reasons = _group(db.execute(
                f"SELECT result_id, message_key, params FROM reasons "
                f"WHERE result_id IN ({ids_sql}) ORDER BY result_id, seq", params))
            cells = _group(db.execute(
                f"SELECT result_id, cell, status, ename, evalue, traceback FROM cell_problems "
                f"WHERE result_id IN ({ids_sql}) ORDER BY result_id, seq", params))
            figures = _group(db.execute(
                f"SELECT result_id, cell, png FROM figures WHERE result_id IN ({ids_sql}) ORDER BY result_id, seq",
                params))
        return [_rebuild(head, questions.get(head[0], []), checks.get(head[0], []), reasons.get(head[0], []),
                         cells.get(head[0], []), figures.get(head[0], [])) for head in heads]


@contextmanager
def _wrapped(db: Database, action: str) -> Iterator[None]:
    """Turn a driver's error into a :class:`GradebookError` that names the gradebook."""
    try:
        yield
    except db.errors as error:
        detail = " ".join(str(error).split()) or type(error).__name__
        hint = ("another process kept the gradebook locked; try again" if "locked" in detail
                else "check the database server or file")
        raise GradebookError(db.location, f"{action} failed ({detail}); {hint}") from error


def _params_json(params: Sequence[tuple[str, Any]]) -> str:
    """Message parameters as a JSON object, in their order (kept exactly, duplicates included)."""
    return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
                           for k, v in params) + "}"


def _params(text: str) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = json.loads(text, object_pairs_hook=list)
    return tuple((k, v) for k, v in pairs)


def _group(rows: list[Row]) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = {}
    for row in rows:
        grouped.setdefault(int(row[0]), []).append(row[1:])
    return grouped


def _rebuild(head: Row, questions: list[Row], checks: list[Row], reasons: list[Row],
             cells: list[Row], figures: list[Row]) -> StoredResult:
    (_, assignment, student, run_id, graded_at, fingerprint, late_penalty, status, source, seconds,
     student_seconds, peak_memory, isolation, output, content_hash, key_source, submitted_at, name, email) = head
    by_question: dict[int, list[CheckResult]] = {}
    for (question_seq, question, check_name, weight, hidden, check_status, message_key, params, check_seconds,
         measured, measured_nan, metric) in checks:
        by_question.setdefault(int(question_seq), []).append(CheckResult(
            question, check_name, float(weight), bool(hidden), CheckStatus(check_status), message_key, _params(params),
            float(check_seconds), math.nan if measured_nan else (None if measured is None else float(measured)),
            metric))
    result = SubmissionResult(
        student=student, source=source, status=SubmissionStatus(status),
        questions=tuple(QuestionScore(question, float(points), float(max_points), tuple(by_question.get(seq, ())))
                        for seq, (question, points, max_points) in enumerate(questions)),
        reasons=tuple(Reason(message_key, _params(params)) for message_key, params in reasons),
        cells=tuple(CellProblem(int(cell), CellStatus(cell_status), ename, evalue, traceback)
                    for cell, cell_status, ename, evalue, traceback in cells),
        seconds=float(seconds), student_seconds=float(student_seconds),
        peak_memory_bytes=None if peak_memory is None else int(peak_memory), isolation=isolation, output=output,
        figures=tuple(Figure(int(cell), base64.b64decode(png)) for cell, png in figures))
    key = SubmissionKey(student, content_hash, key_source, submitted_at or None)
    return StoredResult(assignment, key, result, fingerprint, int(run_id), graded_at, float(late_penalty),
                        name, email)
