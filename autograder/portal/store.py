"""The portal's own tables, in the gradebook's database: tokens, sessions, uploads, the grading queue, extensions.

One :class:`PortalStore` is one connection (open one per thread). Every write is one transaction. An upload is
a file on disk (written and synced first) and an ``portal_uploads`` row with its ``portal_jobs`` row, committed
together before the portal acknowledges it. The grading loop claims queued jobs atomically
(:meth:`PortalStore.claim`); a claimed job whose grade was recorded is finished by :meth:`PortalStore.recover`
when the server starts again, and one whose grade was not is queued again, so every accepted upload is graded
exactly once however the server was stopped. A job's grade is found by its source (:func:`job_source`), unique
to the job, which the gradebook records with the grade.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from autograder.exam import store as exam_store
from autograder.gradebook import Gradebook
from autograder.gradebook.backend import Database, connect
from autograder.gradebook.schema import now

TABLES = (
    """CREATE TABLE IF NOT EXISTS portal_tokens (
        id {id}, token_hash TEXT NOT NULL UNIQUE, student TEXT NOT NULL, role TEXT NOT NULL,
        name TEXT, created_at TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE IF NOT EXISTS portal_sessions (
        session_hash TEXT PRIMARY KEY, token_id INTEGER NOT NULL, csrf TEXT NOT NULL,
        created_at TEXT NOT NULL, expires_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS portal_uploads (
        id {id}, assignment TEXT NOT NULL, student TEXT NOT NULL, filename TEXT NOT NULL, path TEXT NOT NULL,
        sha256 TEXT NOT NULL, size INTEGER NOT NULL, received_at TEXT NOT NULL, chosen INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE IF NOT EXISTS portal_jobs (
        id {id}, upload_id INTEGER NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL, queued_at TEXT NOT NULL,
        claimed_at TEXT, finished_at TEXT, attempts INTEGER NOT NULL DEFAULT 0, requested_by TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS portal_extensions (
        assignment TEXT NOT NULL, student TEXT NOT NULL, due TEXT NOT NULL, granted_by TEXT NOT NULL,
        granted_at TEXT NOT NULL, PRIMARY KEY (assignment, student))""",
    "CREATE INDEX IF NOT EXISTS portal_jobs_status ON portal_jobs (status, id)",
    "CREATE INDEX IF NOT EXISTS portal_uploads_student ON portal_uploads (assignment, student)",
)

QUEUED, GRADING, DONE = "queued", "grading", "done"
STUDENT, INSTRUCTOR = "student", "instructor"


def token_hash(token: str) -> str:
    """What is stored of a token or session id: its sha256 (the token itself is shown once, never stored)."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


EXAM_PREFIX = "exam:"  # the ``assignment`` of an exam-practice upload: exam:<category>


def exam_record_name(job_id: int, filename: str) -> str:
    """The file name an exam job's submission is recorded under in the exam's tables: unique to the job."""
    return f"portal-{int(job_id)}-{filename}"[:200]


def job_source(job_id: int, filename: str) -> str:
    """The source a job's grade is recorded under in the gradebook: unique to the job, ends with the file name."""
    return f"portal/{int(job_id)}/{filename}"


@dataclass(frozen=True)
class Identity:
    """Who a token or session belongs to."""

    token_id: int
    student: str
    role: str
    name: str | None = None

    @property
    def instructor(self) -> bool:
        """Whether this is an instructor's (or TA's) token."""
        return self.role == INSTRUCTOR


@dataclass(frozen=True)
class Session:
    """A signed-in browser: who, and the CSRF token its forms carry."""

    identity: Identity
    csrf: str


@dataclass(frozen=True)
class Upload:
    """One accepted upload."""

    id: int
    assignment: str
    student: str
    filename: str
    path: str
    sha256: str
    size: int
    received_at: str
    chosen: bool = False


@dataclass(frozen=True)
class Job:
    """One grading of an upload (its first, or a regrade)."""

    id: int
    upload: Upload
    kind: str
    status: str
    queued_at: str
    claimed_at: str | None
    finished_at: str | None
    attempts: int
    requested_by: str

    @property
    def source(self) -> str:
        """The source its grade is recorded under."""
        return job_source(self.id, self.upload.filename)


_UPLOAD_COLUMNS = "u.id, u.assignment, u.student, u.filename, u.path, u.sha256, u.size, u.received_at, u.chosen"
_JOB_SELECT = (f"SELECT j.id, j.kind, j.status, j.queued_at, j.claimed_at, j.finished_at, j.attempts, "
               f"j.requested_by, {_UPLOAD_COLUMNS} FROM portal_jobs j JOIN portal_uploads u ON u.id = j.upload_id")


def _upload(row: Sequence[Any]) -> Upload:
    return Upload(int(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]), str(row[5]),
                  int(row[6]), str(row[7]), bool(row[8]))


def _job(row: Sequence[Any]) -> Job:
    return Job(int(row[0]), _upload(row[8:]), str(row[1]), str(row[2]), str(row[3]),
               None if row[4] is None else str(row[4]), None if row[5] is None else str(row[5]),
               int(row[6]), str(row[7]))


class PortalStore:
    """The portal's rows in the gradebook database at ``location`` (created on first use)."""

    def __init__(self, location: str) -> None:
        with Gradebook.open(location):  # the gradebook's own schema first (a new database becomes a gradebook)
            pass
        self.location = location
        self.db: Database = connect(location)
        try:
            with self.db.write():
                for statement in TABLES:
                    self.db.execute(self.db.ddl(statement))
            exam_store.migrate(self.db)  # exam uploads are recorded in the exam's tables (their own steps)
        except BaseException:
            self.db.close()
            raise

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> PortalStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[None]:
        with self.db.write():
            yield

    # --- tokens and sessions -----------------------------------------------------------------------
    def issue_token(self, student: str, role: str = STUDENT, name: str | None = None) -> str:
        """A new token for ``student`` (``role`` student or instructor); returned once, stored hashed."""
        if role not in (STUDENT, INSTRUCTOR):
            raise ValueError(f"role is {STUDENT} or {INSTRUCTOR}, not {role!r}")
        token = secrets.token_urlsafe(24)
        with self._write():
            self.db.execute("INSERT INTO portal_tokens (token_hash, student, role, name, created_at) "
                            "VALUES (?, ?, ?, ?, ?)", (token_hash(token), student, role, name, now()))
        return token

    def revoke(self, student: str) -> int:
        """Revoke every token of ``student`` (and end their sessions); how many tokens."""
        with self._write():
            rows = self.db.execute("UPDATE portal_tokens SET revoked = 1 WHERE student = ? AND revoked = 0 "
                                   "RETURNING id", (student,))
            for (token_id,) in rows:
                self.db.execute("DELETE FROM portal_sessions WHERE token_id = ?", (int(token_id),))
        return len(rows)

    def identity(self, token: str) -> Identity | None:
        """Whose ``token`` is (``None``: unknown or revoked)."""
        if not token or len(token) > 200:
            return None
        rows = self.db.execute("SELECT id, student, role, name FROM portal_tokens WHERE token_hash = ? "
                               "AND revoked = 0", (token_hash(token),))
        return Identity(int(rows[0][0]), rows[0][1], rows[0][2], rows[0][3]) if rows else None

    def start_session(self, identity: Identity, hours: float) -> tuple[str, str]:
        """A new session of ``identity``: its cookie value and its CSRF token."""
        session, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        started = datetime.now(UTC)
        with self._write():
            self.db.execute("DELETE FROM portal_sessions WHERE expires_at < ?", (started.isoformat(),))
            self.db.execute("INSERT INTO portal_sessions (session_hash, token_id, csrf, created_at, expires_at) "
                            "VALUES (?, ?, ?, ?, ?)", (token_hash(session), identity.token_id, csrf,
                                                       started.isoformat(),
                                                       (started + timedelta(hours=hours)).isoformat()))
        return session, csrf

    def session(self, cookie: str | None) -> Session | None:
        """The live session of a cookie value (``None``: none, expired, or its token revoked)."""
        if not cookie or len(cookie) > 200:
            return None
        rows = self.db.execute(
            "SELECT t.id, t.student, t.role, t.name, s.csrf FROM portal_sessions s "
            "JOIN portal_tokens t ON t.id = s.token_id WHERE s.session_hash = ? AND s.expires_at > ? "
            "AND t.revoked = 0", (token_hash(cookie), datetime.now(UTC).isoformat()))
        if not rows:
            return None
        row = rows[0]
        return Session(Identity(int(row[0]), row[1], row[2], row[3]), row[4])

    def end_session(self, cookie: str) -> None:
        """Sign out."""
        with self._write():
            self.db.execute("DELETE FROM portal_sessions WHERE session_hash = ?", (token_hash(cookie),))

    def students(self) -> list[tuple[str, str | None]]:
        """The students holding a token (id, name), sorted."""
        rows = self.db.execute("SELECT DISTINCT student, name FROM portal_tokens WHERE role = ? ORDER BY student",
                               (STUDENT,))
        return [(r[0], r[1]) for r in rows]

    # --- uploads and the queue ---------------------------------------------------------------------
    def accept(self, assignment: str, student: str, filename: str, path: Path, sha256: str, size: int,
               received_at: str, kind: str = "upload") -> Job:
        """Record an upload whose file is already on disk, with its grading job (of ``kind``: ``upload``, or
        ``exam`` for an exam-practice model file), in one transaction."""
        with self._write():
            upload_id = self.db.insert(
                "INSERT INTO portal_uploads (assignment, student, filename, path, sha256, size, received_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (assignment, student, filename, str(path), sha256, int(size), received_at))
            job_id = self._enqueue(upload_id, kind, student)
        job = self.job(job_id)
        assert job is not None
        return job

    def _enqueue(self, upload_id: int, kind: str, requested_by: str) -> int:
        return self.db.insert("INSERT INTO portal_jobs (upload_id, kind, status, queued_at, requested_by) "
                              "VALUES (?, ?, ?, ?, ?) RETURNING id", (int(upload_id), kind, QUEUED, now(),
                                                                      requested_by))

    def regrade(self, upload_ids: Sequence[int], requested_by: str) -> list[int]:
        """Queue a regrade of each upload (one transaction); the new jobs' ids."""
        with self._write():
            return [self._enqueue(upload_id, "regrade", requested_by) for upload_id in upload_ids]

    def claim(self, limit: int) -> list[Job]:
        """Take up to ``limit`` queued jobs, oldest first, for grading (atomically: no job is taken twice)."""
        with self._write():
            rows = self.db.execute(
                "UPDATE portal_jobs SET status = ?, claimed_at = ?, attempts = attempts + 1 WHERE status = ? AND id "
                "IN (SELECT id FROM portal_jobs WHERE status = ? ORDER BY id LIMIT ?) RETURNING id",
                (GRADING, now(), QUEUED, QUEUED, int(limit)))
        jobs = [self.job(int(r[0])) for r in rows]
        return sorted((j for j in jobs if j is not None), key=lambda j: j.id)

    def finish(self, job_id: int) -> None:
        """Mark a claimed job graded (its grade is recorded in the gradebook)."""
        with self._write():
            self.db.execute("UPDATE portal_jobs SET status = ?, finished_at = ? WHERE id = ?",
                            (DONE, now(), int(job_id)))

    def recover(self) -> tuple[int, int]:
        """After a restart: finish claimed jobs whose grade is recorded, queue the others again; (finished, queued)."""
        finished = queued = 0
        with self._write():
            claimed = [_job(r) for r in self.db.execute(_JOB_SELECT + " WHERE j.status = ? ORDER BY j.id",
                                                        (GRADING,))]
            for job in claimed:
                if job.upload.assignment.startswith(EXAM_PREFIX):  # recorded in the exam's tables, by file name
                    recorded = self.db.execute(
                        "SELECT 1 FROM exam_sessions s JOIN exam_submissions x ON x.session_id = s.id "
                        "WHERE s.candidate = ? AND x.file_name = ?",
                        (job.upload.student, exam_record_name(job.id, job.upload.filename)))
                else:
                    recorded = self.db.execute("SELECT 1 FROM results r JOIN submissions s ON s.id = r.submission_id "
                                               "WHERE s.assignment = ? AND s.student = ? AND s.source = ?",
                                               (job.upload.assignment, job.upload.student, job.source))
                status = DONE if recorded else QUEUED
                self.db.execute("UPDATE portal_jobs SET status = ?, finished_at = ? WHERE id = ?",
                                (status, now() if recorded else None, job.id))
                finished += bool(recorded)
                queued += not recorded
        return finished, queued

    def job(self, job_id: int) -> Job | None:
        """One job."""
        rows = self.db.execute(_JOB_SELECT + " WHERE j.id = ?", (int(job_id),))
        return _job(rows[0]) if rows else None

    def jobs(self, *, status: str | None = None, assignment: str | None = None, student: str | None = None,
             limit: int = 500) -> list[Job]:
        """Jobs (newest first), filtered."""
        where, params = [], []
        for column, value in (("j.status", status), ("u.assignment", assignment), ("u.student", student)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = _JOB_SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY j.id DESC LIMIT ?"
        return [_job(r) for r in self.db.execute(sql, (*params, int(limit)))]

    def position(self, job: Job) -> int:
        """How many queued jobs are ahead of ``job`` (0 when it is next or not queued)."""
        if job.status != QUEUED:
            return 0
        rows = self.db.execute("SELECT COUNT(*) FROM portal_jobs WHERE status = ? AND id < ?", (QUEUED, job.id))
        return int(rows[0][0])

    def counts(self) -> dict[str, int]:
        """Jobs per status."""
        return {str(s): int(n) for s, n in self.db.execute("SELECT status, COUNT(*) FROM portal_jobs GROUP BY "
                                                           "status")}

    def upload(self, upload_id: int) -> Upload | None:
        """One upload."""
        rows = self.db.execute(f"SELECT {_UPLOAD_COLUMNS} FROM portal_uploads u WHERE u.id = ?", (int(upload_id),))
        return _upload(rows[0]) if rows else None

    def uploads(self, assignment: str, student: str | None = None) -> list[Upload]:
        """The uploads to ``assignment`` (of ``student``), oldest first."""
        if student is None:
            rows = self.db.execute(f"SELECT {_UPLOAD_COLUMNS} FROM portal_uploads u WHERE u.assignment = ? "
                                   "ORDER BY u.id", (assignment,))
        else:
            rows = self.db.execute(f"SELECT {_UPLOAD_COLUMNS} FROM portal_uploads u WHERE u.assignment = ? AND "
                                   "u.student = ? ORDER BY u.id", (assignment, student))
        return [_upload(r) for r in rows]

    def latest_job(self, upload_id: int) -> Job | None:
        """The newest job of an upload."""
        rows = self.db.execute(_JOB_SELECT + " WHERE j.upload_id = ? ORDER BY j.id DESC LIMIT 1", (int(upload_id),))
        return _job(rows[0]) if rows else None

    def choose(self, upload: Upload) -> None:
        """Make ``upload`` its student's chosen one for its assignment."""
        with self._write():
            self.db.execute("UPDATE portal_uploads SET chosen = CASE WHEN id = ? THEN 1 ELSE 0 END "
                            "WHERE assignment = ? AND student = ?", (upload.id, upload.assignment, upload.student))

    # --- extensions --------------------------------------------------------------------------------
    def extend(self, assignment: str, student: str, due: datetime, granted_by: str) -> None:
        """Give ``student`` their own due time for ``assignment`` (replacing an earlier extension)."""
        with self._write():
            self.db.execute("INSERT INTO portal_extensions (assignment, student, due, granted_by, granted_at) "
                            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (assignment, student) DO UPDATE SET "
                            "due = excluded.due, granted_by = excluded.granted_by, granted_at = excluded.granted_at",
                            (assignment, student, due.isoformat(), granted_by, now()))

    def extension(self, assignment: str, student: str) -> datetime | None:
        """``student``'s own due time for ``assignment``, if given one."""
        rows = self.db.execute("SELECT due FROM portal_extensions WHERE assignment = ? AND student = ?",
                               (assignment, student))
        return datetime.fromisoformat(rows[0][0]) if rows else None

    def extensions(self, assignment: str) -> dict[str, datetime]:
        """Every extension of ``assignment``, by student."""
        return {r[0]: datetime.fromisoformat(r[1]) for r in
                self.db.execute("SELECT student, due FROM portal_extensions WHERE assignment = ?", (assignment,))}

