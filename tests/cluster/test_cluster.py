"""Grading on a real Dask cluster on loopback: a scheduler and two single-thread workers started here."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from autograder import grade
from autograder.cluster.executor import on_cluster
from autograder.config import load_config
from autograder.gradebook import Gradebook

ROOT = Path(__file__).resolve().parents[2]
DASK = Path(sys.executable).with_name("dask")
pytestmark = pytest.mark.slow
TINY = b"course data a worker must hold\n"


def _examples(assignment: str) -> Path:
    for folder in (ROOT / "solutions" / assignment / "examples", ROOT / "examples" / "submissions" / assignment):
        if folder.is_dir():
            return folder
    raise FileNotFoundError(assignment)


def _start(args: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(DASK), *args], stdout=log.open("ab"), stderr=subprocess.STDOUT,
                            start_new_session=True, env={**os.environ, **(env or {})}, cwd=log.parent)


def _kill(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("cluster")
    (folder / "data" / "data").mkdir(parents=True)
    (folder / "data" / "data" / "tiny.bin").write_bytes(TINY)
    scheduler_file = folder / "scheduler.json"
    processes = [_start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                         "--scheduler-file", str(scheduler_file)], folder / "scheduler.log")]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        for n in range(2):
            processes.append(_start([
                "worker", address, "--nthreads", "1", "--no-dashboard", "--resources", "MEMORY_MB=8192",
                "--local-directory", str(folder / f"w{n}"), "--name", f"w{n}"], folder / f"w{n}.log",
                env={"AUTOGRADER_DATA_DIR": str(folder / "data")}))
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in reversed(processes):
            _kill(process)


def _course(tmp: Path) -> Path:
    course = tmp / "course"
    course.mkdir()
    shutil.copytree(ROOT / "solutions" / "tensor_ops", course / "solutions" / "tensor_ops",
                    ignore=shutil.ignore_patterns("examples", "__pycache__"))
    (course / "grading_config.yaml").write_text("language: en\nlimits: {wall_time_s: 120}\n")
    return course


def test_cluster_grades_as_the_local_pool(cluster: str, tmp_path: Path) -> None:
    course = _course(tmp_path)
    config = course / "grading_config.yaml"
    local = grade.main(assignment="tensor_ops", inputs=[_examples("tensor_ops")], config_path=config,
                       output=tmp_path / "local", options=grade.RunOptions(workers=2, gradebook=str(tmp_path / "l.db")))
    remote = grade.main(assignment="tensor_ops", inputs=[_examples("tensor_ops")], config_path=config,
                        output=tmp_path / "remote",
                        options=grade.RunOptions(executor=on_cluster(cluster, load_config(config)),
                                                 gradebook=str(tmp_path / "r.db")))
    assert remote.complete and len(remote.results) == len(local.results) >= 4

    def grades(summary: grade.RunSummary) -> dict[str, object]:
        return {r.student: (r.status, [(q.question, q.points) for q in r.questions]) for r in summary.results}

    assert grades(remote) == grades(local)
    with Gradebook.open(str(tmp_path / "r.db")) as book:
        assert len(book.results("tensor_ops")) == len(local.results)


def test_a_worker_without_the_data_is_reported_and_not_used(cluster: str, tmp_path: Path) -> None:
    import hashlib
    import io

    from rich.console import Console

    course = _course(tmp_path)
    (course / "solutions" / "tensor_ops" / "data.yaml").write_text(
        f"keras: []\ncourse:\n  - path: data/tiny.bin\n    sha256: {hashlib.sha256(TINY).hexdigest()}\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    worker = _start(["worker", cluster, "--nthreads", "1", "--no-dashboard", "--resources", "MEMORY_MB=8192",
                     "--local-directory", str(tmp_path / "w3"), "--name", "nodata"], tmp_path / "w3.log",
                    env={"AUTOGRADER_DATA_DIR": str(empty)})
    try:
        from distributed import Client

        with Client(cluster, timeout=30) as client:
            client.wait_for_workers(3, timeout=60)
            nodata = next(a for a, w in client.scheduler_info()["workers"].items() if w.get("name") == "nodata")
        text = io.StringIO()
        console = Console(file=text, width=200)
        config = course / "grading_config.yaml"
        summary = grade.main(assignment="tensor_ops", inputs=[_examples("tensor_ops")], config_path=config,
                             output=tmp_path / "out", console=console,
                             options=grade.RunOptions(executor=on_cluster(cluster, load_config(config), console),
                                                      gradebook=str(tmp_path / "g.db")))
        report = text.getvalue()
        assert f"worker {nodata} refuses to grade (data)" in report
        assert "data/tiny.bin" in report and "data fetch tensor_ops" in report
        assert summary.complete and {r.status.value for r in summary.results} == {"graded"}
    finally:
        _kill(worker)


# --- workers that die, resource tags, Ctrl-C: the demo course (no TensorFlow), submissions that sleep in a cell ---
KILL_CHECK = '''
import os

from autograder.checks import check


@check("q2", weight=1, hidden=True)
def grader_survives(nb):
    """Test-only: kills the grader process (not the sandbox) for the notebook that asks for it."""
    if nb.info("KILL_THE_GRADER").status == "ok":
        os._exit(3)
'''


def _sleepy(root: Path, count: int, seconds: float, *, killer: bool = False,
            memory_mb: int = 512) -> tuple[Path, Path]:
    """A demo course in ``root`` and ``count`` honest submissions each sleeping ``seconds`` in a cell (+ one killing its
    grader); returns its config and the submissions folder."""
    from tests.conftest import GOOD_ADD, GOOD_RELU, course_with_submissions

    nap = f"import time\ntime.sleep({seconds})"
    students: dict[str, tuple[str, ...]] = {f"s{n:02d}": (GOOD_RELU, nap, GOOD_ADD) for n in range(count)}
    if killer:
        students["z_killer"] = (GOOD_RELU, GOOD_ADD, "KILL_THE_GRADER = True")
    config, folder = course_with_submissions(root, students)
    text = config.read_text().replace("cell_time_s: 3", "cell_time_s: 20").replace("memory_mb: 512",
                                                                                  f"memory_mb: {memory_mb}")
    config.write_text(text)
    if killer:
        hidden = config.parent / "solutions" / "demo" / "hidden_checks.py"
        hidden.write_text(hidden.read_text() + KILL_CHECK)
    return config, folder


def _workers(address: str) -> dict[str, str]:
    """The scheduler's workers: name -> address."""
    from distributed import Client

    with Client(address, timeout=30) as client:
        return {str(w.get("name")): a for a, w in client.scheduler_info()["workers"].items()}


