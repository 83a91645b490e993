"""The exam's own tables in the gradebook: sessions and every submission.

The gradebook's schema (:mod:`autograder.gradebook.schema`) is migrated first, so the file stays a gradebook the
rest of the autograder opens; these two tables are created next to it (``CREATE TABLE IF NOT EXISTS``), in the
same portable SQL (SQLite or PostgreSQL). Times are ISO 8601 UTC text; the deadline is stored at start, so a
session resumes after a crash with the same wall-clock end.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from autograder.gradebook import schema
from autograder.gradebook.backend import Database, connect

TABLES = (
    """CREATE TABLE IF NOT EXISTS exam_sessions (
        id {id},
        exam TEXT NOT NULL,
        candidate TEXT NOT NULL,
        started_at TEXT NOT NULL,
        deadline TEXT NOT NULL,
        counts TEXT NOT NULL,
        finished_at TEXT,
        result_path TEXT)""",
    """CREATE TABLE IF NOT EXISTS exam_submissions (
        id {id},
        session_id INTEGER NOT NULL REFERENCES exam_sessions(id),
        category TEXT NOT NULL,
        received_at TEXT NOT NULL,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        status TEXT NOT NULL,
        score INTEGER NOT NULL,
        metric REAL,
        message_key TEXT,
        message_params TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS exam_submissions_session ON exam_submissions (session_id, category)",
)


@dataclass(frozen=True)
class SessionRow:
    id: int
    exam: str
    candidate: str
    started_at: datetime
    deadline: datetime
    counts: str
    finished_at: datetime | None
    result_path: str | None


@dataclass(frozen=True)
class SubmissionRow:
    id: int
    category: str
    received_at: datetime
    file_name: str
    sha256: str
    size_bytes: int
    status: str  # scored | refused | late | error
    score: int
    metric: float | None
    key: str | None
    params: dict[str, str]


def open_store(location: str | Path) -> Database:
    """The gradebook at ``location`` (created if new) with the exam's tables."""
    db = connect(location)
    schema.migrate(db)
    with db.write():
        for statement in TABLES:
            db.execute(db.ddl(statement))
    return db


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _session(row: tuple[Any, ...]) -> SessionRow:
    started, deadline = _time(row[3]), _time(row[4])
    assert started is not None and deadline is not None
    return SessionRow(int(row[0]), row[1], row[2], started, deadline, row[5], _time(row[6]), row[7])


_SESSION_COLUMNS = "id, exam, candidate, started_at, deadline, counts, finished_at, result_path"


def create_session(db: Database, exam: str, candidate: str, started: datetime, deadline: datetime,
                   counts: str) -> SessionRow:
    with db.write():
        number = db.insert("INSERT INTO exam_sessions (exam, candidate, started_at, deadline, counts) "
                           "VALUES (?, ?, ?, ?, ?) RETURNING id",
                           (exam, candidate, started.isoformat(), deadline.isoformat(), counts))
    found = session_by_id(db, number)
    assert found is not None
    return found


def session_by_id(db: Database, number: int) -> SessionRow | None:
    rows = db.execute(f"SELECT {_SESSION_COLUMNS} FROM exam_sessions WHERE id = ?", (number,))
    return _session(rows[0]) if rows else None


def open_sessions(db: Database, exam: str, candidate: str | None = None) -> list[SessionRow]:
    """Unfinished sessions of ``exam`` (of ``candidate`` when given), oldest first."""
    sql = f"SELECT {_SESSION_COLUMNS} FROM exam_sessions WHERE exam = ? AND finished_at IS NULL"
    params: tuple[Any, ...] = (exam,)
    if candidate is not None:
        sql, params = sql + " AND candidate = ?", (*params, candidate)
    return [_session(r) for r in db.execute(sql + " ORDER BY id", params)]


def latest_session(db: Database, exam: str, candidate: str) -> SessionRow | None:
    rows = db.execute(f"SELECT {_SESSION_COLUMNS} FROM exam_sessions WHERE exam = ? AND candidate = ? "
                      "ORDER BY id DESC LIMIT 1", (exam, candidate))
    return _session(rows[0]) if rows else None


def all_sessions(db: Database, exam: str) -> list[SessionRow]:
    """Every session of ``exam``, oldest first (the instructor's view of the class)."""
    return [_session(r) for r in db.execute(f"SELECT {_SESSION_COLUMNS} FROM exam_sessions WHERE exam = ? "
                                            "ORDER BY id", (exam,))]


def finish_session(db: Database, number: int, finished: datetime, result_path: str) -> None:
    with db.write():
        db.execute("UPDATE exam_sessions SET finished_at = ?, result_path = ? WHERE id = ?",
                   (finished.isoformat(), result_path, number))


def add_submission(db: Database, session: int, category: str, received: datetime, file_name: str, sha256: str,
                   size: int, status: str, score: int, metric: float | None, key: str | None,
                   params: dict[str, str]) -> int:
    with db.write():
        return db.insert("INSERT INTO exam_submissions (session_id, category, received_at, file_name, sha256, "
                         "size_bytes, status, score, metric, message_key, message_params) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         (session, category, received.isoformat(), file_name, sha256, size, status, score, metric,
                          key, json.dumps(params, ensure_ascii=False)))


def submissions(db: Database, session: int) -> list[SubmissionRow]:
    """Every submission of ``session``, in the order received."""
    rows = db.execute("SELECT id, category, received_at, file_name, sha256, size_bytes, status, score, metric, "
                      "message_key, message_params FROM exam_submissions WHERE session_id = ? ORDER BY id",
                      (session,))
    found = []
    for r in rows:
        received = _time(r[2])
        assert received is not None
        params = json.loads(r[10])
        found.append(SubmissionRow(int(r[0]), r[1], received, r[3], r[4], int(r[5]), r[6], int(r[7]),
                                   None if r[8] is None else float(r[8]), r[9],
                                   {str(k): str(v) for k, v in params.items()} if isinstance(params, dict) else {}))
    return found
