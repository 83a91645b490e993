"""``autograder exam``: the thin CLI over the session, on a real gradebook (no model is loaded here: the only
submission is refused by its name, before any model host starts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.cli import main
from autograder.exam.store import open_store, submissions

EXAM = Path(__file__).resolve().parents[1] / "exam"


def _run(tmp_path: Path, *args: str) -> int:
    return main(["--config", str(tmp_path / "none.yaml"), "exam", "--exam-dir", str(EXAM), "--gradebook",
                 str(tmp_path / "gb.sqlite"), *args])


def test_start_status_submit_finish(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tmp_path, "status") == 2  # no session yet: a usage error saying what to run
    assert "autograder exam start --candidate ID" in capsys.readouterr().err
    assert _run(tmp_path, "start", "--candidate", "kim", "--window-hours", "2") == 0
    assert "started session 1 for kim" in capsys.readouterr().err
    assert _run(tmp_path, "start", "--candidate", "kim") == 0
    assert "resumed session 1 for kim" in capsys.readouterr().err
    notes = tmp_path / "notes.txt"
    notes.write_text("not a model")
    assert _run(tmp_path, "--lang", "ko", "submit", "1", str(notes)) == 1
    assert "모델 파일(.keras 또는 예전 형식 .h5)이 아닙니다" in capsys.readouterr().err
    assert _run(tmp_path, "status") == 0
    status = capsys.readouterr().err
    assert "kim: session 1 open, 1:59:" in status or "kim: session 1 open, 2:00:00" in status
    assert "0/5 (1 submitted; last: Refused, scored 0: `notes.txt` is not a model file" in " ".join(status.split())
    assert _run(tmp_path, "submit", "9", str(notes)) == 2
    assert "no category '9'" in capsys.readouterr().err
    assert _run(tmp_path, "finish", "--output", str(tmp_path / "out")) == 0
    assert "kim: 0% -> FAIL; wrote" in capsys.readouterr().err
    page = (tmp_path / "out" / "kim-1.html").read_text(encoding="utf-8")
    assert "notes.txt" in page and "FAIL" in page
    assert _run(tmp_path, "submit", "1", str(notes), "--candidate", "kim") == 1
    assert "was finished at" in capsys.readouterr().err
    db = open_store(tmp_path / "gb.sqlite")
    assert [(s.category, s.status, s.key) for s in submissions(db, 1)] == [("category1", "refused",
                                                                            "exam.file_kind")]
    db.close()
