"""The gradebook on SQLite and on a real PostgreSQL server: round trips, history, concurrency, kill -9, migrations.

PostgreSQL: the tests start a throwaway cluster (initdb + pg_ctl from Debian's
``postgresql-15`` or whatever version is found) in a temporary folder, on a
unix socket only (no TCP port), as the ``postgres`` user when they run as root
(initdb refuses root), and stop it at the end. Without server binaries those
tests are skipped and say why.
"""

from __future__ import annotations

import glob
import math
import multiprocessing
import os
import pwd
import random
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autograder.errors import AutograderError
from autograder.gradebook import SCHEMA_VERSION, Gradebook, GradebookError, StoredResult, SubmissionKey
from autograder.gradebook.backend import ESCAPE_MARK, connect, decode_text, encode_text
from autograder.gradebook.schema import MIGRATIONS, migrate
from autograder.results import CellProblem, CheckResult, Reason, SubmissionResult, score_questions

POINTS = {"q1": 4.0, "q2": 3.0, "q3": 2.0, "q4": 5.0}
ASSIGNMENT = "tensor_ops"


# --- a realistic result ---------------------------------------------------------------------------------
def make_result(student: str, variant: int = 0) -> SubmissionResult:
    """A graded submission with every kind of field: params, Korean text, hidden/skipped/performance checks."""
    checks = [
        CheckResult("q1", "relu_values", 3.0, False, "passed", seconds=0.0123 + variant / 1000),
        CheckResult("q1", "relu_loops", 1.0, False, "failed", "tensor_ops.vectorised_shortcut",
                    (("function", "naive_relu"), ("shortcut", "np.maximum"), ("설명", "반복문으로 작성하세요")),
                    0.004),
        CheckResult("q2", "add_values", 4.0, True, "failed" if variant % 2 else "passed",
                    "check.wrong_values" if variant % 2 else None,
                    (("call", "naive_add(x, y)"), ("shape", "(3, 5)")) if variant % 2 else (), 0.25),
        CheckResult("q2", "add_shape", 1.0, True, "error", "check.internal_error",
                    (("check", "add_shape"), ("detail", "ValueError: 'x' — 모양이 다릅니다")), 0.001),
        CheckResult("q3", "uses_pretrained", 2.0, False, "skipped", "keras.no_pretrained_weights",
                    (("model", "VGG16"),), 0.0),
        CheckResult("q3", "layer_order", 1.0, False, "passed", seconds=1e-6),
        CheckResult("q4", "accuracy", 1.0, True, "failed", "check.metric_too_low",
                    (("measured", "0.8123"), ("metric", "accuracy"), ("reference", "0.88"), ("threshold", "0.86")),
                    12.5, 0.8123456789012345, "accuracy"),
    ]
    return SubmissionResult(
        student=student, source=f"class.zip:{student}/hw1.ipynb", status="graded",
        questions=score_questions(checks, POINTS),
        reasons=(Reason("submission.newest_wins", (("count", "2"), ("kept", "hw1 (2).ipynb"))),),
        cells=(CellProblem(3, "error", "ZeroDivisionError", "division by zero",
                           "Traceback (most recent call last):\n  셀 3, line 2\nZeroDivisionError: division by zero"),
               CellProblem(7, "timeout")),
        seconds=5.731 + variant, student_seconds=4.2, peak_memory_bytes=812_345_678_901, isolation="namespaces",
        output=f"Epoch 1/3 - loss: 0.6931\n학습 완료 {variant}\n" + "x" * 2000)


def key_of(student: str, variant: int = 0, submitted_at: str | None = "2024-03-01T12:00:00+00:00") -> SubmissionKey:
    return SubmissionKey(student, f"{variant:064x}", f"class.zip:{student}/hw1.ipynb", submitted_at)


