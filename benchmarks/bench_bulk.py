"""Benchmark: bulk-grade 100 generated tensor_ops submissions, 1 worker vs one per core, and otter-grader.

    .venv/bin/python benchmarks/bench_bulk.py [--count 100] [--skip-otter] [--workers 1 2]
                                               [--starts auto cold] [--json FILE]

The submissions are generated from the bundled examples (``solutions/tensor_ops/examples``) in a
realistic mix, each made unique by a comment with its number (so no two share a content hash):
50 % correct (``kim_minji``), 20 % partly wrong (``lee_junho``), 15 % partly wrong
(``park_seoyeon``), 10 % broken (a cell with a syntax error and a cell that raises, added to a correct
notebook) and 5 % empty (the student notebook as handed out).

Ours: ``autograder.grade.main`` (what ``autograder grade`` runs) with a fresh gradebook per setting,
once with 1 worker and once with one worker per core. otter-grader 7: ``otter.api.grade_submission``
in a ``ProcessPoolExecutor`` with one process per core (the only way to bulk-grade with otter without
Docker), on the same notebooks, with the autograder zip built from ``benchmarks/otter_tensor_ops``.

``--starts``: ours with warm sandboxes (``auto``: forked from the run's template that has imported
TensorFlow, started by the run and shared by its grader processes; each setting starts its own)
and/or cold ones (``cold``: a fresh interpreter per sandbox), every worker count each.

Printed per setting: wall time, throughput (submissions per minute), peak summed RSS of this process
and all its descendants (grader processes, templates, sandboxes or kernels; sampled every 100 ms from
/proc), the peak summed PSS of the same tree (``/proc/<pid>/smaps_rollup``: a page shared by N processes
counts 1/N in each, so shared libraries and a template's pages inherited by its forks count once; sampled
every 0.5 s), and the score histogram as a sanity check.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from otter_runner import _tree, _TreeSampler, ensure_autograder_zip  # noqa: E402

from autograder import grade  # noqa: E402
from autograder.sandbox import zygote  # noqa: E402

EXAMPLES = ROOT / "solutions" / "tensor_ops" / "examples"
MIX = (("kim_minji", 50), ("lee_junho", 20), ("park_seoyeon", 15), ("broken", 10), ("empty", 5))


def generate(folder: Path, count: int) -> list[Path]:
    """Write ``count`` submissions in the mix above into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    plan = [kind for kind, share in MIX for _ in range(share)]
    paths = []
    for number in range(count):
        kind = plan[(number * 7) % len(plan)]  # 7 is coprime with 100: any count gets the mix, 100 gets it exactly
        if kind == "empty":
            notebook = nbformat.read(ROOT / "assignments" / "tensor_ops" / "tensor_ops.ipynb", as_version=4)
        else:
            notebook = nbformat.read(EXAMPLES / f"{'kim_minji' if kind == 'broken' else kind}.ipynb", as_version=4)
        if kind == "broken":
            notebook.cells.insert(2, nbformat.v4.new_code_cell("def oops(:\n    pass"))
            notebook.cells.insert(3, nbformat.v4.new_code_cell("raise ValueError('student bug')"))
        notebook.cells.append(nbformat.v4.new_code_cell(f"# submission {number}"))
        path = folder / f"student{number:03d}_{kind}.ipynb"
        nbformat.write(notebook, path)
        paths.append(path)
    return paths


class _PssSampler(threading.Thread):
    """Peak summed PSS of ``pid`` and its descendants, every ``interval`` seconds until ``stop``."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop_event = threading.Event()

    @staticmethod
    def _pss(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            pass
        return 0

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            self.peak = max(self.peak, sum(self._pss(p) for p in _tree(self.pid)))

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def measure(label: str, work: Any) -> dict[str, Any]:
    sampler = _TreeSampler(os.getpid(), 0.1)
    pss = _PssSampler(os.getpid())
    sampler.start()
    pss.start()
    start = time.perf_counter()
    scores = work()
    wall = time.perf_counter() - start
    sampler.stop()
    sampler.join()
    pss.stop()
    row = {"setting": label, "wall_s": round(wall, 1), "per_minute": round(len(scores) * 60 / wall, 1),
           "peak_tree_mb": round(sampler.peak / 2**20), "peak_pss_mb": round(pss.peak / 2**20),
           "scores": dict(sorted(Counter(scores).items()))}
    print(f"{label:<34}{row['wall_s']:>9.1f} s{row['per_minute']:>10.1f}/min{row['peak_tree_mb']:>9} MB RSS"
          f"{row['peak_pss_mb']:>7} MB PSS   scores {row['scores']}", flush=True)
    return row


def ours(folder: Path, workers: int, scratch: Path, start: str = "auto") -> list[float]:
    # as a fresh `autograder grade` would: no template left by an earlier setting of this process
    zygote.close_all()
    os.environ.pop(zygote.SHARED_ENV, None)
    config = scratch / f"course-{workers}-{start}"
    shutil.copytree(ROOT / "solutions", config / "solutions", dirs_exist_ok=True)
    shutil.copy(ROOT / "grading_config.yaml", config)
    with (config / "grading_config.yaml").open("a") as stream:
        stream.write(f"\nsandbox_start: {start}\n")
    summary = grade.main(assignment="tensor_ops", inputs=[folder], config_path=config / "grading_config.yaml",
                         options=grade.RunOptions(workers=workers, gradebook=str(config / "gradebook.sqlite")))
    return [round(r.points / r.max_points, 2) for r in summary.results]


def _otter_one(args: tuple[str, str]) -> float:
    import contextlib
    import io

    from otter.api import grade_submission

    path, zip_path = args
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            results = grade_submission(path, zip_path, quiet=True)
        except Exception:  # noqa: BLE001  (a notebook otter cannot grade scores 0 here, as in its own runs)
            return 0.0
    total, possible = results.total, results.possible
    return round(total / possible, 2) if possible else 0.0


def otter(paths: list[Path], workers: int) -> list[float]:
    zip_path = str(ensure_autograder_zip())
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_otter_one, [(str(p), zip_path) for p in paths]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    parser.add_argument("--skip-otter", action="store_true")
    parser.add_argument("--starts", nargs="+", choices=("auto", "cold"), default=["auto"])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.machine())
    print(f"# {_dt.date.today()} · {cpu} · {os.cpu_count()} CPUs · {platform.platform()} · "
          f"{args.count} tensor_ops submissions")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-bulk-") as scratch_name:
        scratch = Path(scratch_name)
        paths = generate(scratch / "submissions", args.count)
        for start in args.starts:
            for workers in args.workers:
                label = f"ours {'warm' if start == 'auto' else 'cold'}, {workers} worker(s)"
                rows.append(measure(label, lambda w=workers, s=start: ours(scratch / "submissions", w, scratch, s)))
        if not args.skip_otter:
            cores = os.cpu_count() or 1
            rows.append(measure(f"otter API, {cores} processes", lambda: otter(paths, cores)))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
