"""A thin adapter over SQLite (``sqlite3``) and PostgreSQL (``psycopg`` 3).

The gradebook's SQL is written once, portable, with ``?`` placeholders; the
PostgreSQL adapter turns them into ``%s``. Both adapters run in autocommit mode
and open transactions explicitly: :meth:`Database.write` for one atomic write
(SQLite ``BEGIN IMMEDIATE``, so concurrent writers queue on the busy timeout
instead of failing when they upgrade a read lock) and :meth:`Database.snapshot`
for reads that must see one consistent state.

Text crosses through :func:`encode_text` / :func:`decode_text`: strings that
PostgreSQL or UTF-8 cannot hold (a NUL from a student's ``print``, a lone
surrogate from an exception message or a file name) are stored as an escaped
JSON string behind a marker, so every string round-trips exactly on both
backends and a hostile string cannot make a record fail.
"""

from __future__ import annotations

import json
import re
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from autograder.errors import AutograderError

#: Prefix of a stored string that had to be escaped (see :func:`encode_text`).
ESCAPE_MARK = "\x1bgradebook-json:"

#: How long a writer waits for another process's write transaction (seconds).
BUSY_TIMEOUT_S = 60.0

#: The PostgreSQL advisory lock that serialises schema migrations.
MIGRATION_LOCK = 0x6772616465  # "grade"

Row = tuple[Any, ...]

_SQLITE_NOTADB = 26


class GradebookError(AutograderError):
    """The gradebook cannot be opened or used; ``location`` names it (passwords removed)."""

    def __init__(self, location: str, problem: str) -> None:
        self.location = location
        self.problem = problem
        super().__init__(f"gradebook {location}: {problem}")


def encode_text(value: str) -> str:
    """``value`` as stored: unchanged unless it holds a NUL, a lone surrogate or starts with the marker."""
    if "\x00" not in value and not value.startswith(ESCAPE_MARK):
        if value.isascii():
            return value
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            pass
    return ESCAPE_MARK + json.dumps(value, ensure_ascii=True)


def decode_text(value: str) -> str:
    """The string :func:`encode_text` stored."""
    if value.startswith(ESCAPE_MARK):
        decoded = json.loads(value[len(ESCAPE_MARK):])
        if isinstance(decoded, str):
            return decoded
    return value