def _add_worker(address: str, folder: Path, name: str, memory_mb: int) -> tuple[subprocess.Popen[bytes], str]:
    """Start one more worker (with the data) and wait until the scheduler lists it; return it and its address."""
    worker = _start(["worker", address, "--nthreads", "1", "--no-dashboard", "--resources", f"MEMORY_MB={memory_mb}",
                     "--local-directory", str(folder / name), "--name", name], folder / f"{name}.log",
                    env={"AUTOGRADER_DATA_DIR": str(folder)})
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if name in (known := _workers(address)):
            return worker, known[name]
        time.sleep(0.3)
    _kill(worker)
    raise AssertionError(f"worker {name} never joined the scheduler; see {folder / f'{name}.log'}")


def _remove_worker(address: str, worker: subprocess.Popen[bytes], name: str) -> None:
    """SIGKILL the worker's process group (nanny, worker, child grader) and wait until the scheduler drops it."""
    _kill(worker)
    deadline = time.monotonic() + 60
    while name in _workers(address) and time.monotonic() < deadline:
        time.sleep(0.3)


def _rows(gradebook: Path, assignment: str = "demo") -> dict[str, list[tuple[str, float]]]:
    """Every recorded row of each student: (status, points), oldest first."""
    with Gradebook.open(str(gradebook)) as book:
        return {r.key.student: [(h.result.status.value, h.result.points)
                                for h in book.history(assignment, r.key.student)] for r in book.results(assignment)}


def _grades(summary: grade.RunSummary) -> dict[str, tuple[Any, ...]]:
    return {r.student: (r.status.value, r.points, [(q.question, q.points) for q in r.questions],
                        [x.key for x in r.reasons]) for r in summary.results}


def test_a_worker_killed_mid_run_loses_nothing_and_doubles_nothing(cluster: str, tmp_path: Path) -> None:
    import io
    import threading

    from distributed import Client
    from rich.console import Console

    config, folder = _sleepy(tmp_path / "c", 6, 1.5, killer=True)
    local = grade.main(assignment="demo", inputs=[folder], config_path=config, output=tmp_path / "local",
                       options=grade.RunOptions(workers=2, gradebook=str(tmp_path / "l.db")))
    victim, address = _add_worker(cluster, tmp_path, "victim", 8192)
    killed: list[str] = []

    def kill_once_it_grades() -> None:  # a task is running there: its child grader is grading (it sleeps 1.5 s)
        with Client(cluster, timeout=30) as client:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                processing = client.processing(workers=[address]).get(address, ())
                running = [key for key in processing if str(key).startswith("autograder-grade-")]
                if running:
                    time.sleep(1.0)
                    killed.extend(str(key) for key in running)
                    _kill(victim)
                    return
                time.sleep(0.1)

    killer = threading.Thread(target=kill_once_it_grades)
    killer.start()
    text = io.StringIO()
    console = Console(file=text, width=250)
    try:
        remote = grade.main(assignment="demo", inputs=[folder], config_path=config, output=tmp_path / "remote",
                            console=console, options=grade.RunOptions(
                                executor=on_cluster(cluster, load_config(config), console),
                                gradebook=str(tmp_path / "r.db")))
    finally:
        killer.join(timeout=200)
        _remove_worker(cluster, victim, "victim")
    assert killed, f"no task ever ran on the victim worker:\n{text.getvalue()}"
    assert victim.poll() is not None
    assert remote.complete and len(remote.results) == len(local.results) == 7
    assert _grades(remote) == _grades(local)
    rows = _rows(tmp_path / "r.db")
    assert sorted(rows) == sorted(r.student for r in local.results)
    assert all(len(history) == 1 for history in rows.values()), rows  # nothing recorded twice
    assert rows["z_killer"] == [("crashed", 0.0)]
    assert _grades(remote)["z_killer"][3] == ["reason.grader_killed"]
    assert {rows[s][0] for s in rows if s != "z_killer"} == {("graded", 8.0)}
    with Gradebook.open(str(tmp_path / "r.db")) as book:
        assert [run.status.value for run in book.runs("demo")] == ["finished"]