# --- PostgreSQL, started by the tests ---------------------------------------------------------------------
def _pg_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl") + glob.glob("/usr/local/pgsql/bin/pg_ctl")
                        + glob.glob("/opt/homebrew/opt/postgresql*/bin/pg_ctl"), reverse=True)
    for pg_ctl in candidates:
        if Path(pg_ctl).with_name("initdb").exists():
            return Path(pg_ctl).parent
    return None


class PostgresServer:
    """A throwaway cluster on a unix socket in its own folder."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="gbpg-"))
        self.data = self.root / "data"
        self.prefix: list[str] = []
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            user = next((u for u in ("postgres", "nobody") if _user_exists(u)), None)
            if user is None:
                raise RuntimeError("running as root and no unprivileged user (postgres, nobody) to run the server")
            entry = pwd.getpwnam(user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
            setpriv = shutil.which("setpriv")
            self.prefix = ([setpriv, f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups"]
                           if setpriv else ["runuser", "-u", user, "--"])
        self.root.chmod(0o700)
        self.databases = 0

    def _run(self, *command: str) -> None:
        done = subprocess.run([*self.prefix, *command], capture_output=True, text=True, timeout=120, check=False,
                              env={**os.environ, "LC_ALL": "C"}, cwd=self.root)
        if done.returncode != 0:
            log = (self.root / "log").read_text(errors="replace")[-2000:] if (self.root / "log").exists() else ""
            raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stdout[-2000:]}"
                               f"{done.stderr[-2000:]}{log}")

    def start(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-locale", "--no-sync")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-t", "60",
                  "-o", f"-k {self.root} -c listen_addresses= -F -c max_connections=50", "start")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.root}"

    def new_database(self) -> str:
        import psycopg

        self.databases += 1
        name = f"gradebook_{self.databases}"
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) found on PATH or in /usr/lib/postgresql/*/bin; "
                    "install postgresql (Debian: apt-get install postgresql-15) to test the gradebook on PostgreSQL")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install 'psycopg[binary]')")
    try:
        server = PostgresServer(bin_dir)
    except (RuntimeError, OSError) as error:
        pytest.skip(f"cannot run the PostgreSQL server from {bin_dir}: {error}")
    try:
        server.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        server.stop()
        pytest.skip(f"PostgreSQL server binaries in {bin_dir} are there but a throwaway cluster did not start: "
                    f"{error}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh gradebook location on each backend (the SQLite file does not exist yet)."""
    if request.param == "sqlite":
        return str(tmp_path / "gradebook.db")
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.new_database()


def _start(gradebook: Gradebook, assignment: str = ASSIGNMENT) -> int:
    return gradebook.start_run(assignment, fingerprint_of_checks="checks-1", config_hash="config-1", workers=4,
                               command="autograder grade tensor_ops submissions/")


# --- round trip, history, runs --------------------------------------------------------------------------
def test_a_realistic_result_round_trips_exactly(location: str) -> None:
    result = make_result("kim")
    assert result.points not in (0.0, result.max_points)  # a mix of passed and failed
    with Gradebook.open(location) as gradebook:
        run = _start(gradebook)
        gradebook.upsert_student("kim", "김철수", "kim@example.ac.kr")
        gradebook.record(run, ASSIGNMENT, key_of("kim"), result, fingerprint="fp-kim", late_penalty=0.1)
    with Gradebook.open(location) as gradebook:  # read back through a new connection
        stored = gradebook.latest(ASSIGNMENT, "kim")
        assert stored is not None
        assert stored.result == result
        assert stored.result.output == result.output
        assert stored.key == key_of("kim")
        assert (stored.assignment, stored.fingerprint, stored.run_id, stored.late_penalty) == (
            ASSIGNMENT, "fp-kim", run, 0.1)
        assert (stored.name, stored.email) == ("김철수", "kim@example.ac.kr")
        assert stored.final_points == round(result.points * 0.9, 4)
        assert stored.graded_at.endswith("+00:00")
        assert gradebook.results(ASSIGNMENT) == [stored]
        assert gradebook.latest(ASSIGNMENT, "lee") is None
        assert gradebook.latest("other", "kim") is None