def _encode_params(params: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(encode_text(p) if isinstance(p, str) else p for p in params)


def _decode_row(row: Sequence[Any]) -> Row:
    return tuple(decode_text(v) if isinstance(v, str) else v for v in row)


def redact(location: str) -> str:
    """``location`` without a password (URL user info or ``password=`` parameter)."""
    location = re.sub(r"(://[^/:@?#]*):[^/@?#]*@", r"\1:***@", location)
    return re.sub(r"(?i)(password=)[^&\s]*", r"\1***", location)


class Database(ABC):
    """One connection to the gradebook's database, SQLite or PostgreSQL."""

    dialect: str = ""
    #: The driver's exception classes (to catch a failed statement).
    errors: tuple[type[Exception], ...] = ()

    def __init__(self, location: str) -> None:
        self.location = location

    # --- per backend ---------------------------------------------------------------------------------
    @abstractmethod
    def _execute(self, sql: str, params: Sequence[Any]) -> list[Row]:
        """Run one statement with driver parameters; the rows it returns."""

    @abstractmethod
    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement once per row of parameters."""

    @abstractmethod
    def write(self) -> AbstractContextManager[None]:
        """One write transaction: committed when the block ends, rolled back when it raises."""

    @abstractmethod
    def snapshot(self) -> AbstractContextManager[None]:
        """A read-only transaction that sees one consistent state."""

    @abstractmethod
    def tables(self) -> set[str]:
        """The names of the tables in the database (the gradebook's schema only, for PostgreSQL)."""

    def lock_for_migration(self) -> None:  # noqa: B027  (only PostgreSQL needs a lock)
        """Inside a write transaction: keep other processes from migrating at the same time."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection."""

    # --- shared ----------------------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Run one statement; rows it returns (strings decoded), else ``[]``."""
        return [_decode_row(row) for row in self._execute(sql, _encode_params(params))]

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each parameter row."""
        encoded = [_encode_params(row) for row in rows]
        if encoded:
            self._executemany(sql, encoded)

    def insert(self, sql: str, params: Sequence[Any]) -> int:
        """Run an ``INSERT ... RETURNING id`` and return the id."""
        rows = self.execute(sql, params)
        return int(rows[0][0])

    def ddl(self, statement: str) -> str:
        """A schema statement with the dialect's spelling of an auto-increment primary key."""
        primary = ("INTEGER PRIMARY KEY" if self.dialect == "sqlite"
                   else "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
        return statement.replace("{id}", primary)


class SQLiteDatabase(Database):
    """SQLite in WAL mode with a busy timeout, so several grading processes can write at once."""

    dialect = "sqlite"
    errors = (sqlite3.Error,)

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        if path.is_dir():
            raise GradebookError(self.location, "is a folder; give the path of a gradebook file (e.g. gradebook.db)")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise GradebookError(self.location, f"cannot create its folder ({error.strerror}); "
                                                "choose a writable location") from error
        try:
            self.connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as error:
            raise GradebookError(self.location, f"cannot be opened ({error}); check the path and its "
                                                "permissions") from error
        try:
            self.connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            mode = self.connection.execute("PRAGMA journal_mode = WAL").fetchone()
            # FULL: a committed record survives a power cut too, not only a killed process
            self.connection.execute("PRAGMA synchronous = FULL")
            self.connection.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as error:
            self.connection.close()
            if getattr(error, "sqlite_errorcode", None) == _SQLITE_NOTADB or "not a database" in str(error):
                raise GradebookError(self.location, f"is not a gradebook: not an SQLite database ({error}); give "
                                                    "the path of a gradebook file, or a new path to create one") \
                    from error
            raise GradebookError(self.location, f"cannot be opened for writing ({error}); check the file's and its "
                                                "folder's permissions") from error
        if mode is None or str(mode[0]).lower() != "wal":
            self.connection.close()
            raise GradebookError(self.location, "cannot use SQLite's write-ahead log here (journal mode "
                                                f"{mode[0] if mode else None!r}); put the gradebook on a local disk")

    def _execute(self, sql: str, params: Sequence[Any]) -> list[Row]:
        cursor = self.connection.execute(sql, params)
        return cursor.fetchall() if cursor.description is not None else []

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.connection.executemany(sql, rows)

    @contextmanager
    def write(self) -> Iterator[None]:
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        self.connection.execute("BEGIN")
        try:
            yield
        finally:
            self.connection.execute("COMMIT")

    def tables(self) -> set[str]:
        rows = self.connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()
        return {str(name) for (name,) in rows}

    def close(self) -> None:
        self.connection.close()


class PostgresDatabase(Database):
    """PostgreSQL through psycopg 3 (``postgresql://`` URL)."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        super().__init__(redact(url))
        try:
            import psycopg
        except ImportError as error:
            raise GradebookError(self.location, "needs the psycopg package for PostgreSQL; install it with "
                                                "pip install 'psycopg[binary]'") from error
        self.errors = (psycopg.Error,)
        self._sql_cache: dict[str, str] = {}
        try:
            given = psycopg.conninfo.conninfo_to_dict(url)
            # a URL without connect_timeout would wait for an unreachable host as long as TCP does
            timeout: dict[str, Any] = {} if "connect_timeout" in given else {"connect_timeout": 10}
            self.connection = psycopg.connect(url, autocommit=True, **timeout)
        except psycopg.Error as error:
            detail = redact(" ".join(str(error).split()))
            raise GradebookError(self.location, f"cannot connect to PostgreSQL ({detail}); check that the server "
                                                "is running and that the URL's host, port, database, user and "
                                                "password are right") from error

    def _sql(self, sql: str) -> str:
        converted = self._sql_cache.get(sql)
        if converted is None:
            if "%" in sql:
                raise ValueError("portable gradebook SQL must not contain '%'")
            converted = self._sql_cache[sql] = sql.replace("?", "%s")
        return converted

    def _execute(self, sql: str, params: Sequence[Any]) -> list[Row]:
        with self.connection.cursor() as cursor:
            cursor.execute(self._sql(sql), params)  # type: ignore[call-overload]
            return list(cursor.fetchall()) if cursor.description is not None else []

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(self._sql(sql), rows)  # type: ignore[call-overload]

    @contextmanager
    def write(self) -> Iterator[None]:
        with self.connection.transaction():
            yield

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        with self.connection.transaction():
            self.connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield

    def tables(self) -> set[str]:
        rows = self.execute("SELECT table_name FROM information_schema.tables "
                            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
        return {str(name) for (name,) in rows}

    def lock_for_migration(self) -> None:
        self.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))

    def close(self) -> None:
        self.connection.close()


def connect(location: str | Path) -> Database:
    """A path or ``sqlite:///path`` -> SQLite; ``postgresql://...`` (or ``postgres://``) -> PostgreSQL."""
    if isinstance(location, Path):
        return SQLiteDatabase(location)
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(text)
    if text.startswith("sqlite:///"):
        return SQLiteDatabase(Path(text[len("sqlite:///"):]))
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text):
        raise GradebookError(redact(text), "unknown kind of database; use a file path, sqlite:///path or "
                                           "postgresql://user@host/database")
    return SQLiteDatabase(Path(text))
