"""The grader's memory and time while it grades hostile model files (and an honest model).

Grades the five attacks of ``tests/hostile/models.py`` (each sent by a notebook as its ``model``, through a
patched ``keras.Model.save``) and an honest submission with ``grade_submission`` in this process, exactly as
``autograder grade`` does with one worker, and prints for each: the outcome of its two checks (load + describe,
predict + evaluate), its grading time, and this process's resident memory (``VmRSS``) and peak (``VmHWM``, reset
before each submission through ``/proc/self/clear_refs``). The models are loaded and run by the model host, a
child process; its own peak is not the grader's.

    .venv/bin/python benchmarks/bench_grader_memory.py [--memory-mb 2048] [--call-time-s 15] [--json out.json]
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
from autograder.grade.submissions import collect  # noqa: E402
from autograder.sandbox.process import isolation_mode  # noqa: E402
from tests.hostile.models import make_course  # noqa: E402


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
    print(f"\ngrader peak RSS {overall:.0f} MB, {overall - baseline:.0f} MB above the baseline")
    if args.json:
        args.json.write_text(json.dumps({"baseline_mb": round(baseline), "peak_mb": round(overall), "rows": rows},
                                        indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