def test_hostile_text_and_odd_values_round_trip(location: str) -> None:
    """NUL bytes, lone surrogates, the escape marker itself, NaN, no timestamp, no checks: all kept exactly."""
    odd = "\ud800 lone surrogate"
    checks = [CheckResult("q1", "accuracy", 1.0, True, "failed", "check.metric_too_low",
                          (("measured", "nan"), ("dup", "1"), ("dup", "2"), ("nul", "a\x00b")), 0.5, math.nan,
                          "accuracy")]
    result = SubmissionResult(
        student=f"학생{odd}", source="weird\x00name.ipynb", status="timed_out",
        questions=(*score_questions(checks, {"q1": 1.0}), *score_questions([], {"q2": 2.0})),
        cells=(CellProblem(1, "error", "ValueError", f"{odd}\x00", ESCAPE_MARK + "not json"),),
        peak_memory_bytes=None, output=f"print('\\0') -> \x00\n{ESCAPE_MARK}\"x\"\n{odd}")
    key = SubmissionKey(result.student, "ab" * 32, result.source, None)
    with Gradebook.open(location) as gradebook:
        gradebook.record(_start(gradebook), ASSIGNMENT, key, result, fingerprint="fp")
        stored = gradebook.latest(ASSIGNMENT, result.student)
        assert stored is not None and stored.key == key
        (question, empty) = stored.result.questions
        assert empty.checks == () and empty.max_points == 2.0
        (check,) = question.checks
        assert math.isnan(check.measured or 0.0)
        # NaN != NaN, so compare the rest with the NaN replaced
        assert stored.result.__class__(**{**vars(stored.result), "questions": ()}) == result.__class__(
            **{**vars(result), "questions": ()})
        assert check.params == checks[0].params and check.key == checks[0].key


def test_text_encoding_is_reversible_and_leaves_ordinary_text_alone() -> None:
    for text in ("", "plain", "한국어 메시지", "\x00", "\udc80", ESCAPE_MARK, ESCAPE_MARK + "\"x\"", "a\x00\ud800"):
        assert decode_text(encode_text(text)) == text
    assert encode_text("학습 완료") == "학습 완료"


def test_a_regrade_adds_a_row_and_the_latest_wins(location: str) -> None:
    with Gradebook.open(location) as gradebook:
        first = _start(gradebook)
        gradebook.record(first, ASSIGNMENT, key_of("kim", 0), make_result("kim", 0), fingerprint="fp-0")
        gradebook.record(first, ASSIGNMENT, key_of("lee", 0), make_result("lee", 0), fingerprint="fp-0")
        gradebook.finish_run(first, "finished")
        second = _start(gradebook)
        # same notebook, changed checks: same submission row, new result row
        gradebook.record(second, ASSIGNMENT, key_of("kim", 0), make_result("kim", 1), fingerprint="fp-1")
        # a newer notebook: new submission row
        gradebook.record(second, ASSIGNMENT, key_of("kim", 2, "2024-03-02T09:00:00+00:00"), make_result("kim", 2),
                         fingerprint="fp-2")
        gradebook.finish_run(second, "interrupted")
        latest = gradebook.latest(ASSIGNMENT, "kim")
        assert latest is not None
        assert (latest.result, latest.fingerprint, latest.run_id) == (make_result("kim", 2), "fp-2", second)
        assert latest.key == key_of("kim", 2, "2024-03-02T09:00:00+00:00")
        history = gradebook.history(ASSIGNMENT, "kim")
        assert [h.fingerprint for h in history] == ["fp-0", "fp-1", "fp-2"]
        assert [h.result for h in history] == [make_result("kim", v) for v in (0, 1, 2)]
        assert [(s.key.student, s.fingerprint) for s in gradebook.results(ASSIGNMENT)] == [
            ("kim", "fp-2"), ("lee", "fp-0")]
        runs = gradebook.runs(ASSIGNMENT)
        assert [(r.id, r.status, r.workers) for r in runs] == [(first, "finished", 4), (second, "interrupted", 4)]
        assert all(r.finished_at is not None and r.finished_at >= r.started_at for r in runs)
        assert runs[0].command == "autograder grade tensor_ops submissions/"
        assert (runs[0].fingerprint_of_checks, runs[0].config_hash) == ("checks-1", "config-1")


