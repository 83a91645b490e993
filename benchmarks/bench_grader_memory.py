"""The grader's memory and time while it grades hostile model files (and an honest model).

Grades the five attacks of ``tests/hostile/models.py`` (each sent by a notebook as its ``model``, through a
patched ``keras.Model.save``) and an honest submission with ``grade_submission`` in this process, exactly as
``autograder grade`` does with one worker, and prints for each: the outcome of its two checks (load + describe,
predict + evaluate), its grading time, and this process's resident memory (``VmRSS``) and peak (``VmHWM``, reset
before each submission through ``/proc/self/clear_refs``). The models are loaded and run by the model host, a
child process; its own peak is not the grader's.

    .venv/bin/python benchmarks/bench_grader_memory.py [--memory-mb 2048] [--call-time-s 15] [--json out.json]
        [--in-process] [--frames]

``--frames`` also grades the reply attacks of ``tests/hostile/frames.py`` (notebooks that patch their own
worker to send a 64 MB header of nested lists, announce a 4 GB header, or nest a header past the parser's
limit; and an honest oversized return) on the demo assignment, the same way and with the same columns.

``--in-process`` also measures the way the grader worked before the model host: each attack's bytes loaded
and predicted with Keras in a fresh process of its own (``RLIMIT_AS`` 12 GiB, 120 s), its peak RSS above the
same baseline reported.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.config import load_config  # noqa: E402
from autograder.grade import secret_paths  # noqa: E402
from autograder.grade.assignment import load_assignment  # noqa: E402
from autograder.grade.runner import grade_submission  # noqa: E402
from autograder.intake.submissions import collect  # noqa: E402
from autograder.sandbox.process import isolation_mode  # noqa: E402
from tests.hostile.models import ATTACKS, make_course  # noqa: E402

# what the checks of the course did with a model, in the grader process itself (the code before the model host)
IN_PROCESS = """
import resource, sys, time
import numpy as np
import keras
from autograder.models import evaluate
from autograder.models.describe import describe
from autograder.models.loading import ModelRefused, load_model
from autograder.sandbox.protocol import KerasFile
resource.setrlimit(resource.RLIMIT_AS, (12 * 2**30, 12 * 2**30))
def status(field):
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith(field + ":")) / 1024
base = status("VmRSS")
start = time.monotonic()
try:
    model = load_model(KerasFile(open(sys.argv[1], "rb").read()), max_bytes=32 * 2**20)
    describe(model)
    images = np.random.default_rng(1).random((256, 32, 32, 3), dtype=np.float32)
    evaluate.accuracy(model, images, np.zeros(256))
    outcome = "loaded and predicted"
except ModelRefused as refused:
    outcome = refused.key
except BaseException as error:
    outcome = type(error).__name__
