"""Grader processes that die: one dead grader costs only its own submission, and none outlives its run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.gradebook import Gradebook
from autograder.i18n import message
from autograder.sandbox import process
from tests.conftest import GOOD_ADD, GOOD_RELU, course_with_submissions

REPO = Path(__file__).resolve().parents[2]
KILL_CHECK = '''
import os

from autograder.checks import check


@check("q2", weight=1, hidden=True)
def grader_survives(nb):
    """Test-only: kills the grader process (not the sandbox) for the notebook that asks for it."""
    if nb.info("KILL_THE_GRADER").status == "ok":
        os._exit(3)
'''


def _course(root: Path, students: dict[str, tuple[str, ...]]) -> tuple[Path, Path]:
    config, folder = course_with_submissions(root, students)
    (root / "course" / "solutions" / "demo" / "hidden_checks.py").write_text(KILL_CHECK)
    return config, folder


def _grade(config: Path, folder: Path, *extra: str, token: str = "") -> subprocess.CompletedProcess[str]:
    """``autograder grade`` in its own process (a grader dying in-process must not take pytest with it)."""
    env = {**os.environ, "AUTOGRADER_RUN": token or f"pool-{os.getpid()}"}
    return subprocess.run([sys.executable, "-m", "autograder.cli", "--config", str(config), "grade", "demo",
                           str(folder), *extra], capture_output=True, text=True, cwd=REPO, env=env, timeout=600)


def _history(config: Path) -> dict[str, list[tuple[str, float, tuple[str, ...]]]]:
    with Gradebook.open(config.parent / "gradebook.sqlite") as book:
        return {r.key.student: [(h.result.status, h.result.points, tuple(x.key for x in h.result.reasons))
                                for h in book.history("demo", r.key.student)] for r in book.results("demo")}


HONEST = (GOOD_RELU, GOOD_ADD)
KILLER = (GOOD_RELU, GOOD_ADD, "KILL_THE_GRADER = True")


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["2", "1"])
def test_a_submission_that_kills_its_grader_costs_only_its_row(tmp_path: Path, workers: str) -> None:
    students = {"a_honest": HONEST, "b_killer": KILLER, "c_honest": HONEST, "d_honest": HONEST}
    config, folder = _course(tmp_path, students)
    run = _grade(config, folder, "--workers", workers)
    assert run.returncode == 0, run.stdout + run.stderr  # every submission has a row
    history = _history(config)
    assert set(history) == set(students)
    for student in ("a_honest", "c_honest", "d_honest"):
        assert history[student] == [("graded", 8.0, ())], history[student]  # graded once, in place
    assert history["b_killer"] == [("crashed", 0.0, ("reason.grader_killed",))]
    with Gradebook.open(config.parent / "gradebook.sqlite") as book:
        killed = book.latest("demo", "b_killer")
        assert killed is not None
        reason = killed.result.reasons[0]
    params = dict(reason.params)
    assert params["detail"] == "the grader process exited with status 3" and params["student"] == "b_killer"
    for lang in ("en", "ko"):
        assert "--regrade-student b_killer" in message(reason.key, lang, **params)

    again = _grade(config, folder, "--workers", workers)  # the next run does not try it again
    assert again.returncode == 0, again.stdout + again.stderr
    assert _history(config) == history
    forced = _grade(config, folder, "--workers", workers, "--regrade-student", "b_killer")  # unless asked
    assert forced.returncode == 0, forced.stdout + forced.stderr
    after = _history(config)
    assert after["b_killer"] == [("crashed", 0.0, ("reason.grader_killed",))] * 2
    assert {s: h for s, h in after.items() if s != "b_killer"} == \
        {s: h for s, h in history.items() if s != "b_killer"}


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` now (children through /proc)."""
    found, queue = set(), [pid]
    while queue:
        parent = queue.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    queue.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie is dead, only not yet reaped


def _sandbox_uid(pid: int) -> bool:
    """Whether ``pid`` runs as a sandbox's own uid (the student's code, warm or cold started)."""
    try:
        uid = int(Path(f"/proc/{pid}/status").read_text().split("Uid:")[1].split()[0])
    except (OSError, IndexError):
        return False
    return uid >= process._UID_BASE


@pytest.mark.slow
def test_kill_9_of_a_run_leaves_no_grader_or_sandbox_alive(tmp_path: Path) -> None:
    slow = tuple(["import time\ntime.sleep(2)"] * 12) + HONEST  # ~25 s a notebook: the run is mid-grading
    config, folder = _course(tmp_path, {f"s{i}": slow for i in range(4)})
    run = subprocess.Popen([sys.executable, "-m", "autograder.cli", "--config", str(config), "grade", "demo",
                            str(folder), "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           cwd=REPO)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            sandboxes = [pid for pid in _descendants(run.pid) if _sandbox_uid(pid) and _alive(pid)]
            if len(sandboxes) >= 2:
                break
            time.sleep(0.2)
        assert len(sandboxes) >= 2, "the run never had two sandboxes running"
        below = _descendants(run.pid)  # grader processes, their sandboxes (and helpers: templates, trackers)
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
        deadline = time.monotonic() + 5
        while any(map(_alive, below)) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [pid for pid in below if _alive(pid)]
        assert not [pid for pid in left if _sandbox_uid(pid)], "sandboxes outlived their run"
        assert not left, "grader processes outlived their run"
    finally:
        if run.poll() is None:
            run.kill()


DIES_IN_GRADERS = '''
import multiprocessing
import os

if multiprocessing.parent_process() is not None:  # test-only: a grader process dies loading the checks
    os._exit(5)
'''


@pytest.mark.slow
def test_graders_that_die_before_they_begin_blame_no_submission(tmp_path: Path) -> None:
    config, folder = _course(tmp_path, {f"s{i}": HONEST for i in range(4)})
    checks = config.parent / "solutions" / "demo" / "hidden_checks.py"
    working = checks.read_text()
    checks.write_text(DIES_IN_GRADERS + working)
    broken = _grade(config, folder, "--workers", "2")
    assert broken.returncode != 0, broken.stdout + broken.stderr  # the run stopped: graders cannot start
    history = _history(config)
    assert history, broken.stdout + broken.stderr
    for rows in history.values():
        assert rows == [("crashed", 0.0, ("reason.grader_failed",))], rows  # retried by the next run
    checks.write_text(working)  # the instructor fixes the checks: everyone is graded
    fixed = _grade(config, folder, "--workers", "2")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert {s: rows[-1][:2] for s, rows in _history(config).items()} == {f"s{i}": ("graded", 8.0) for i in range(4)}