def test_runs_students_and_assignments(location: str) -> None:
    with Gradebook.open(location) as gradebook:
        assert gradebook.assignments() == [] and gradebook.runs() == []
        a = _start(gradebook, "tensor_ops")
        b = _start(gradebook, "imdb")
        assert gradebook.assignments() == ["imdb", "tensor_ops"]
        assert [r.id for r in gradebook.runs()] == [a, b]
        assert [r.status for r in gradebook.runs("imdb")] == ["running"]
        assert gradebook.runs("imdb")[0].finished_at is None
        with pytest.raises(ValueError, match="finished"):
            gradebook.finish_run(a, "done")
        with pytest.raises(GradebookError, match="no run 999"):
            gradebook.finish_run(999, "failed")
        with pytest.raises(GradebookError, match="no run 999"):
            gradebook.record(999, "tensor_ops", key_of("kim"), make_result("kim"), fingerprint="fp")
        with pytest.raises(GradebookError, match="grades 'imdb'"):
            gradebook.record(b, "tensor_ops", key_of("kim"), make_result("kim"), fingerprint="fp")
        with pytest.raises(ValueError, match="submission key"):
            gradebook.record(a, "tensor_ops", key_of("lee"), make_result("kim"), fingerprint="fp")
        assert gradebook.latest("tensor_ops", "kim") is None  # nothing of a refused record was kept
        # a student first seen in a record, then named from a roster; None keeps what is known
        gradebook.record(a, "tensor_ops", key_of("kim"), make_result("kim"), fingerprint="fp")
        gradebook.upsert_student("kim", name="Kim")
        gradebook.upsert_student("kim", email="kim@example.com")
        gradebook.upsert_student("kim")
        stored = gradebook.latest("tensor_ops", "kim")
        assert stored is not None and (stored.name, stored.email) == ("Kim", "kim@example.com")


# --- several processes ----------------------------------------------------------------------------------
def _writer(location: str, worker: int, count: int, start: Any) -> None:
    """A grading worker: opens the gradebook itself (it may be new), starts a run, records ``count`` results."""
    start.wait(60)
    with Gradebook.open(location) as gradebook:
        run = _start(gradebook)
        for i in range(count):
            student = f"w{worker}_{i:03d}"
            gradebook.record(run, ASSIGNMENT, key_of(student, i), make_result(student, i), fingerprint=f"fp-{i}")
            if i % 5 == 0:  # every worker also re-grades one shared submission: same submission row, new result
                gradebook.record(run, ASSIGNMENT, key_of("shared"), make_result("shared", worker),
                                 fingerprint=f"shared-{worker}-{i}")
        gradebook.finish_run(run, "finished")


def _spawn() -> Any:
    return multiprocessing.get_context("spawn")


def test_concurrent_writers_lose_nothing(location: str) -> None:
    workers, count = 4, 25
    context = _spawn()
    start = context.Event()
    processes = [context.Process(target=_writer, args=(location, w, count, start)) for w in range(workers)]
    for process in processes:
        process.start()
    start.set()  # all open the (new) gradebook and write at the same moment
    for process in processes:
        process.join(180)
        assert process.exitcode == 0, f"writer exited {process.exitcode}"
    with Gradebook.open(location) as gradebook:
        results = gradebook.results(ASSIGNMENT)
        expected = sorted([f"w{w}_{i:03d}" for w in range(workers) for i in range(count)] + ["shared"])
        assert [r.key.student for r in results] == expected
        for stored in results:
            if stored.key.student != "shared":
                i = int(stored.key.student.split("_")[1])
                assert stored.result == make_result(stored.key.student, i)
                assert stored.fingerprint == f"fp-{i}"
        assert len(gradebook.history(ASSIGNMENT, "shared")) == workers * len(range(0, count, 5))
        assert [r.status for r in gradebook.runs()] == ["finished"] * workers
    db = connect(location)
    try:
        assert db.execute("SELECT version FROM schema_version ORDER BY version") == [
            (m.version,) for m in MIGRATIONS]  # migrated once although four processes opened it new
        assert db.execute("SELECT COUNT(*) FROM submissions WHERE student = 'shared'") == [(1,)]
        assert db.execute("SELECT COUNT(*) FROM results") == [(workers * count + workers * 5,)]
    finally:
        db.close()


