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
from autograder.gradebook import Gradebook

ROOT = Path(__file__).resolve().parents[2]
DASK = Path(sys.executable).with_name("dask")
pytestmark = pytest.mark.slow


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
                "--local-directory", str(folder / f"w{n}"), "--name", f"w{n}"], folder / f"w{n}.log"))
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
                        options=grade.RunOptions(cluster=cluster, gradebook=str(tmp_path / "r.db")))
    assert remote.complete and len(remote.results) == len(local.results) >= 4

    def grades(summary: grade.RunSummary) -> dict[str, object]:
        return {r.student: (r.status, [(q.question, q.points) for q in r.questions]) for r in summary.results}

    assert grades(remote) == grades(local)
    with Gradebook.open(str(tmp_path / "r.db")) as book:
        assert len(book.results("tensor_ops")) == len(local.results)