print(f"RESULT {time.monotonic() - start:.1f} {base:.0f} {status('VmHWM'):.0f} {outcome}", flush=True)
"""


def in_process(root: Path) -> list[dict[str, object]]:
    """Each attack loaded and predicted in a process of its own, as the grader did before the model host."""
    import subprocess

    rows: list[dict[str, object]] = []
    print(f"\nbefore the model host (Keras in the grading process):\n{'attack':<17}{'seconds':>9}{'base MB':>9}"
          f"{'peak MB':>9}  outcome")
    for name, builder in ATTACKS.items():
        path = root / f"{name}.keras"
        path.write_bytes(builder())
        start = time.monotonic()
        try:
            done = subprocess.run([sys.executable, "-c", IN_PROCESS, str(path)], capture_output=True, text=True,
                                  timeout=120, cwd=ROOT)
            line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), "")
            if line:
                seconds, base, peak, outcome = line.split(maxsplit=4)[1:]
            else:
                seconds, base, peak, outcome = f"{time.monotonic() - start:.1f}", "-", "-", f"died ({done.returncode})"
        except subprocess.TimeoutExpired:
            seconds, base, peak, outcome = f"{time.monotonic() - start:.0f}", "-", "-", "still running at 120 s"
        print(f"{name:<17}{seconds:>9}{base:>9}{peak:>9}  {outcome}")
        rows.append({"attack": name, "seconds": seconds, "base_mb": base, "peak_mb": peak, "outcome": outcome})
    return rows


def frames(root: Path) -> list[dict[str, object]]:
    """Grade the reply attacks on the demo assignment in this process; one row each."""
    from tests.conftest import make_course as make_demo
    from tests.conftest import write_notebook
    from tests.hostile.frames import FRAME_ATTACKS

    config_path = make_demo(root / "course")
    config = load_config(config_path)
    task = load_assignment(config, "demo", str(config_path))
    for attack in FRAME_ATTACKS:
        write_notebook(root / "submissions" / f"{attack.name}.ipynb", *attack.cells)
    hide = secret_paths(root, task.solution_dir, (root / "results").resolve(), [root / "submissions"])
    rows: list[dict[str, object]] = []
    for submission in collect([root / "submissions"], max_cells=config.max_cells):
        Path("/proc/self/clear_refs").write_text("5")
        start = time.monotonic()
        result = grade_submission(submission, task, hide=hide, lang="en")
        rows.append({"submission": submission.student, "seconds": round(time.monotonic() - start, 1),
                     "rss_mb": round(_status_mb("VmRSS")), "peak_mb": round(_status_mb("VmHWM")),
                     "status": result.status, "points": result.points})
    return rows


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--memory-mb", type=int, default=2048, help="the assignment's memory limit (the host's)")
    parser.add_argument("--call-time-s", type=int, default=15, help="the assignment's per-request deadline")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--in-process", action="store_true", help="also measure loading the attacks in-process")
    parser.add_argument("--frames", action="store_true", help="also grade the reply (frame) attacks")
    args = parser.parse_args()
    import keras  # noqa: F401  (the grader imports Keras for its own data: part of the baseline)

    total_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"# {_dt.date.today()} · {os.cpu_count()} CPUs · {total_gb:.1f} GiB · {platform.platform()} · "
          f"isolation {isolation_mode()} · host memory {args.memory_mb} MB · request deadline {args.call_time_s} s")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-grader-memory-") as folder:
        root = Path(folder)
        config_path = make_course(root, memory_mb=args.memory_mb, call_time_s=args.call_time_s)
        config = load_config(config_path)
        task = load_assignment(config, "attacks", str(config_path))
        submissions = collect([root / "submissions"], max_cells=config.max_cells)
        hide = secret_paths(root, task.solution_dir, (root / "results").resolve(), [root / "submissions"])
        baseline = _status_mb("VmRSS")
        print(f"grader baseline RSS {baseline:.0f} MB\n")
        print(f"{'submission':<17}{'seconds':>9}{'RSS MB':>8}{'peak MB':>9}  load + describe / predict + evaluate")
        overall = baseline
        for submission in submissions:
            Path("/proc/self/clear_refs").write_text("5")
            start = time.monotonic()
            result = grade_submission(submission, task, hide=hide, lang="en")
            seconds = time.monotonic() - start
            checks = {c.name: c.key or c.status for q in result.questions for c in q.checks}
            peak, rss = _status_mb("VmHWM"), _status_mb("VmRSS")
            overall = max(overall, peak)
            outcome = f"{checks['four_class_softmax']} / {checks['predicts_the_images']}"
            print(f"{submission.student:<17}{seconds:>9.1f}{rss:>8.0f}{peak:>9.0f}  {outcome}  [{result.status}]")
            rows.append({"submission": submission.student, "seconds": round(seconds, 1), "rss_mb": round(rss),
                         "peak_mb": round(peak), "checks": checks, "status": result.status})
        if args.frames:
            print(f"\n{'reply attack':<24}{'seconds':>9}{'RSS MB':>8}{'peak MB':>9}  status, points")
            for row in frames(root / "frames"):
                overall = max(overall, row["peak_mb"])
                print(f"{row['submission']:<24}{row['seconds']:>9.1f}{row['rss_mb']:>8.0f}{row['peak_mb']:>9.0f}  "
                      f"{row['status']}, {row['points']:g}")
                rows.append(row)
        before = in_process(root) if args.in_process else []
        print(f"\ngrader peak RSS {overall:.0f} MB, {overall - baseline:.0f} MB above the baseline")
    if args.json:
        args.json.write_text(json.dumps({"baseline_mb": round(baseline), "peak_mb": round(overall), "rows": rows,
                                         "in_process": before}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