# --- kill -9 --------------------------------------------------------------------------------------------
def _endless_writer(location: str, first: int, acks: Any, stop_inside: bool) -> None:
    """Record results until killed, acknowledging each committed one; or stop for good inside a transaction."""
    gradebook = Gradebook.open(location)
    run = _start(gradebook)
    if stop_inside:
        write_checks = gradebook._write_checks

        def hang_after_checks(*args: Any) -> None:
            write_checks(*args)
            acks.send(-1)  # submission, result and check rows written, not committed
            time.sleep(600)

        gradebook._write_checks = hang_after_checks  # type: ignore[method-assign]
    i = first
    while True:
        student = f"s{i:05d}"
        gradebook.record(run, ASSIGNMENT, key_of(student, i), make_result(student, i), fingerprint=f"fp-{i}")
        acks.send(i)
        i += 1


def _consistent(location: str) -> int:
    """Check that every submission has results and every result all its rows; the number of results."""
    db = connect(location)
    try:
        assert db.execute("SELECT COUNT(*) FROM submissions s WHERE NOT EXISTS "
                          "(SELECT 1 FROM results r WHERE r.submission_id = s.id)") == [(0,)]
        checks = len([c for q in make_result("x").questions for c in q.checks])
        counts = db.execute("SELECT r.id, (SELECT COUNT(*) FROM check_results c WHERE c.result_id = r.id), "
                            "(SELECT COUNT(*) FROM question_scores q WHERE q.result_id = r.id), "
                            "(SELECT COUNT(*) FROM cell_problems p WHERE p.result_id = r.id), "
                            "(SELECT COUNT(*) FROM reasons e WHERE e.result_id = r.id) FROM results r")
        assert all(row[1:] == (checks, len(POINTS), 2, 1) for row in counts), counts
        if db.dialect == "sqlite":
            assert db.execute("PRAGMA integrity_check") == [("ok",)]
            assert db.execute("PRAGMA foreign_key_check") == []
        return len(counts)
    finally:
        db.close()


def test_kill_9_while_writing_loses_nothing_committed(location: str) -> None:
    context = _spawn()
    acknowledged: list[int] = []
    rng = random.Random(5)
    Gradebook.open(location).close()
    for attempt in range(3):
        receive, send = context.Pipe(duplex=False)
        first = attempt * 10_000
        writer = context.Process(target=_endless_writer, args=(location, first, send, False))
        writer.start()
        send.close()
        wanted = rng.randint(3, 12)
        while len([a for a in acknowledged if a >= first]) < wanted:
            assert receive.poll(60), "the writer stopped acknowledging"
            try:
                acknowledged.append(receive.recv())
            except EOFError:
                writer.join(30)
                pytest.fail(f"the writer died by itself (exit code {writer.exitcode})")
        time.sleep(rng.uniform(0, 0.02))  # somewhere in the next record
        os.kill(writer.pid or 0, signal.SIGKILL)
        writer.join(30)
        try:
            while receive.poll(0):  # acknowledgements sent before it died
                acknowledged.append(receive.recv())
        except EOFError:
            pass
        receive.close()
    recorded = _consistent(location)
    with Gradebook.open(location) as gradebook:
        stored = {s.key.student: s for s in gradebook.results(ASSIGNMENT)}
        assert len(stored) == recorded  # one result per student, nothing half-written
        for i in acknowledged:
            student = f"s{i:05d}"
            assert stored[student].result == make_result(student, i)
        assert len(acknowledged) <= recorded <= len(acknowledged) + 3  # at most one unacknowledged per kill


