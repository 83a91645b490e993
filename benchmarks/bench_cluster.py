"""Benchmark: a loopback Dask cluster (2 single-thread workers) vs the local pool (--workers 2), same submissions.

    .venv/bin/python benchmarks/bench_cluster.py [--count 20] [--repeats 3] [--json FILE]

The submissions are ``--count`` tensor_ops notebooks made from the bundled examples as
``benchmarks/bench_bulk.py`` makes them (a realistic mix of correct, partly wrong, broken and empty,
each unique). The script starts ``dask scheduler`` and two ``dask worker --nthreads 1`` on 127.0.0.1
(torn down at the end), then per repeat, alternating: ``autograder.grade.main`` with ``workers=2``
(the local pool) and with ``executor=on_cluster(...)`` (the cluster), each with a fresh gradebook.
Before each cluster repeat the workers' child grader processes are stopped
(:func:`autograder.cluster.task.close_children`), so every cluster run starts its children and their
sandbox templates as every local run starts its grader processes and template.

After the repeats, one more cluster run on the children the last one left running shows what the
children's start (loading the checks, one preflight sandbox and a warm template per child) costs.

Printed: wall seconds of each run, the median per setting, throughput (submissions per minute), the
ratio cluster/local throughput, the per-submission overhead (cluster wall minus local wall, divided by
the count), the time the tasks spent on the workers (``Outcome.seconds``, summed), and the round trip of
a trivial Dask task (``client.submit(int, n).result()``, median of 50) on the same cluster.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import io
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_bulk import generate  # noqa: E402
from rich.console import Console  # noqa: E402

from autograder import grade  # noqa: E402
from autograder.cluster import task as remote  # noqa: E402
from autograder.cluster.executor import on_cluster  # noqa: E402
from autograder.config import load_config  # noqa: E402
from autograder.sandbox import zygote  # noqa: E402

DASK = Path(sys.executable).with_name("dask")


def start_cluster(folder: Path, data: Path) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """A scheduler and two single-thread workers on loopback; their address and processes."""
    def start(args: list[str], log: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen([str(DASK), *args], stdout=(folder / log).open("ab"), stderr=subprocess.STDOUT,
                                start_new_session=True, env={**os.environ, "AUTOGRADER_DATA_DIR": str(data)},
                                cwd=folder)

    scheduler_file = folder / "scheduler.json"
    processes = [start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                        "--scheduler-file", str(scheduler_file)], "scheduler.log")]
    deadline = time.monotonic() + 60
    while not scheduler_file.is_file() and time.monotonic() < deadline:
        time.sleep(0.2)
    address = json.loads(scheduler_file.read_text())["address"]
    for n in range(2):
        processes.append(start(["worker", address, "--nthreads", "1", "--no-dashboard", "--resources",
                                "MEMORY_MB=16384", "--local-directory", str(folder / f"w{n}"), "--name", f"w{n}"],
                               f"w{n}.log"))
    from distributed import Client

    with Client(address, timeout=30) as client:
        client.wait_for_workers(2, timeout=90)
    return address, processes


def stop_cluster(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in reversed(processes):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)


def course(scratch: Path) -> Path:
    """A course holding tensor_ops (its solutions and hand-out) with the repository's grading settings."""
    folder = scratch / "course"
    shutil.copytree(ROOT / "solutions" / "tensor_ops", folder / "solutions" / "tensor_ops",
                    ignore=shutil.ignore_patterns("examples", "__pycache__"))
    shutil.copytree(ROOT / "assignments" / "tensor_ops", folder / "assignments" / "tensor_ops",
                    ignore=shutil.ignore_patterns("__pycache__"))
    text = (ROOT / "grading_config.yaml").read_text()
    text = re.sub(r"(?m)^data_dir:.*$", "", text)  # the course data comes from AUTOGRADER_DATA_DIR
    (folder / "grading_config.yaml").write_text(text + "\nlanguage: en\n" if "language:" not in text else text)
    return folder / "grading_config.yaml"


