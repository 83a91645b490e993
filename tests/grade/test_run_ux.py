"""A newcomer's first runs: what a log shows, a narrow terminal, exit codes and warnings, trial runs, a skipped
question, a Canvas download, late rules changed after grading, TensorFlow's banners.

Real runs of the demo course (tests/conftest.py make_course) through ``autograder.cli.main`` or ``grade.main``,
real sandboxes, a real SQLite gradebook.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from rich.console import Console

from autograder import grade
from autograder.cli import main as cli
from autograder.grade import SCRATCH
from autograder.grade.output import print_summary, progress_line
from autograder.report.rebuild import report
from autograder.results import CheckResult, SubmissionResult, score_questions
from tests.conftest import (
    GOOD_ADD,
    GOOD_RELU,
    WRONG_ADD,
    course_gradebook,
    course_with_submissions,
    make_course,
    write_notebook,
)

SKIPPING_CHECK = '''

@check("q3", weight=1)
def accuracy_with_weights(nb):
    from autograder.errors import CheckSkipped

    raise CheckSkipped("check.no_pretrained_weights", name="demo_weights.h5", what="the accuracy")
'''


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages on one line each, however long the test's paths (Rich wraps at the console's width)."""
    monkeypatch.setenv("COLUMNS", "400")




def _rows(path: Path) -> dict[str, dict[str, str]]:
    return {row["student"]: row for row in csv.DictReader(path.open(encoding="utf-8", newline=""))}


