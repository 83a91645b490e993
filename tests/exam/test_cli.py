"""``autograder exam``: the thin CLI over the session, on a real gradebook (no model is loaded here: the only
submission is refused by its name, before any model host starts)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autograder.cli import main
from autograder.exam.store import open_store, submissions
from autograder.gradebook import Gradebook

EXAM = Path(__file__).resolve().parents[2] / "exam"


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
    assert "시험이 받는 파일이 아닙니다. 시험은 저장한 모델 .keras" in " ".join(capsys.readouterr().err.split())
    assert _run(tmp_path, "status") == 0
    status = capsys.readouterr().err
    assert "kim: session 1 open, 1:59:" in status or "kim: session 1 open, 2:00:00" in status
    assert "0/5 (1 submitted; last: Refused, scored 0: `notes.txt` is not a file the exam accepts" in " ".join(
        status.split())
    assert _run(tmp_path, "submit", "9", str(notes)) == 2
    assert "no category '9'" in capsys.readouterr().err
    assert _run(tmp_path, "finish", "--output", str(tmp_path / "out")) == 0
    assert "kim: 0% -> FAIL; wrote" in capsys.readouterr().err
    page = (tmp_path / "out" / "kim-1.html").read_text(encoding="utf-8")
    assert "notes.txt" in page and "FAIL" in page
    assert _run(tmp_path, "submit", "1", str(notes), "--candidate", "kim") == 1
    assert "was finished at" in capsys.readouterr().err
    assert _run(tmp_path, "start", "--candidate", "lee") == 0
    capsys.readouterr()
    assert _run(tmp_path, "class") == 0  # the instructor's view: every session, in order
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t")[:4] == ["candidate", "session", "state", "category1"]
    assert [line.split("\t")[:3] for line in lines[1:]] == [["kim", "1", "finished"], ["lee", "2", "open"]]
    assert lines[1].split("\t")[-2:] == ["0", "fail"]
    assert _run(tmp_path, "--lang", "ko", "class", "--report", str(tmp_path / "class")) == 0
    assert "report.html" in capsys.readouterr().err
    html = (tmp_path / "class" / "report.html").read_text(encoding="utf-8")
    assert "시험 카테고리" in html and "kim" in html and "lee" not in html  # lee's session is not finished
    db = open_store(tmp_path / "gb.sqlite")
    assert [(s.category, s.status, s.key) for s in submissions(db, 1)] == [("category1", "refused",
                                                                            "exam.file_kind")]
    (row,) = Gradebook(db).results("tf-certificate-practice")
    assert row.key.student == "kim" and row.result.points == 0 and row.result.max_points == 25
    assert [q.checks[0].key for q in row.result.questions] == ["exam.file_kind"] + ["exam.not_submitted"] * 4
    db.close()


@pytest.mark.slow
def test_a_model_submitted_from_the_command_line_is_scored_in_the_host(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    import keras

    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    model.set_weights([np.array([[2.0]], np.float32), np.array([-0.9], np.float32)])  # MAE 0.1 on any x
    model.save(tmp_path / "mymodel.keras")
    model.save(tmp_path / "mymodel.h5")
    assert _run(tmp_path, "start", "--candidate", "park") == 0
    assert _run(tmp_path, "submit", "category1", str(tmp_path / "mymodel.keras")) == 0
    assert "1. A basic model (regression on generated data): 3/5 (0.1000)" in capsys.readouterr().err
    assert _run(tmp_path, "--lang", "ko", "submit", "1", str(tmp_path / "mymodel.h5")) == 0  # the legacy format
    assert "1. 기본 모델 (생성한 데이터의 회귀): 3/5 (0.1000)" in capsys.readouterr().err
    assert _run(tmp_path, "calibrate", "1", str(tmp_path / "mymodel.keras")) == 0  # as if it were the reference
    said = " ".join(capsys.readouterr().err.split())
    assert "category1: the reference measured mae 0.1000 on the hidden data" in said
    assert "rule: {kind: levels, goal: min, reference: 0.1, margin: 1, step: 4, floor: 0.01}" in said
    assert "thresholds: 51.2, 12.8, 3.2, 0.8, 0.2" in said
