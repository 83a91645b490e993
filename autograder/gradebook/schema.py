"""The gradebook's schema as ordered migration steps, from the first version on.

``schema_version`` holds one row per applied step. Opening a gradebook applies
the missing steps in one transaction (under an advisory lock on PostgreSQL, a
write lock on SQLite), so several grading processes opening a new gradebook at
the same moment migrate it exactly once. A step, once released, never changes:
a new column or index is a new step at the end of :data:`MIGRATIONS`.

Portable SQL only: ``{id}`` is the dialect's auto-increment primary key, every
other type is spelled the same in SQLite and PostgreSQL; times are ISO 8601 UTC
text; booleans are 0/1 integers; message parameters are JSON text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from autograder.gradebook.backend import Database, GradebookError


@dataclass(frozen=True)
class Migration:
    """One step of the schema: its version, what it does, and its statements."""

    version: int
    description: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "students, assignments, runs, submissions, results and one row per check", (
        """CREATE TABLE assignments (
            assignment TEXT PRIMARY KEY,
            created_at TEXT NOT NULL)""",
        """CREATE TABLE students (
            student TEXT PRIMARY KEY,
            name TEXT,
            email TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        """CREATE TABLE runs (
            id {id},
            assignment TEXT NOT NULL REFERENCES assignments (assignment),
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL,
            workers INTEGER NOT NULL,
            command TEXT NOT NULL,
            fingerprint_of_checks TEXT NOT NULL,
            config_hash TEXT NOT NULL)""",
        # submitted_at is '' when the input carries no LMS timestamp (NULLs would defeat the UNIQUE)
        """CREATE TABLE submissions (
            id {id},
            assignment TEXT NOT NULL REFERENCES assignments (assignment),
            student TEXT NOT NULL REFERENCES students (student),
            content_hash TEXT NOT NULL,
            source TEXT NOT NULL,
            submitted_at TEXT NOT NULL,
            first_seen_at TEXT NOT NULL,
            UNIQUE (assignment, student, content_hash, source, submitted_at))""",
        # one row per grading of a submission; a re-grade adds a row, the highest id is the latest
        """CREATE TABLE results (
            id {id},
            submission_id BIGINT NOT NULL REFERENCES submissions (id),
            run_id BIGINT NOT NULL REFERENCES runs (id),
            assignment TEXT NOT NULL,
            student TEXT NOT NULL,
            graded_at TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            late_penalty DOUBLE PRECISION NOT NULL,
            status TEXT NOT NULL,
            source TEXT NOT NULL,
            points DOUBLE PRECISION NOT NULL,
            max_points DOUBLE PRECISION NOT NULL,
            seconds DOUBLE PRECISION NOT NULL,
            student_seconds DOUBLE PRECISION NOT NULL,
            peak_memory_bytes BIGINT,
            isolation TEXT NOT NULL,
            output TEXT NOT NULL)""",
        """CREATE TABLE question_scores (
            result_id BIGINT NOT NULL REFERENCES results (id),
            seq INTEGER NOT NULL,
            question TEXT NOT NULL,
            points DOUBLE PRECISION NOT NULL,
            max_points DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (result_id, seq))""",
        # points / max_points: the check's share of its question (0 for a skipped check's maximum);
        # measured is NULL when there is none or it was NaN (measured_nan = 1: SQLite cannot store NaN)
        """CREATE TABLE check_results (
            result_id BIGINT NOT NULL REFERENCES results (id),
            question_seq INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            question TEXT NOT NULL,
            name TEXT NOT NULL,
            weight DOUBLE PRECISION NOT NULL,
            hidden INTEGER NOT NULL,
            status TEXT NOT NULL,
            points DOUBLE PRECISION NOT NULL,
            max_points DOUBLE PRECISION NOT NULL,
            message_key TEXT,
            params TEXT NOT NULL,
            seconds DOUBLE PRECISION NOT NULL,
            metric TEXT,
            measured DOUBLE PRECISION,
            measured_nan INTEGER NOT NULL,
            PRIMARY KEY (result_id, question_seq, seq))""",
        """CREATE TABLE reasons (
            result_id BIGINT NOT NULL REFERENCES results (id),
            seq INTEGER NOT NULL,
            message_key TEXT NOT NULL,
            params TEXT NOT NULL,
            PRIMARY KEY (result_id, seq))""",
        """CREATE TABLE cell_problems (
            result_id BIGINT NOT NULL REFERENCES results (id),
            seq INTEGER NOT NULL,
            cell INTEGER NOT NULL,
            status TEXT NOT NULL,
            ename TEXT NOT NULL,
            evalue TEXT NOT NULL,
            traceback TEXT NOT NULL,
            PRIMARY KEY (result_id, seq))""",
    )),
    Migration(2, "indexes for the latest result per student, a submission's results and runs per assignment", (
        "CREATE INDEX results_latest ON results (assignment, student, id)",
        "CREATE INDEX results_submission ON results (submission_id)",
        "CREATE INDEX runs_assignment ON runs (assignment, id)",
        "CREATE INDEX check_results_by_name ON check_results (name, status)",
    )),
    Migration(3, "plots the notebook made (grader re-encoded PNGs, base64), for feedback pages", (
        """CREATE TABLE figures (
            result_id BIGINT NOT NULL REFERENCES results (id),
            seq INTEGER NOT NULL,
            cell INTEGER NOT NULL,
            png TEXT NOT NULL,
            PRIMARY KEY (result_id, seq))""",
    )),
)