def one_run(config: Path, subs: Path, scratch: Path, label: str, address: str | None) -> tuple[float, dict[str, Any],
                                                                                                   str]:
    zygote.close_all()  # as a fresh `autograder grade` would: no template left by the previous run
    os.environ.pop(zygote.SHARED_ENV, None)
    text = io.StringIO()
    console = Console(file=text, width=200)
    executor = on_cluster(address, load_config(config), console) if address else None
    options = grade.RunOptions(workers=2, gradebook=str(scratch / f"{label}.sqlite"), executor=executor)
    began = time.perf_counter()
    summary = grade.main(assignment="tensor_ops", inputs=[subs], config_path=config, output=scratch / label,
                         console=console, options=options)
    wall = time.perf_counter() - began
    assert summary.complete, text.getvalue()
    grades = {r.student: (r.status.value, r.points) for r in summary.results}
    return wall, grades, text.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    data = scratch / "data"
    data.mkdir()
    subs = scratch / "submissions"
    generate(subs, args.count)
    config = course(scratch)
    print(f"{_dt.datetime.now(_dt.UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load {os.getloadavg()}; {args.count} tensor_ops submissions",
          flush=True)
    address, processes = start_cluster(scratch, data)
    from distributed import Client

    walls: dict[str, list[float]] = {"local": [], "cluster": []}
    work: list[float] = []
    reference: dict[str, Any] | None = None
    try:
        with Client(address, timeout=30) as client:
            for repeat in range(args.repeats):
                for label in ("local", "cluster") if repeat % 2 == 0 else ("cluster", "local"):
                    if label == "cluster":
                        client.run(remote.close_children)
                    wall, grades, log = one_run(config, subs, scratch, f"{label}-{repeat}",
                                                address if label == "cluster" else None)
                    reference = reference or grades
                    assert grades == reference, f"{label} graded differently: {grades} != {reference}\n{log[-4000:]}"
                    walls[label].append(wall)
                    if label == "cluster":
                        found = re.search(r"([\d.]+) s of work there", log)
                        work.append(float(found.group(1)) if found else float("nan"))
                    print(f"repeat {repeat + 1} {label:7s} {wall:7.2f} s  load {os.getloadavg()[0]:.2f}", flush=True)
            # where the time goes: the same run on the children the last cluster repeat left running (no start)
            warm, grades, log = one_run(config, subs, scratch, "cluster-warm", address)
            assert grades == reference, f"the warm cluster run graded differently: {grades} != {reference}"
            found = re.search(r"([\d.]+) s of work there", log)
            warm_work = float(found.group(1)) if found else float("nan")
            print(f"cluster, children kept from the last repeat {warm:7.2f} s  load {os.getloadavg()[0]:.2f}",
                  flush=True)
            trips = []
            for n in range(50):
                began = time.perf_counter()
                client.submit(int, n, pure=False).result()
                trips.append(time.perf_counter() - began)
    finally:
        stop_cluster(processes)
        shutil.rmtree(scratch, ignore_errors=True)
    local, cluster = statistics.median(walls["local"]), statistics.median(walls["cluster"])
    numbers = {
        "count": args.count, "local_s": walls["local"], "cluster_s": walls["cluster"],
        "local_median_s": round(local, 2), "cluster_median_s": round(cluster, 2),
        "local_per_min": round(args.count / local * 60, 1), "cluster_per_min": round(args.count / cluster * 60, 1),
        "ratio": round(local / cluster, 3), "overhead_per_submission_s": round((cluster - local) / args.count, 3),
        "work_on_workers_s": work, "cluster_warm_s": round(warm, 2), "cluster_warm_work_s": warm_work,
        "trivial_task_round_trip_ms": round(statistics.median(trips) * 1000, 2),
    }
    print(f"local pool (--workers 2): median {local:.2f} s, {numbers['local_per_min']} submissions/min")
    print(f"cluster (2 x 1 thread):   median {cluster:.2f} s, {numbers['cluster_per_min']} submissions/min")
    print(f"throughput cluster/local: {numbers['ratio']:.3f}x; overhead per submission "
          f"{numbers['overhead_per_submission_s'] * 1000:.0f} ms; time on the workers per run {work} s; "
          f"trivial Dask task round trip {numbers['trivial_task_round_trip_ms']} ms (median of 50)")
    print(f"cluster with its children already started: {warm:.2f} s ({args.count / warm * 60:.1f} submissions/min, "
          f"{local / warm:.3f}x local), {warm_work} s on the workers; the start of the children (their checks "
          f"and sandbox templates) costs about {cluster - warm:.1f} s per run")
    if args.json:
        args.json.write_text(json.dumps(numbers, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