def test_kill_9_inside_a_record_leaves_no_half_written_submission(location: str) -> None:
    context = _spawn()
    receive, send = context.Pipe(duplex=False)
    writer = context.Process(target=_endless_writer, args=(location, 0, send, True))
    writer.start()
    send.close()
    assert receive.poll(120), "the writer never reached the middle of a record"
    assert receive.recv() == -1
    os.kill(writer.pid or 0, signal.SIGKILL)
    writer.join(30)
    assert _consistent(location) == 0
    with Gradebook.open(location) as gradebook:
        assert gradebook.latest(ASSIGNMENT, "s00000") is None
        assert [r.status for r in gradebook.runs()] == ["running"]  # the killed run says it never finished
        # the dead writer's locks are gone: another process records the same submission at once
        run = _start(gradebook)
        gradebook.record(run, ASSIGNMENT, key_of("s00000", 0), make_result("s00000", 0), fingerprint="fp-0")
        stored = gradebook.latest(ASSIGNMENT, "s00000")
        assert stored is not None and stored.result == make_result("s00000", 0)
    assert _consistent(location) == 1


# --- migrations -----------------------------------------------------------------------------------------
def test_a_version_1_gradebook_is_migrated_and_keeps_its_data(location: str) -> None:
    db = connect(location)
    try:
        assert migrate(db, upto=1) == 1  # the schema as first released, nothing after it
        assert db.execute("SELECT version, description FROM schema_version") == [(1, MIGRATIONS[0].description)]
        # write with the version-1 columns (all later steps add indexes only)
        old = Gradebook(db)
        run = _start(old)
        old.record(run, ASSIGNMENT, key_of("kim"), make_result("kim"), fingerprint="fp-v1")
        old.finish_run(run, "finished")
    finally:
        db.close()
    with Gradebook.open(location) as gradebook:
        stored = gradebook.latest(ASSIGNMENT, "kim")
        assert stored is not None and stored.result == make_result("kim") and stored.fingerprint == "fp-v1"
        assert [r.status for r in gradebook.runs()] == ["finished"]
    db = connect(location)
    try:
        assert [v for (v,) in db.execute("SELECT version FROM schema_version ORDER BY version")] == list(
            range(1, SCHEMA_VERSION + 1))
        if db.dialect == "sqlite":
            indexes = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        else:
            indexes = {name for (name,) in db.execute("SELECT indexname FROM pg_indexes "
                                                      "WHERE schemaname = current_schema()")}
        assert {"results_latest", "runs_assignment"} <= indexes
    finally:
        db.close()


def test_a_gradebook_from_a_newer_autograder_is_refused(location: str) -> None:
    Gradebook.open(location).close()
    db = connect(location)
    try:
        with db.write():
            db.execute("INSERT INTO schema_version (version, description, applied_at) VALUES (?, 'future', 'x')",
                       (SCHEMA_VERSION + 1,))
    finally:
        db.close()
    with pytest.raises(GradebookError, match=r"newer autograder.*upgrade autograder"):
        Gradebook.open(location)


# --- clear errors ---------------------------------------------------------------------------------------
def test_a_file_that_is_not_a_gradebook_is_refused_by_name(tmp_path: Path) -> None:
    text = tmp_path / "grades.csv"
    text.write_text("student,points\nkim,3\n" * 100)
    with pytest.raises(GradebookError) as raised:
        Gradebook.open(text)
    assert str(text) in str(raised.value) and "not a gradebook" in str(raised.value)
    assert "new path" in str(raised.value)
    assert isinstance(raised.value, AutograderError)
    assert text.read_text().startswith("student,points")  # left alone

    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    connection.close()
    with pytest.raises(GradebookError, match=r"other\.sqlite.*not a gradebook.*notes"):
        Gradebook.open(f"sqlite:///{other}")

    with pytest.raises(GradebookError, match="is a folder"):
        Gradebook.open(tmp_path)
    with pytest.raises(GradebookError, match="unknown kind of database"):
        Gradebook.open("mysql://root:hunter2@localhost/grades")