#: The schema version this code reads and writes.
LATEST = MIGRATIONS[-1].version

#: The tables of the gradebook (a database holding some of them without ``schema_version`` is not one).
TABLES = frozenset({"assignments", "students", "runs", "submissions", "results", "question_scores",
                    "check_results", "reasons", "cell_problems"})

_VERSION_TABLE = """CREATE TABLE schema_version (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at TEXT NOT NULL)"""


def now() -> str:
    """The current time as stored: ISO 8601, UTC, microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def version(db: Database) -> int | None:
    """The schema version of ``db`` (0 for an empty database); ``None`` when it has no gradebook tables."""
    tables = db.tables()
    if "schema_version" not in tables:
        unrelated = tables if db.dialect == "sqlite" else tables & TABLES
        if unrelated:
            raise GradebookError(db.location, f"is not a gradebook: it holds tables ({', '.join(sorted(unrelated))})"
                                              " but no schema_version; give the location of a gradebook, or a new "
                                              "one to create")
        return None
    try:
        rows = db.execute("SELECT MAX(version) FROM schema_version")
    except db.errors as error:
        raise GradebookError(db.location, f"is not a gradebook: its schema_version table is not the gradebook's "
                                          f"({error}); give the location of a gradebook, or a new one") from error
    return int(rows[0][0] or 0)


def migrate(db: Database, upto: int = LATEST) -> int:
    """Bring ``db`` to schema version ``upto`` (the latest by default); the version it is at afterwards."""
    current = version(db)
    if current is not None and current >= upto:
        return _not_newer(db, current)
    with db.write():
        db.lock_for_migration()
        current = version(db)  # another process may have migrated while this one waited
        if current is None:
            db.execute(_VERSION_TABLE)
            current = 0
        _not_newer(db, current)
        for step in MIGRATIONS:
            if current < step.version <= upto:
                for statement in step.statements:
                    db.execute(db.ddl(statement))
                db.execute("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                           (step.version, step.description, now()))
                current = step.version
    return current


def _not_newer(db: Database, current: int) -> int:
    if current > LATEST:
        raise GradebookError(db.location, f"was written by a newer autograder (schema version {current}; this one "
                                          f"reads up to {LATEST}); upgrade autograder to use it")
    return current