def test_tasks_land_only_on_workers_offering_their_memory(cluster: str, tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from autograder.cluster.executor import ClusterError

    big_config, big_folder = _sleepy(tmp_path / "big", 2, 0.1, memory_mb=16384)  # 16 GiB: more than any worker offers
    with pytest.raises(ClusterError) as refused:
        grade.main(assignment="demo", inputs=[big_folder], config_path=big_config, output=tmp_path / "big",
                   options=grade.RunOptions(executor=on_cluster(cluster, load_config(big_config)),
                                            gradebook=str(tmp_path / "big.db")))
    assert "offers the Dask resource MEMORY_MB=16384" in str(refused.value)
    assert "--resources MEMORY_MB=<amount>" in str(refused.value)
    assert _rows(tmp_path / "big.db") == {}  # refused before any grading
    with Gradebook.open(str(tmp_path / "big.db")) as book:  # and the run it opened ends failed, not running
        assert [run.status for run in book.runs()] == ["failed"]

    small, small_address = _add_worker(cluster, tmp_path, "small", 256)  # less than the 512 MiB each task asks
    try:
        config, folder = _sleepy(tmp_path / "c", 6, 0.5)
        text = io.StringIO()
        console = Console(file=text, width=250)
        summary = grade.main(assignment="demo", inputs=[folder], config_path=config, output=tmp_path / "out",
                             console=console, options=grade.RunOptions(
                                 executor=on_cluster(cluster, load_config(config), console),
                                 gradebook=str(tmp_path / "g.db")))
    finally:
        _remove_worker(cluster, small, "small")
    report = text.getvalue()
    assert summary.complete and {r.status.value for r in summary.results} == {"graded"}
    assert "each task requests {'MEMORY_MB': 512.0}" in report
    line = next(x for x in report.splitlines() if "task(s) graded on the workers" in x)
    assert line.startswith("cluster: 6 task(s)") and small_address not in line, report
    assert "3 worker(s)" in report  # the small one was checked (it has the data), only never given a task


def test_an_interrupted_cluster_run_keeps_its_rows_and_the_next_grades_only_the_rest(cluster: str,
                                                                                    tmp_path: Path) -> None:
    from autograder.grade.batch import BatchOutcome, Executor, Job, Settings
    from autograder.results import SubmissionResult

    config, folder = _sleepy(tmp_path / "c", 10, 1.0)
    handed: list[int] = []

    def interrupting(inner: Executor, after: int | None) -> Executor:
        """The cluster executor, with Ctrl-C (a real SIGINT to this process) after ``after`` results."""

        def execute(jobs: Sequence[Job], task: Any, settings: Settings, *,
                    on_result: Callable[[Job, SubmissionResult], None],
                    on_start: Callable[[Job], None] | None = None) -> BatchOutcome:
            handed.append(len(jobs))
            seen = [0]

            def record(job: Job, result: SubmissionResult) -> None:
                on_result(job, result)
                seen[0] += 1
                if seen[0] == after:
                    os.kill(os.getpid(), signal.SIGINT)

            return inner(jobs, task, settings, on_result=record, on_start=on_start)

        return execute

    def run(after: int | None) -> grade.RunSummary:
        executor = interrupting(on_cluster(cluster, load_config(config)), after)
        return grade.main(assignment="demo", inputs=[folder], config_path=config, output=tmp_path / "out",
                          options=grade.RunOptions(executor=executor, gradebook=str(tmp_path / "g.db")))

    first = run(2)
    assert not first.complete and 2 <= len(first.results) < 10
    recorded = _rows(tmp_path / "g.db")
    assert len(recorded) == len(first.results)
    second = run(None)
    assert handed == [10, 10 - len(first.results)]  # the plan against the gradebook: only the rest
    assert second.complete and len(second.results) == 10
    rows = _rows(tmp_path / "g.db")
    assert len(rows) == 10 and all(h == [("graded", 8.0)] for h in rows.values()), rows
    assert {s: h for s, h in rows.items() if s in recorded} == recorded  # the first run's rows kept, not redone
    with Gradebook.open(str(tmp_path / "g.db")) as book:
        assert [run.status.value for run in book.runs("demo")] == ["interrupted", "finished"]
