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
from tests.conftest import GOOD_ADD, GOOD_RELU, make_course, write_notebook

REPO = Path(__file__).resolve().parent.parent
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
    config = make_course(root / "course")
    (root / "course" / "solutions" / "demo" / "hidden_checks.py").write_text(KILL_CHECK)
    folder = root / "submissions"
    for student, cells in students.items():
        write_notebook(folder / f"{student}.ipynb", *cells)
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


def _sandboxes(token: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _alive(int(entry.name)):
            try:
                uid = int((entry / "status").read_text().split("Uid:")[1].split()[0])
                environ = (entry / "environ").read_bytes().split(b"\0")
            except (OSError, IndexError):
                continue
            if uid >= process._UID_BASE and f"AUTOGRADER_RUN={token}".encode() in environ:
                found.append(int(entry.name))
    return found


@pytest.mark.slow
def test_kill_9_of_a_run_leaves_no_grader_or_sandbox_alive(tmp_path: Path) -> None:
    slow = tuple(["import time\ntime.sleep(2)"] * 12) + HONEST  # ~25 s a notebook: the run is mid-grading
    config, folder = _course(tmp_path, {f"s{i}": slow for i in range(4)})
    token = f"kill9-{os.getpid()}"
    run = subprocess.Popen([sys.executable, "-m", "autograder.cli", "--config", str(config), "grade", "demo",
                            str(folder), "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           cwd=REPO, env={**os.environ, "AUTOGRADER_RUN": token})
    try:
        deadline = time.monotonic() + 120
        while len(_sandboxes(token)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(_sandboxes(token)) >= 2, "the run never had two sandboxes running"
        below = _descendants(run.pid)
        assert len(below) >= 4  # two grader processes, their sandboxes (and multiprocessing's helper)
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
        deadline = time.monotonic() + 5
        while (any(map(_alive, below)) or _sandboxes(token)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in below if _alive(pid)], "grader processes outlived their run"
        assert not _sandboxes(token), "sandboxes outlived their run"
    finally:
        if run.poll() is None:
            run.kill()