def test_sqlite_urls_and_paths_open_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "folder" / "gradebook.db"
    with Gradebook.open(f"sqlite:///{path}") as gradebook:
        assert gradebook.dialect == "sqlite"
        gradebook.record(_start(gradebook), ASSIGNMENT, key_of("kim"), make_result("kim"), fingerprint="fp")
    with Gradebook.open(path) as gradebook:
        assert gradebook.location == str(path)
        assert [s.key.student for s in gradebook.results(ASSIGNMENT)] == ["kim"]
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    connection.close()


def test_an_unreachable_postgresql_url_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(GradebookError) as raised:
        Gradebook.open("postgresql://grader:s3cret@127.0.0.1:1/grades?connect_timeout=3")
    message = str(raised.value)
    assert "postgresql://grader:***@127.0.0.1:1/grades" in message
    assert "s3cret" not in message
    assert "cannot connect to PostgreSQL" in message and "check that the server is running" in message
    with pytest.raises(GradebookError, match="cannot connect to PostgreSQL"):
        Gradebook.open(f"postgresql://postgres@/grades?host={tmp_path}")  # no server on that socket


def test_a_missing_postgresql_database_is_a_clear_error(postgres: PostgresServer) -> None:
    with pytest.raises(GradebookError, match=r"gradebook postgresql://postgres@/no_such_db.*does not exist"):
        Gradebook.open(postgres.url("no_such_db"))


def test_postgresql_tables_of_another_program_are_not_taken_for_a_gradebook(postgres: PostgresServer) -> None:
    url = postgres.new_database()
    db = connect(url)
    try:
        db.execute("CREATE TABLE students (id INTEGER PRIMARY KEY, nickname TEXT)")
        db.execute("CREATE TABLE unrelated (x INTEGER)")
    finally:
        db.close()
    with pytest.raises(GradebookError, match=r"not a gradebook.*students"):
        Gradebook.open(url)


def test_stored_result_is_what_reports_read(tmp_path: Path) -> None:
    """Reports read StoredResult only: the per-check points in the database agree with the question points."""
    location = str(tmp_path / "gradebook.db")
    result = make_result("kim", 1)
    with Gradebook.open(location) as gradebook:
        gradebook.record(_start(gradebook), ASSIGNMENT, key_of("kim"), result, fingerprint="fp")
        (stored,) = gradebook.results(ASSIGNMENT)
        assert isinstance(stored, StoredResult)
    db = connect(location)
    try:
        rows = db.execute("SELECT question, SUM(points), SUM(max_points) FROM check_results GROUP BY question "
                          "ORDER BY question")
    finally:
        db.close()
    by_question = {q.question: q for q in result.questions}
    for question, earned, available in rows:
        assert round(earned, 3) == round(by_question[question].points, 3)
        assert round(available, 3) == round(by_question[question].max_points, 3)


# --- taking grades out (autograder gradebook remove) ------------------------------------------------------
def _rows_per_table(location: str) -> dict[str, int]:
    db = connect(location)
    try:
        return {table: int(db.execute(f"SELECT COUNT(*) FROM {table}")[0][0])
                for table in ("students", "assignments", "runs", "submissions", "results", "question_scores",
                              "check_results", "reasons", "cell_problems", "figures")}
    finally:
        db.close()


