"""`autograder gradebook runs` and `autograder gradebook remove`: a trial run's or a test account's grades taken
out of the class gradebook, with a question first, and the outputs rebuilt as `autograder report` does.

Real runs of the demo course through ``autograder.cli.main``, a real SQLite gradebook.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from autograder.cli import main as cli
from autograder.gradebook import Gradebook
from tests.conftest import GOOD_ADD, GOOD_RELU, WRONG_ADD, make_course, write_notebook


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages on one line each, however long the test's paths (Rich wraps at the console's width)."""
    monkeypatch.setenv("COLUMNS", "400")


def _say(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    return " ".join((captured.out + captured.err).split())


def _grades(results: Path) -> dict[str, str]:
    rows = csv.DictReader((results / "grades.csv").open(encoding="utf-8", newline=""))
    return {row["student"]: row["total"] for row in rows}


def _answer(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


@pytest.mark.slow
def test_a_run_and_a_student_are_taken_out_after_a_question_and_the_outputs_follow(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    config = make_course(tmp_path / "course")
    folder = tmp_path / "submissions"
    write_notebook(folder / "kim.ipynb", GOOD_RELU, GOOD_ADD)
    write_notebook(folder / "lee.ipynb", GOOD_RELU, WRONG_ADD)
    write_notebook(folder / "teacher_test.ipynb", GOOD_RELU, GOOD_ADD)
    base = ["--config", str(config)]
    assert cli([*base, "grade", "demo", str(folder), "--workers", "1"]) == 0
    write_notebook(folder / "lee.ipynb", GOOD_RELU, GOOD_ADD)  # lee fixes q2: run 2 grades lee again
    assert cli([*base, "grade", "demo", str(folder)]) == 0
    said = _say(capsys)
    assert "recorded as run 2 in the gradebook" in said and "autograder gradebook remove --run 2" in said
    results = config.parent / "results" / "demo"
    assert _grades(results) == {"kim": "8", "lee": "8", "teacher_test": "8"}

    assert cli([*base, "gradebook", "runs"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [[*line.split()[:2], line.split()[3]] for line in listed] == [["1", "demo", "finished"],
                                                                         ["2", "demo", "finished"]]
    assert "3 grade(s)" in listed[0] and "1 grade(s)" in listed[1]

    _answer(monkeypatch, "n\n")
    assert cli([*base, "gradebook", "remove", "--run", "2"]) == 1
    said = _say(capsys)
    assert "demo: 1 recorded grade(s) of 1 student(s); back to their grade recorded before: lee" in said
    assert "remove these? [y/N]" in said and "nothing removed" in said
    _answer(monkeypatch, "")  # no answer at all (a script without --yes): no
    assert cli([*base, "gradebook", "remove", "--run", "2"]) == 1
    assert _grades(results)["lee"] == "8"

    _answer(monkeypatch, "y\n")
    assert cli([*base, "gradebook", "remove", "--run", "2"]) == 0
    said = _say(capsys)
    assert "removed 1 grade(s) and run 2" in said and f"rebuilt {results}" in said
    assert _grades(results) == {"kim": "8", "lee": "4", "teacher_test": "8"}  # lee's grade of run 1 again
    with Gradebook.open(config.parent / "gradebook.sqlite") as book:
        assert [run.id for run in book.runs("demo")] == [1]

    assert cli([*base, "gradebook", "remove", "--student", "teacher_test", "--yes"]) == 0
    said = _say(capsys)
    assert "demo: 1 recorded grade(s) of 1 student(s); left without a grade: teacher_test" in said
    assert _grades(results) == {"kim": "8", "lee": "4"}
    for gone in ("feedback/teacher_test.html", "gradescope/teacher_test.json", "teacher_test.json"):
        assert not (results / gone).exists(), gone
    assert (results / "feedback" / "kim.html").is_file() and (results / "kim.json").is_file()
    assert "teacher_test" not in (results / "report.html").read_text(encoding="utf-8")
    assert "teacher_test" not in (results / "canvas.csv").read_text(encoding="utf-8")

    assert cli([*base, "gradebook", "remove", "--student", "choi", "--yes"]) == 2
    assert "has no grade of student 'choi'; students recorded: kim, lee" in _say(capsys)
    assert cli([*base, "gradebook", "remove", "--run", "7", "--yes"]) == 2
    assert "has no run 7; recorded runs: 1" in _say(capsys)
    assert cli([*base, "grade", "demo", str(folder)]) == 0  # the next run grades teacher_test again: not kept
    assert _grades(results)["teacher_test"] == "8"


def test_remove_needs_a_student_or_a_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_course(tmp_path / "course")
    with pytest.raises(SystemExit) as stopped:
        cli(["--config", str(config), "gradebook", "remove", "--yes"])
    assert stopped.value.code == 2
    assert "one of the arguments --student --run is required" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli(["--config", str(config), "gradebook", "remove", "--student", "kim", "--run", "1"])
    assert "not allowed with argument" in capsys.readouterr().err
