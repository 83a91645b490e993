"""The exam's own tables in the gradebook: sessions and every submission.

The gradebook's schema (:mod:`autograder.gradebook.schema`) is migrated first, so the file stays a gradebook the
rest of the autograder opens; the exam's tables are then brought to :data:`EXAM_LATEST` by their own ordered steps
(:data:`EXAM_MIGRATIONS`, one row each in ``exam_schema_version``, applied once under the migration lock), in the
same portable SQL (SQLite or PostgreSQL). Times are ISO 8601 UTC text; the deadline is stored at start, so a
session resumes after a crash with the same wall-clock end.

A session is of a ``kind``: ``timed`` (``autograder exam start``: a window, finished once by ``exam finish``, the
candidate's exam result) or ``practice`` (the portal's untimed uploads outside a window: born finished, never
resumed, never finished again, never an exam result). Step 2 added the column; a gradebook written before it keeps
reading, its portal practice sessions (marked then by ``result_path`` :data:`PRACTICE_MARK`) becoming ``practice``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from autograder.gradebook import schema
from autograder.gradebook.backend import Database, GradebookError, connect

TIMED, PRACTICE = "timed", "practice"
KINDS = (TIMED, PRACTICE)
#: The ``result_path`` of a practice session (what marked one before the ``kind`` column; still written, so a page
#: or an older reader shows what the row is).
PRACTICE_MARK = "portal practice (untimed)"

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

#: The exam tables' steps: (version, description, statements). Step 1 is what gradebooks held before the steps were
#: counted (``IF NOT EXISTS``: a no-op on those); a released step never changes, a new one goes at the end.
EXAM_MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (1, "exam sessions and submissions", TABLES),
    (2, "a session's kind: timed or practice", (
        "ALTER TABLE exam_sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'timed'",
        f"UPDATE exam_sessions SET kind = '{PRACTICE}' WHERE result_path = '{PRACTICE_MARK}'")),
)
EXAM_LATEST = EXAM_MIGRATIONS[-1][0]
_VERSION_TABLE = """CREATE TABLE IF NOT EXISTS exam_schema_version (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at TEXT NOT NULL)"""


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
    kind: str = TIMED

    @property
    def practice(self) -> bool:
        return self.kind == PRACTICE


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
    migrate(db)
    return db


def exam_version(db: Database) -> int:
    """The exam tables' step (0: none applied yet, or a gradebook from before the steps were counted)."""
    if "exam_schema_version" not in db.tables():
        return 0
    rows = db.execute("SELECT MAX(version) FROM exam_schema_version")
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0


def migrate(db: Database) -> int:
    """Bring the exam tables of ``db`` to :data:`EXAM_LATEST`; the version afterwards."""
    if exam_version(db) >= EXAM_LATEST:
        return _not_newer(db, exam_version(db))
    with db.write():
        db.lock_for_migration()
        db.execute(_VERSION_TABLE)
        current = _not_newer(db, exam_version(db))  # another process may have migrated while this one waited
        for number, description, statements in EXAM_MIGRATIONS:
            if current < number:
                for statement in statements:
                    db.execute(db.ddl(statement))
                db.execute("INSERT INTO exam_schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                           (number, description, datetime.now(UTC).isoformat()))
                current = number
    return current


def _not_newer(db: Database, current: int) -> int:
    if current > EXAM_LATEST:
        raise GradebookError(db.location, f"holds exam tables of a newer autograder (exam schema version {current}; "
                                          f"this one reads up to {EXAM_LATEST}); upgrade autograder to use it")
    return current


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _session(row: tuple[Any, ...]) -> SessionRow:
    started, deadline = _time(row[3]), _time(row[4])
    assert started is not None and deadline is not None
    return SessionRow(int(row[0]), row[1], row[2], started, deadline, row[5], _time(row[6]), row[7], row[8])


_SESSION_COLUMNS = "id, exam, candidate, started_at, deadline, counts, finished_at, result_path, kind"


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


def practice_session(db: Database, exam: str, candidate: str, moment: datetime, counts: str) -> SessionRow:
    """``candidate``'s practice session of ``exam``: the one they have, else a new one made at ``moment``, born
    finished (so no timed command ever resumes, finishes or records it)."""
    found = _practice(db, exam, candidate)
    if found is not None:
        return found
    with db.write():
        again = _practice(db, exam, candidate)  # another process may have made it while this one waited
        if again is not None:
            return again
        stamp = moment.isoformat()
        number = db.insert("INSERT INTO exam_sessions (exam, candidate, started_at, deadline, counts, finished_at, "
                           "result_path, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                           (exam, candidate, stamp, stamp, counts, stamp, PRACTICE_MARK, PRACTICE))
    made = session_by_id(db, number)
    assert made is not None
    return made


def _practice(db: Database, exam: str, candidate: str) -> SessionRow | None:
    rows = db.execute(f"SELECT {_SESSION_COLUMNS} FROM exam_sessions WHERE exam = ? AND candidate = ? AND kind = ? "
                      "ORDER BY id DESC LIMIT 1", (exam, candidate, PRACTICE))
    return _session(rows[0]) if rows else None


def open_sessions(db: Database, exam: str, candidate: str | None = None) -> list[SessionRow]:
    """Unfinished timed sessions of ``exam`` (of ``candidate`` when given), oldest first."""
    sql = f"SELECT {_SESSION_COLUMNS} FROM exam_sessions WHERE exam = ? AND finished_at IS NULL AND kind = '{TIMED}'"
    params: tuple[Any, ...] = (exam,)
    if candidate is not None:
        sql, params = sql + " AND candidate = ?", (*params, candidate)
    return [_session(r) for r in db.execute(sql + " ORDER BY id", params)]


def latest_session(db: Database, exam: str, candidate: str) -> SessionRow | None:
    """``candidate``'s latest timed session of ``exam`` (never a practice one)."""
    rows = db.execute(f"SELECT {_SESSION_COLUMNS} FROM exam_sessions WHERE exam = ? AND candidate = ? "
                      "AND kind = ? ORDER BY id DESC LIMIT 1", (exam, candidate, TIMED))
    return _session(rows[0]) if rows else None


def all_sessions(db: Database, exam: str) -> list[SessionRow]:
    """Every session of ``exam``, timed and practice, oldest first (the instructor's view of the class)."""
    return [_session(r) for r in db.execute(f"SELECT {_SESSION_COLUMNS} FROM exam_sessions WHERE exam = ? "
                                            "ORDER BY id", (exam,))]


def finish_session(db: Database, number: int, finished: datetime, result_path: str) -> None:
    """Close the timed session ``number`` (a practice session is never touched)."""
    with db.write():
        db.execute("UPDATE exam_sessions SET finished_at = ?, result_path = ? WHERE id = ? AND kind = ?",
                   (finished.isoformat(), result_path, number, TIMED))


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