def _two_runs(gradebook: Gradebook) -> tuple[int, int]:
    """kim and lee graded in run 1; lee re-graded and park graded in run 2; kim's other assignment in run 3."""
    first = _start(gradebook)
    for student in ("kim", "lee"):
        gradebook.record(first, ASSIGNMENT, key_of(student), make_result(student), fingerprint="fp-1")
    second = _start(gradebook)
    gradebook.record(second, ASSIGNMENT, key_of("lee", 1), make_result("lee", 1), fingerprint="fp-2")
    gradebook.record(second, ASSIGNMENT, key_of("park"), make_result("park"), fingerprint="fp-2")
    third = _start(gradebook, "mnist_cnn")
    gradebook.record(third, "mnist_cnn", key_of("kim"), make_result("kim"), fingerprint="fp-3")
    return first, second


def test_removing_a_run_brings_back_each_students_grade_before_it(location: str) -> None:
    from autograder.gradebook.removal import plan_removal, remove

    with Gradebook.open(location) as gradebook:
        first, second = _two_runs(gradebook)
        before = _rows_per_table(location)
        removal = plan_removal(gradebook, run_id=second)
        assert sorted((r.student, r.run_id) for r in removal.results) == [("lee", second), ("park", second)]
        assert removal.describe()[1] == (f"{ASSIGNMENT}: 2 recorded grade(s) of 2 student(s); left without a "
                                         "grade: park; back to their grade recorded before: lee")
        remove(gradebook, removal)
        latest = {r.key.student: r for r in gradebook.results(ASSIGNMENT)}
        assert sorted(latest) == ["kim", "lee"]
        assert latest["lee"].run_id == first and latest["lee"].result == make_result("lee")
        assert [r.id for r in gradebook.runs(ASSIGNMENT)] == [first]
        assert gradebook.latest("mnist_cnn", "kim") is not None  # another assignment is untouched
    after = _rows_per_table(location)
    one = make_result("park")  # what one result is made of, row by row
    per_result = {"question_scores": len(one.questions), "check_results": sum(len(q.checks) for q in one.questions),
                  "reasons": len(one.reasons), "cell_problems": len(one.cells), "figures": len(one.figures)}
    assert {t: before[t] - after[t] for t in per_result} == {t: 2 * n for t, n in per_result.items()}
    assert (before["results"] - after["results"], before["runs"] - after["runs"]) == (2, 1)
    assert before["submissions"] - after["submissions"] == 2  # lee's second notebook and park's
    assert before["students"] - after["students"] == 1  # park has nothing left; lee and kim stay
    assert after["assignments"] == 2


def test_removing_a_student_takes_every_grade_of_theirs_and_only_theirs(location: str) -> None:
    from autograder.gradebook.removal import plan_removal, remove

    with Gradebook.open(location) as gradebook:
        _two_runs(gradebook)
        with pytest.raises(GradebookError, match=r"no grade of student 'choi' for tensor_ops; students recorded for "
                                                 r"tensor_ops: kim, lee, park"):
            plan_removal(gradebook, student="choi", assignment=ASSIGNMENT)
        with pytest.raises(GradebookError, match=r"has no run 99; recorded runs: 1, 2, 3"):
            plan_removal(gradebook, run_id=99)
        only_here = plan_removal(gradebook, student="KIM", assignment=ASSIGNMENT)  # case aside, one student
        assert [(r.assignment, r.student) for r in only_here.results] == [(ASSIGNMENT, "kim")]
        remove(gradebook, only_here)
        assert {r.key.student for r in gradebook.results(ASSIGNMENT)} == {"lee", "park"}
        assert gradebook.latest("mnist_cnn", "kim") is not None
        everywhere = plan_removal(gradebook, student="lee")
        assert len(everywhere.results) == 2 and dict(everywhere.emptied) == {ASSIGNMENT: ("lee",)}
        remove(gradebook, everywhere)
        assert {r.key.student for r in gradebook.results(ASSIGNMENT)} == {"park"}
        assert gradebook.history(ASSIGNMENT, "lee") == []
        assert len(gradebook.runs(ASSIGNMENT)) == 2  # runs stay: they still record what was run
    rows = _rows_per_table(location)
    assert (rows["students"], rows["submissions"], rows["results"]) == (2, 2, 2)  # kim (mnist_cnn) and park
