"""Bulk grading: parallel workers, resumable runs (kill -9 included), re-grades, clean Ctrl-C, LMS times."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder import grade
from autograder.cli import main as cli
from autograder.gradebook import Gradebook
from tests.conftest import GOOD_ADD, GOOD_RELU, WRONG_ADD, make_course, write_notebook

SLOW_CELL = "import time\ntime.sleep(1.5)"


def _course(root: Path, students: dict[str, tuple[str, ...]]) -> tuple[Path, Path]:
    config = make_course(root / "course")
    folder = root / "submissions"
    for student, cells in students.items():
        write_notebook(folder / f"{student}.ipynb", *cells)
    return config, folder


def _book(config: Path) -> Gradebook:
    return Gradebook.open(config.parent / "gradebook.sqlite")


def _graded_counts(config: Path) -> dict[str, int]:
    with _book(config) as book:
        return {r.key.student: len(book.history("demo", r.key.student)) for r in book.results("demo")}


@pytest.mark.slow
def test_a_second_run_grades_only_what_changed(tmp_path: Path) -> None:
    config, folder = _course(tmp_path, {"kim": (GOOD_RELU, GOOD_ADD), "lee": (GOOD_RELU, WRONG_ADD),
                                        "park": ("x = 1",)})
    first = grade.main(assignment="demo", inputs=[folder], config_path=config)
    assert {r.student: r.points for r in first.results} == {"kim": 8.0, "lee": 4.0, "park": 0.0}
    again = grade.main(assignment="demo", inputs=[folder], config_path=config)
    assert {r.student: r.points for r in again.results} == {"kim": 8.0, "lee": 4.0, "park": 0.0}
    assert _graded_counts(config) == {"kim": 1, "lee": 1, "park": 1}  # nothing graded twice
    write_notebook(folder / "lee.ipynb", GOOD_RELU, GOOD_ADD)  # a fixed submission
    grade.main(assignment="demo", inputs=[folder], config_path=config)
    assert _graded_counts(config) == {"kim": 1, "lee": 2, "park": 1}
    checks = config.parent / "solutions" / "demo" / "hidden_checks.py"
    checks.write_text(checks.read_text() + "\n# a fixed check\n")  # the checks changed: everyone again
    grade.main(assignment="demo", inputs=[folder], config_path=config)
    assert _graded_counts(config) == {"kim": 2, "lee": 3, "park": 2}
    with _book(config) as book:
        assert book.latest("demo", "lee").result.points == 8.0  # type: ignore[union-attr]
        assert [run.status for run in book.runs("demo")] == ["finished"] * 4


@pytest.mark.slow
def test_regrade_one_student_or_one_question(tmp_path: Path) -> None:
    config, folder = _course(tmp_path, {"kim": (GOOD_RELU, GOOD_ADD), "lee": (GOOD_RELU, WRONG_ADD)})
    assert cli(["--config", str(config), "grade", "demo", str(folder), "--workers", "1"]) == 0
    assert cli(["--config", str(config), "grade", "demo", str(folder), "--regrade-student", "lee"]) == 0
    assert _graded_counts(config) == {"kim": 1, "lee": 2}
    assert cli(["--config", str(config), "grade", "demo", str(folder), "--regrade",
                "--regrade-question", "q2"]) == 0
    assert _graded_counts(config) == {"kim": 2, "lee": 3}
    with _book(config) as book:
        lee = book.latest("demo", "lee")
        assert lee is not None
        assert [(q.question, q.points) for q in lee.result.questions] == [("q1", 4.0), ("q2", 0.0)]
        assert [c.question for q in lee.result.questions for c in q.checks].count("q1") == 2  # kept from before


@pytest.mark.slow
def test_parallel_workers_give_the_same_grades(tmp_path: Path) -> None:
    students = {f"s{i}": ((GOOD_RELU, GOOD_ADD) if i % 2 else (GOOD_RELU, WRONG_ADD)) for i in range(6)}
    config, folder = _course(tmp_path, students)
    (folder / "broken.ipynb").write_text("{not json")
    serial = grade.main(assignment="demo", inputs=[folder], config_path=config,
                        options=grade.RunOptions(workers=1, gradebook=str(tmp_path / "serial.sqlite")))
    parallel = grade.main(assignment="demo", inputs=[folder], config_path=config,
                          options=grade.RunOptions(workers=3, gradebook=str(tmp_path / "parallel.sqlite")))
    assert [(r.student, r.points, r.status) for r in serial.results] == \
        [(r.student, r.points, r.status) for r in parallel.results]
    assert {r.student: r.status for r in parallel.results}["broken"] == "invalid"
    with Gradebook.open(tmp_path / "parallel.sqlite") as book:
        assert book.runs("demo")[0].workers == 3


def _start(config: Path, folder: Path, *extra: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "autograder.cli", "--config", str(config), "grade", "demo", str(folder),
               *extra]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=Path(__file__).parent.parent)


def _wait_for_results(config: Path, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (config.parent / "gradebook.sqlite").exists() and len(_graded_counts(config)) >= count:
            return
        time.sleep(0.2)
    raise AssertionError(f"fewer than {count} results after {timeout} s")


@pytest.mark.slow
def test_a_run_killed_with_sigkill_resumes_without_grading_twice(tmp_path: Path) -> None:
    students = {f"s{i}": (SLOW_CELL, GOOD_RELU, GOOD_ADD) for i in range(5)}
    config, folder = _course(tmp_path, students)
    process = _start(config, folder, "--workers", "1")
    _wait_for_results(config, 2)
    process.kill()  # kill -9: no clean-up at all
    process.wait()
    done_before = _graded_counts(config)
    assert 2 <= len(done_before) < 5
    assert cli(["--config", str(config), "grade", "demo", str(folder), "--workers", "2"]) == 0
    counts = _graded_counts(config)
    assert counts == {student: 1 for student in students}  # the rest graded, nothing twice
    for base in (Path("/sys/fs/cgroup/memory/autograder"), Path("/sys/fs/cgroup/autograder")):
        if base.is_dir():  # the killed grader's control groups were cleared by the next run
            assert not list(base.glob(f"sandbox-{process.pid}-*"))
    with _book(config) as book:
        assert book.runs("demo")[0].status == "running"  # the killed run never finished
        assert all(r.result.points == 8.0 for r in book.results("demo"))


@pytest.mark.slow
def test_ctrl_c_stops_after_the_submissions_in_flight(tmp_path: Path) -> None:
    students = {f"s{i}": (SLOW_CELL, GOOD_RELU, GOOD_ADD) for i in range(6)}
    config, folder = _course(tmp_path, students)
    process = _start(config, folder, "--workers", "2")
    _wait_for_results(config, 1)
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 1, output.decode()  # not every submission has a row yet
    assert b"run the same command again" in output
    partial = _graded_counts(config)
    assert 1 <= len(partial) < 6 and set(partial.values()) == {1}
    with _book(config) as book:
        assert book.runs("demo")[-1].status == "interrupted"
    assert cli(["--config", str(config), "grade", "demo", str(folder)]) == 0
    assert _graded_counts(config) == {student: 1 for student in students}


@pytest.mark.slow
def test_late_penalties_use_the_lms_time_stamps(tmp_path: Path) -> None:
    config = make_course(tmp_path / "course")
    config.write_text(config.read_text().replace(
        "points: {q1: 4, q2: 4}",
        "points: {q1: 4, q2: 4}\n    due: 2026-11-20T23:59:00+09:00\n    late_penalty_per_day: 0.25"))
    export = tmp_path / "export"
    for number in ("111", "222"):
        write_notebook(export / f"submission_{number}" / "hw.ipynb", GOOD_RELU, GOOD_ADD)
    (export / "submission_metadata.yml").write_text(
        "submission_111:\n  :submitters:\n  - :name: Kim\n    :sid: k1\n  :created_at: 2026-11-20 20:00:00 +0900\n"
        "submission_222:\n  :submitters:\n  - :name: Lee\n    :sid: l2\n  :created_at: 2026-11-22 09:00:00 +0900\n")
    grade.main(assignment="demo", inputs=[export], config_path=config)
    with Gradebook.open(config.parent / "gradebook.sqlite") as book:
        stored = {r.key.student: r for r in book.results("demo")}
    assert (stored["k1"].late_penalty, stored["k1"].final_points) == (0.0, 8.0)
    assert (stored["l2"].late_penalty, stored["l2"].final_points) == (0.5, 4.0)  # 1 day 9 h late: 2 days
    assert stored["l2"].key.submitted_at == "2026-11-22T00:00:00+00:00"
