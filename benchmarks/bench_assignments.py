"""Benchmark: grading time and peak memory of each assignment's example submissions.

    .venv/bin/python benchmarks/bench_assignments.py [ASSIGNMENT ...] [--repeat N] [--json FILE]

For every assignment (default: every assignment of solutions/ with an examples/ folder), this grades each example
submission with ``grade_submission`` in this process, exactly as ``autograder grade`` does, one after
the other, ``--repeat`` times, and prints per submission:

* ``wall s``: wall-clock time of the whole submission (sandbox start, the notebook's cells, all
  checks including grader-side model loading and evaluation, sandbox stop);
* ``student s``: time in the student's own cells (TensorFlow import and training included);
* ``checks s``: time spent in checks (includes the calls into the sandbox they make);
* ``sandbox MB``: the sandbox cgroup's peak memory (exact, whole sandbox);
* ``grader MB``: ``ru_maxrss`` of this (the grader) process so far (a high-water mark);
* ``points`` and status.

Medians over repeats are printed per submission; the machine and date head the output.
Data: ``grading_config.yaml``'s ``data_dir`` (``AUTOGRADER_DATA_DIR`` overrides).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import resource
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.config import load_config  # noqa: E402
from autograder.grade import secret_paths  # noqa: E402
from autograder.grade.assignment import load_assignment  # noqa: E402
from autograder.grade.runner import grade_submission  # noqa: E402
from autograder.intake.submissions import collect  # noqa: E402
from autograder.sandbox.process import isolation_mode  # noqa: E402


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    config_path = ROOT / "grading_config.yaml"
    config = load_config(config_path)
    names = args.assignments or sorted(p.parent.name for p in (ROOT / "solutions").glob("*/examples") if p.is_dir())
    isolation = config.isolation if config.isolation != "auto" else isolation_mode()
    print(f"# {_dt.date.today()} · {_cpu()} · {os.cpu_count()} CPUs · {platform.platform()} · "
          f"isolation {isolation} · repeat {args.repeat}")
    rows = []
    for name in names:
        task = load_assignment(config, name, str(config_path))
        folder = ROOT / "solutions" / name / "examples"
        submissions = collect([folder], max_cells=config.max_cells)
        hide = secret_paths(ROOT, task.solution_dir, (ROOT / "results").resolve(), [folder])
        print(f"\n## {name} ({len(submissions)} submissions)")
        print(f"{'submission':<18}{'wall s':>9}{'student s':>11}{'checks s':>10}{'sandbox MB':>12}"
              f"{'grader MB':>11}  points  status")
        for submission in submissions:
            runs = []
            for _ in range(args.repeat):
                result = grade_submission(submission, task, hide=hide, seed=config.seed, lang="en",
                                          isolation=isolation)
                checks = sum(c.seconds for q in result.questions for c in q.checks)
                runs.append((result.seconds, result.student_seconds, checks,
                             (result.peak_memory_bytes or 0) / 2**20,
                             resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, result))
            wall, student, checks, sandbox, grader = (statistics.median(r[i] for r in runs) for i in range(5))
            last = runs[-1][5]
            print(f"{submission.student:<18}{wall:>9.1f}{student:>11.1f}{checks:>10.1f}{sandbox:>12.0f}"
                  f"{grader:>11.0f}  {last.points:>4g}/{last.max_points:<4g}{last.status}")
            rows.append({"assignment": name, "student": submission.student, "wall_s": wall, "student_s": student,
                         "checks_s": checks, "sandbox_mb": sandbox, "grader_mb": grader, "points": last.points,
                         "max_points": last.max_points, "status": last.status})
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
