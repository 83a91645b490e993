"""Practice sessions are a kind of session in the exam store: the portal's untimed uploads are recorded in one,
and no timed command (``exam start``/``status``/``submit``/``finish``) ever picks it, so it never becomes the
candidate's exam result; ``exam class`` labels it. On a real gradebook file, through the real CLI."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.exam import session as exam_session
from autograder.exam import store
from autograder.exam.catalogue import load_exam
from autograder.gradebook import Gradebook

EXAM = Path(__file__).resolve().parents[2] / "exam"
MOMENT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _run(tmp_path: Path, *args: str) -> int:
    return main(["--config", str(tmp_path / "none.yaml"), "exam", "--exam-dir", str(EXAM), "--gradebook",
                 str(tmp_path / "gb.sqlite"), *args])


def _practice_with_a_score(tmp_path: Path, candidate: str) -> store.SessionRow:
    exam = load_exam(EXAM)
    db = store.open_store(tmp_path / "gb.sqlite")
    try:
        practice = store.practice_session(db, exam.config.name, candidate, MOMENT, exam.config.counts)
        again = store.practice_session(db, exam.config.name, candidate, MOMENT, exam.config.counts)
        assert again.id == practice.id  # found, not made twice
        store.add_submission(db, practice.id, "category1", MOMENT, "portal-1-mymodel.keras", "ab" * 32, 10,
                             "scored", 5, 0.01, None, {})
    finally:
        db.close()
    return practice


def test_a_practice_session_never_becomes_the_exam_result(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    practice = _practice_with_a_score(tmp_path, "kim")
    assert practice.practice and practice.kind == "practice" and practice.finished_at == MOMENT
    assert _run(tmp_path, "finish", "--candidate", "kim", "--output", str(tmp_path / "out")) == 2
    assert "no exam session for candidate 'kim'" in capsys.readouterr().err
    assert _run(tmp_path, "status", "--candidate", "kim") == 2
    assert "autograder exam start --candidate kim" in capsys.readouterr().err
    assert _run(tmp_path, "finish", "--output", str(tmp_path / "out")) == 2  # no open timed session at all
    assert "no open exam session" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()

    assert _run(tmp_path, "start", "--candidate", "kim", "--window-hours", "1") == 0  # a new timed session
    assert f"started session {practice.id + 1} for kim" in capsys.readouterr().err
    assert _run(tmp_path, "status", "--candidate", "kim") == 0
    status = capsys.readouterr().err
    assert f"session {practice.id + 1} open" in status and "0/5 (0 submitted" in " ".join(status.split())
    assert _run(tmp_path, "finish", "--candidate", "kim", "--output", str(tmp_path / "out")) == 0
    assert "kim: 0% -> FAIL" in capsys.readouterr().err  # the practice 5/5 is not counted

    db = store.open_store(tmp_path / "gb.sqlite")
    try:
        exam = load_exam(EXAM)
        (row,) = Gradebook(db).results(exam.config.name)  # one exam result: the timed session's
        assert row.key.source == f"exam session {practice.id + 1}" and row.result.points == 0
        with pytest.raises(exam_session.SessionError, match="is practice"):
            exam_session.finish(db, exam, store.session_by_id(db, practice.id), tmp_path / "out", "en")  # type: ignore[arg-type]
        kept = store.session_by_id(db, practice.id)
        assert kept is not None and kept.practice and kept.result_path == store.PRACTICE_MARK
    finally:
        db.close()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"kim-{practice.id + 1}.html"]


def test_exam_class_labels_practice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _practice_with_a_score(tmp_path, "lee")
    assert _run(tmp_path, "start", "--candidate", "park") == 0
    capsys.readouterr()
    assert _run(tmp_path, "class") == 0
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()[1:]]
    assert [(r[0], r[1], r[2], r[3], r[-1]) for r in lines] == [("lee", "1", "practice", "5", "-"),
                                                                ("park", "2", "open", "0", "fail")]
    assert _run(tmp_path, "--lang", "ko", "class", "--report", str(tmp_path / "class")) == 0
    html = (tmp_path / "class" / "report.html").read_text(encoding="utf-8")
    assert "lee" not in html  # practice writes no gradebook row


_OLD_SESSIONS = """CREATE TABLE exam_sessions (id INTEGER PRIMARY KEY, exam TEXT NOT NULL, candidate TEXT NOT NULL,
    started_at TEXT NOT NULL, deadline TEXT NOT NULL, counts TEXT NOT NULL, finished_at TEXT, result_path TEXT)"""


def test_a_gradebook_from_before_the_kind_column_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "gb.sqlite"
    store.open_store(path).close()  # a gradebook with its own schema ...
    with sqlite3.connect(path) as old:  # ... and the exam tables as the previous release wrote them
        old.execute("DROP TABLE exam_submissions")
        old.execute("DROP TABLE exam_sessions")
        old.execute("DROP TABLE exam_schema_version")
        old.execute(_OLD_SESSIONS)
        stamp = MOMENT.isoformat()
        old.execute("INSERT INTO exam_sessions (exam, candidate, started_at, deadline, counts, finished_at, "
                    "result_path) VALUES ('tf-certificate-practice', 'kim', ?, ?, 'best', ?, ?)",
                    (stamp, stamp, stamp, "portal practice (untimed)"))
        old.execute("INSERT INTO exam_sessions (exam, candidate, started_at, deadline, counts) "
                    "VALUES ('tf-certificate-practice', 'kim', ?, '2026-03-02T12:30:00+00:00', 'best')", (stamp,))
    db = store.open_store(path)
    try:
        assert store.exam_version(db) == store.EXAM_LATEST == 2
        first, second = store.all_sessions(db, "tf-certificate-practice")
        assert (first.kind, second.kind) == ("practice", "timed")
        assert store.open_sessions(db, "tf-certificate-practice", "kim") == [second]
        assert store.latest_session(db, "tf-certificate-practice", "kim") == second
        assert store.practice_session(db, "tf-certificate-practice", "kim", MOMENT, "best") == first
        assert "exam_submissions" in db.tables()
    finally:
        db.close()
    again = store.open_store(path)  # opening again applies nothing twice
    try:
        assert again.execute("SELECT COUNT(*) FROM exam_schema_version") == [(2,)]
    finally:
        again.close()
