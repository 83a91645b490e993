"""Bulk grading: parallel workers, resumable runs (kill -9 included), re-grades, clean Ctrl-C, LMS times."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from autograder import grade
from autograder.cli import main as cli
from autograder.config import load_config
from autograder.grade.assignment import load_assignment
from autograder.grade.calibrate import calibrate
from autograder.grade.fingerprint import config_hash
from autograder.gradebook import Gradebook
from tests.conftest import (
    GOOD_ADD,
    GOOD_RELU,
    WRONG_ADD,
    course_gradebook,
    course_with_submissions,
    make_course,
    write_notebook,
)

SLOW_CELL = "import time\ntime.sleep(1.5)"




def _graded_counts(config: Path) -> dict[str, int]:
    with course_gradebook(config) as book:
        return {r.key.student: len(book.history("demo", r.key.student)) for r in book.results("demo")}


@pytest.mark.slow
def test_a_second_run_grades_only_what_changed(tmp_path: Path) -> None:
    config, folder = course_with_submissions(tmp_path, {"kim": (GOOD_RELU, GOOD_ADD), "lee": (GOOD_RELU, WRONG_ADD),
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
    with course_gradebook(config) as book:
        assert book.latest("demo", "lee").result.points == 8.0  # type: ignore[union-attr]
        assert [run.status for run in book.runs("demo")] == ["finished"] * 4


@pytest.mark.slow
def test_regrade_one_student_or_one_question(tmp_path: Path) -> None:
    config, folder = course_with_submissions(tmp_path, {"kim": (GOOD_RELU, GOOD_ADD), "lee": (GOOD_RELU, WRONG_ADD)})
    assert cli(["--config", str(config), "grade", "demo", str(folder), "--workers", "1"]) == 0
    assert cli(["--config", str(config), "grade", "demo", str(folder), "--regrade-student", "lee"]) == 0
    assert _graded_counts(config) == {"kim": 1, "lee": 2}
    assert cli(["--config", str(config), "grade", "demo", str(folder), "--regrade",
                "--regrade-question", "q2"]) == 0
    assert _graded_counts(config) == {"kim": 2, "lee": 3}
    with course_gradebook(config) as book:
        lee = book.latest("demo", "lee")
        assert lee is not None
        assert [(q.question, q.points) for q in lee.result.questions] == [("q1", 4.0), ("q2", 0.0)]
        assert [c.question for q in lee.result.questions for c in q.checks].count("q1") == 2  # kept from before


@pytest.mark.slow
def test_parallel_workers_give_the_same_grades(tmp_path: Path) -> None:
    students = {f"s{i}": ((GOOD_RELU, GOOD_ADD) if i % 2 else (GOOD_RELU, WRONG_ADD)) for i in range(6)}
    config, folder = course_with_submissions(tmp_path, students)
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
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            cwd=Path(__file__).resolve().parents[2])


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
    config, folder = course_with_submissions(tmp_path, students)
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
    with course_gradebook(config) as book:
        assert book.runs("demo")[0].status == "running"  # the killed run never finished
        assert all(r.result.points == 8.0 for r in book.results("demo"))


@pytest.mark.slow
def test_ctrl_c_stops_after_the_submissions_in_flight(tmp_path: Path) -> None:
    students = {f"s{i}": (SLOW_CELL, GOOD_RELU, GOOD_ADD) for i in range(6)}
    config, folder = course_with_submissions(tmp_path, students)
    process = _start(config, folder, "--workers", "2")
    _wait_for_results(config, 1)
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 1, output.decode()  # not every submission has a row yet
    assert b"run the same command again" in output
    partial = _graded_counts(config)
    assert 1 <= len(partial) < 6 and set(partial.values()) == {1}
    with course_gradebook(config) as book:
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


TRAINING_NOTEBOOK = (
    "import numpy as np\nimport keras\n",
    textwrap.dedent("""\
        rng = np.random.default_rng(0)
        x = rng.random(size=(1000, 28, 28, 1)).astype("float32")
        y = (x[:, :14, :14, 0].mean(axis=(1, 2)) > 0.5).astype("int32")
        model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(16, 3, activation="relu"),
                                  keras.layers.MaxPooling2D(), keras.layers.Conv2D(32, 3, activation="relu"),
                                  keras.layers.Flatten(), keras.layers.Dense(64, activation="relu"),
                                  keras.layers.Dense(2, activation="softmax")])
        model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        history = model.fit(x, y, epochs=2, batch_size=64, verbose=0)
        final_loss = float(history.history["loss"][-1])
        """),
)
TRAINING_CHECKS = '''
from autograder.checks import expect, performance


@performance("q1", metric="training_loss", goal="min", margin=0.0)
def training_loss(nb):
    return float(expect.value_of(nb.value("final_loss"), "final_loss"))
'''


def _training_course(root: Path) -> Path:
    solutions = root / "solutions" / "train"
    solutions.mkdir(parents=True)
    (solutions / "public_checks.py").write_text(TRAINING_CHECKS)
    (solutions / "hidden_checks.py").write_text("# none\n")
    write_notebook(solutions / "train.ipynb", *TRAINING_NOTEBOOK)
    config = root / "grading_config.yaml"
    config.write_text(textwrap.dedent("""\
        language: en
        limits: {cell_time_s: 120, call_time_s: 10, wall_time_s: 300, memory_mb: 2048}
        assignments:
          train:
            points: {q1: 1}
        """))
    return config


@pytest.mark.slow
def test_the_same_training_notebook_scores_the_same_with_one_or_two_workers(tmp_path: Path) -> None:
    # Flatten into Dense: a contraction TensorFlow splits by thread, so 1 and 2 threads train differently
    config = _training_course(tmp_path)
    calibrate(assignment="train", config_path=config, seeds=[0])  # the reference: threads from the config
    folder = tmp_path / "submissions"
    for student in ("kim", "lee"):
        write_notebook(folder / f"{student}.ipynb", *TRAINING_NOTEBOOK)
    runs = {workers: grade.main(assignment="train", inputs=[folder], config_path=config,
                                options=grade.RunOptions(workers=workers, gradebook=str(tmp_path / f"w{workers}.db")))
            for workers in (1, 2)}
    measured = {workers: [(r.student, r.points, [c.measured for q in r.questions for c in q.checks])
                          for r in run.results] for workers, run in runs.items()}
    assert measured[1] == measured[2]
    assert all(points == 1.0 for _, points, _ in measured[1])  # the reference's own loss meets its threshold


def test_the_thread_count_is_part_of_the_grading_fingerprint(tmp_path: Path) -> None:
    config = make_course(tmp_path / "course")
    base = load_config(config)
    task = load_assignment(base, "demo", str(config))
    changed = base.model_copy(update={"limits": base.limits.model_copy(update={"threads": 4})})
    changed_task = load_assignment(changed, "demo", str(config))
    assert task.limits.threads == 2 and changed_task.limits.threads == 4
    assert config_hash(base, task) != config_hash(changed, changed_task)
    assert config_hash(base, task) == config_hash(base, load_assignment(base, "demo", str(config)))