def _say(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    return " ".join((captured.out + captured.err).split())


# -- what a log shows ---------------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_log_gets_one_line_per_finished_submission_before_the_table(tmp_path: Path) -> None:
    config, folder = course_with_submissions(tmp_path, {"kim": (GOOD_RELU, GOOD_ADD), "lee": (GOOD_RELU, WRONG_ADD)})
    out = io.StringIO()  # not a terminal, as in a log, make or CI
    grade.main(assignment="demo", inputs=[folder], config_path=config, console=Console(file=out, width=200),
               options=grade.RunOptions(workers=1))
    text = out.getvalue()
    kim = re.search(r"^kim: graded 8/8 \((\d+\.\d) s\)$", text, re.MULTILINE)
    lee = re.search(r"^lee: graded 4/8 \((\d+\.\d) s\)$", text, re.MULTILINE)
    assert kim and lee, text
    assert max(kim.start(), lee.start()) < text.index("grades")  # as they finish, not only in the final table
    assert float(kim.group(1)) > 0


def test_a_progress_line_shows_a_student_id_as_itself() -> None:
    checks = [CheckResult("q1", "c", 1, False, "passed"), CheckResult("q2", "c", 1, False, "skipped",
                                                                       "check.no_pretrained_weights")]
    result = SubmissionResult("kim[bold]x[/]", "x.ipynb", "graded", score_questions(checks, {"q1": 2, "q2": 1}),
                              seconds=3.25)
    out = io.StringIO()
    Console(file=out, width=200).print(progress_line(result), highlight=False)
    assert out.getvalue() == "kim[bold]x[/]: graded 2/2 (3.2 s), skipped: q2\n"


# -- a narrow terminal --------------------------------------------------------------------------------------

def _results(points: dict[str, float], students: list[str]) -> list[SubmissionResult]:
    results = []
    for n, student in enumerate(students):
        checks = [CheckResult(q, f"check_{q}", 1, False, "failed" if (i + n) % 3 == 0 else "passed")
                  for i, q in enumerate(points)]
        results.append(SubmissionResult(student, f"{student}.ipynb", "out_of_memory" if n else "graded",
                                        score_questions(checks, points), seconds=123.4))
    return results


@pytest.mark.parametrize("questions", [2, 5, 7])
def test_at_80_columns_student_total_and_status_stay_visible(questions: int) -> None:
    points = {f"q{i}": float(i) for i in range(1, questions + 1)}
    students = ["kim_minji_2024123456_section_b", "lee_junho", "park_seoyeon_exchange_student_2024_fall"]
    results = _results(points, students)
    out = io.StringIO()
    print_summary(results, "en", Console(file=out, width=80), points=points)
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 80
    for result in results:
        row = next(line for line in lines if line.startswith("│ " + result.student[:8]))
        cells = [cell.strip() for cell in row.strip("│").split("│")]
        assert f"{result.points:g}/{result.max_points:g}" in cells, row
        assert result.status in cells, row
        shown = cells[0].rstrip("…")
        assert result.student.startswith(shown) and len(shown) >= 8, row
    assert "…" not in "".join(line for line in lines if "total" in line)  # no header cut either


# -- exit codes and warnings --------------------------------------------------------------------------------

def test_an_empty_input_folder_is_an_error_that_says_what_to_give(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    config = make_course(tmp_path / "course")
    (tmp_path / "empty").mkdir()
    assert cli(["--config", str(config), "grade", "demo", str(tmp_path / "empty")]) == 2
    said = _say(capsys)
    assert f"{tmp_path / 'empty'}: no submissions found" in said and ".ipynb files" in said
    assert not (config.parent / "gradebook.sqlite").exists()  # refused before anything was recorded


def test_regrade_question_without_whom_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config, folder = course_with_submissions(tmp_path, {"kim": (GOOD_RELU,)})
    assert cli(["--config", str(config), "grade", "demo", str(folder), "--regrade-question", "q1"]) == 2
    said = _say(capsys)
    assert "--regrade-question" in said and "add --regrade (everyone) or --regrade-student ID" in said
    assert not (config.parent / "gradebook.sqlite").exists()


def test_unknown_regrade_questions_and_students_are_errors_naming_the_known_ones(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config, folder = course_with_submissions(tmp_path, {"kim": (GOOD_RELU,), "lee": (GOOD_RELU,)})
    assert cli(["--config", str(config), "grade", "demo", str(folder), "--regrade", "--regrade-question", "q9"]) == 2
    assert "no question q9 in this assignment; its questions are q1, q2" in _say(capsys)
    assert cli(["--config", str(config), "grade", "demo", str(folder), "--regrade-student", "choi"]) == 2
    assert "no submission of choi in the inputs; use a student id as the run names it: kim, lee" in _say(capsys)
    assert not (config.parent / "gradebook.sqlite").exists()


@pytest.mark.slow
def test_empty_inputs_and_roster_students_without_a_submission_are_named(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config, folder = course_with_submissions(tmp_path, {"s001": (GOOD_RELU, GOOD_ADD)})
    (tmp_path / "empty").mkdir()
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email\ns001,Kim Minji,k@x\ns002,Lee Junho,l@x\ns003,Park,p@x\n", encoding="utf-8")
    assert cli(["--config", str(config), "grade", "demo", str(folder), str(tmp_path / "empty"),
                "--roster", str(roster), "--workers", "1"]) == 0
    said = _say(capsys)
    assert f"warning: {tmp_path / 'empty'}: no submissions found in it" in said
    assert f"in the roster {roster} but no submission (2): s002, s003" in said


# -- trial runs ---------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_dry_run_writes_outputs_to_a_printed_folder_and_records_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config, folder = course_with_submissions(tmp_path, {"kim": (GOOD_RELU, GOOD_ADD), "lee": (GOOD_RELU, WRONG_ADD)})
    assert cli(["--config", str(config), "grade", "demo", str(folder), "--dry-run", "--workers", "1"]) == 0
    said = _say(capsys)
    shown = re.search(r"results: (\S+)", said)
    assert shown is not None, said
    out = Path(shown.group(1))
    try:
        assert out.parent == Path(tempfile.gettempdir()) and out.name.startswith("autograder-dry-run-demo-")
        assert {k: r["total"] for k, r in _rows(out / "grades.csv").items()} == {"kim": "8", "lee": "4"}
        assert (out / "feedback" / "kim.html").is_file() and (out / "kim.json").is_file()
        assert "dry run: nothing was recorded in the gradebook" in said
        assert not (config.parent / "gradebook.sqlite").exists()  # not even created
        assert not (config.parent / "results").exists()
    finally:
        for path in sorted(out.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        out.rmdir()
    chosen = tmp_path / "trial"
    assert cli(["--config", str(config), "grade", "demo", str(folder), "--dry-run", "--output", str(chosen)]) == 0
    assert _rows(chosen / "grades.csv")["kim"]["total"] == "8"
    assert not (config.parent / "gradebook.sqlite").exists()
    assert not list(Path(tempfile.gettempdir()).glob(f"{SCRATCH}*"))  # the scratch gradebooks are gone
    assert cli(["--config", str(config), "grade", "demo", str(folder)]) == 0  # the real run grades everyone
    with course_gradebook(config) as book:
        assert {r.key.student for r in book.results("demo")} == {"kim", "lee"}
        assert len(book.runs("demo")) == 1


# -- a question whose check raises CheckSkipped ------------------------------------------------------------

@pytest.mark.slow
def test_a_skipped_question_says_so_in_the_table_grades_csv_and_feedback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config, folder = course_with_submissions(tmp_path, {"kim": (GOOD_RELU, GOOD_ADD), "lee": (GOOD_RELU, WRONG_ADD)})
    checks = config.parent / "solutions" / "demo" / "public_checks.py"
    checks.write_text(checks.read_text() + SKIPPING_CHECK)
    config.write_text(config.read_text().replace("points: {q1: 4, q2: 4}", "points: {q1: 4, q2: 4, q3: 2}"))
    assert cli(["--config", str(config), "grade", "demo", str(folder), "--workers", "1"]) == 0
    captured = capsys.readouterr().err
    kim = next(line for line in captured.splitlines() if line.startswith("│ kim"))
    assert [c.strip() for c in kim.strip("│").split("│")][1:5] == ["4/4", "4/4", "skipped", "8/8*"]
    said = " ".join(captured.split())
    assert ("q3 (2 points) skipped in 2 of 2 submissions: Not checked: the pretrained weights `demo_weights.h5` "
            "are not available") in said
    assert "* totals out of 8 instead of 10" in said
    results = config.parent / "results" / "demo"
    rows = _rows(results / "grades.csv")
    assert (rows["kim"]["q3"], rows["kim"]["total"], rows["kim"]["max"]) == ("0", "8", "8")
    assert rows["lee"]["skipped"].startswith("q3: Not checked: the pretrained weights `demo_weights.h5`")
    page = (results / "feedback" / "kim.html").read_text(encoding="utf-8")
    q3 = page[page.index('id="question-q3"'):]
    assert "were skipped (why: in the table below)" in q3 and "Every check passed." not in q3
    assert "Not checked: the pretrained weights" in q3
    q2 = page[page.index('id="question-q2"'):page.index('id="question-q3"')]
    assert "Every check passed." in q2 and "skipped" not in q2


# -- a Canvas download --------------------------------------------------------------------------------------

def _canvas_zip(path: Path) -> Path:
    good = nbformat.writes(new_notebook(cells=[new_code_cell(GOOD_RELU), new_code_cell(GOOD_ADD)])).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in [("kimminji_12345_900001_hw1.ipynb", good), ("kimminji_12345_900001_helpers.py", b"x=1"),
                           ("leejunho_LATE_23456_900002_hw1.py", b"print(1)"),
                           ("parkseoyeon_34567_text.html", b"<p>see attached</p>"),
                           ("choiyuna_45678_link.html", b"<a href='x'>x</a>"),
                           ("hanjisu_56789_900003_report", b"no extension")]:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 11, 20, 10, 0, 0)), data)
    return path


@pytest.mark.slow
def test_a_canvas_download_is_read_whatever_the_files_are_and_canvas_csv_uses_the_id_column(tmp_path: Path) -> None:
    config = make_course(tmp_path / "course")
    config.write_text(config.read_text().replace(
        "points: {q1: 4, q2: 4}", "points: {q1: 4, q2: 4}\n    canvas_column: \"HW1: tensor ops (778899)\""))
    export = _canvas_zip(tmp_path / "submissions.zip")
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email\n2026001,hanjisu,h@x\n", encoding="utf-8")  # the roster's id for one
    summary = grade.main(assignment="demo", inputs=[export], config_path=config,
                         options=grade.RunOptions(workers=1, roster=roster))
    assert {r.student: r.status for r in summary.results} == {
        "12345": "graded", "23456": "invalid", "34567": "invalid", "45678": "invalid", "2026001": "invalid"}
    rows = list(csv.reader((config.parent / "results" / "demo" / "canvas.csv").open(encoding="utf-8", newline="")))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "HW1: tensor ops (778899)"]
    by_name = {row[0]: row for row in rows[2:]}
    assert by_name["kimminji"] == ["kimminji", "12345", "", "", "", "8"]  # Canvas' import matches on ID
    assert by_name["parkseoyeon"][1:3] == ["34567", ""]
    assert by_name["hanjisu"][1:3] == ["", "2026001"]  # a roster id is not a Canvas user id
    config.write_text(config.read_text() + "canvas_id_column: SIS Login ID\n")
    report(assignment="demo", config_path=config)
    rows = list(csv.reader((config.parent / "results" / "demo" / "canvas.csv").open(encoding="utf-8", newline="")))
    assert {row[0]: row[1:4] for row in rows[2:]}["kimminji"] == ["", "", "12345"]


# -- late rules changed after grading ----------------------------------------------------------------------

def _gradescope_metadata(folder: Path, created: dict[str, str]) -> None:
    metadata = ""
    for number, (student, when) in enumerate(created.items(), 111):
        metadata += (f"submission_{number}:\n  :submitters:\n  - :name: {student}\n    :sid: {student}\n"
                     f"  :created_at: {when}\n")
    (folder / "submission_metadata.yml").write_text(metadata)


@pytest.mark.slow
def test_a_kept_grade_gets_the_late_penalty_of_todays_rules_and_times_without_being_graded_again(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_course(tmp_path / "course")
    rules = "points: {q1: 4, q2: 4}\n    due: 2026-11-20T23:59:00+09:00\n    late_penalty_per_day: 0.25"
    config.write_text(config.read_text().replace("points: {q1: 4, q2: 4}", rules))
    export = tmp_path / "export"
    for number in (111, 112):
        write_notebook(export / f"submission_{number}" / "hw.ipynb", GOOD_RELU, GOOD_ADD)
    _gradescope_metadata(export, {"k1": "2026-11-20 20:00:00 +0900", "l2": "2026-11-22 09:00:00 +0900"})
    assert cli(["--config", str(config), "grade", "demo", str(export), "--workers", "1"]) == 0
    with course_gradebook(config) as book:
        first = {r.key.student: r for r in book.results("demo")}
    assert (first["k1"].late_penalty, first["l2"].late_penalty) == (0.0, 0.5)
    config.write_text(config.read_text().replace("late_penalty_per_day: 0.25", "late_penalty_per_day: 0.1"))
    _gradescope_metadata(export, {"k1": "2026-11-21 10:00:00 +0900", "l2": "2026-11-22 09:00:00 +0900"})
    capsys.readouterr()
    assert cli(["--config", str(config), "grade", "demo", str(export)]) == 0
    said = _say(capsys)
    assert "2 unchanged submission(s) kept their recorded grade" in said
    assert "2 of them recorded again with a new submission time or late penalty (not graded again)" in said
    with course_gradebook(config) as book:
        now = {r.key.student: r for r in book.results("demo")}
    assert now["k1"].key.submitted_at == "2026-11-21T01:00:00+00:00"
    assert (now["k1"].late_penalty, now["k1"].final_points) == (0.1, 7.2)  # 10 h late: one started day
    assert (now["l2"].late_penalty, now["l2"].final_points) == (0.2, 6.4)
    for student in ("k1", "l2"):  # the same grade, not graded again: same timings, same output, same fingerprint
        assert now[student].result == first[student].result
        assert now[student].fingerprint == first[student].fingerprint
    rows = _rows(config.parent / "results" / "demo" / "grades.csv")
    assert (rows["k1"]["late_penalty"], rows["k1"]["final"]) == ("0.1", "7.2")
    capsys.readouterr()
    assert cli(["--config", str(config), "grade", "demo", str(export)]) == 0  # nothing changed: nothing recorded
    assert "recorded again" not in _say(capsys)
    with course_gradebook(config) as book:
        assert len(book.history("demo", "k1")) == 2


# -- TensorFlow's banners -----------------------------------------------------------------------------------

TF_CHECK = '''

@check("q2", weight=1)
def tensorflow_in_the_grader(nb):
    import tensorflow as tf

    expect.array_close(tf.constant([1.0, 2.0]).numpy(), np.array([1.0, 2.0]), "tf.constant([1.0, 2.0])")
'''


@pytest.mark.slow
def test_a_check_that_imports_tensorflow_prints_no_tensorflow_banners(tmp_path: Path) -> None:
    config, folder = course_with_submissions(tmp_path, {"kim": (GOOD_RELU, GOOD_ADD)})
    checks = config.parent / "solutions" / "demo" / "public_checks.py"
    checks.write_text(checks.read_text() + textwrap.dedent(TF_CHECK))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    done = subprocess.run([sys.executable, "-m", "autograder.cli", "--config", str(config), "grade", "demo",
                           str(folder), "--workers", "1"], capture_output=True, text=True, env=env, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "kim: graded 8/8" in done.stderr  # the TensorFlow check ran and passed
    assert "oneDNN" not in done.stderr and "cpu_feature_guard" not in done.stderr, done.stderr
