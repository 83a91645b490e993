"""Grading on a real Dask cluster on loopback: a scheduler and two single-thread workers started here."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

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
