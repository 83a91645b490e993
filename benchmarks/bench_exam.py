"""Benchmark: exam grading time per category on this machine's CPU.

    .venv/bin/python benchmarks/bench_exam.py [--data-dir DIR] [--categories 1,3,4,5] [--starter] [--json FILE]

For each category of ``exam/`` whose data is on this machine, three phases, each timed on the wall clock:

- ``hidden s``: building the hidden data in the grader (generated points, decoded images, padded reviews, the
  held-out subjects' windows);
- ``script s``: the category's ``reference.py`` submitted as a starter script: run in the notebook sandbox under
  the category's ``budget:`` (staging the public data, starting the sandbox, importing TensorFlow, training,
  saving), as ``autograder exam submit CATEGORY reference.py`` does. The sandbox runs TensorFlow with 2 intra-op
  threads, so its CPU time (what the ``cpu_s`` budget bounds) is at most about twice this wall time;
- ``score s``: scoring the saved file (``.keras``) in the bounded model host: start, vet, load, predict on the
  hidden data, the metric, the 0-5 score.

``--starter`` also runs the untouched ``starter.py`` (the candidate's first, short training) under the budget.
A category whose data is missing is printed as skipped with the reason. Run when the machine is quiet; the
load average before and after is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from autograder.exam.artifact import host_limits, score_file  # noqa: E402
from autograder.exam.catalogue import Category, Exam, load_exam  # noqa: E402
from autograder.exam.hidden import HiddenDataMissing, hidden_data  # noqa: E402
from autograder.exam.outcome import Outcome  # noqa: E402
from autograder.exam.starter_run import run_starter  # noqa: E402


def _run_script(script: Path, category: Category, exam: Exam, data_dir: Path | None,
                staging: Path) -> tuple[Path | Outcome, float]:
    start = time.monotonic()
    made = run_starter(script, category, exam, data_dir, staging)
    return made, round(time.monotonic() - start, 2)


def bench_category(exam: Exam, category: Category, data_dir: Path | None, starter: bool) -> dict[str, Any]:
    row: dict[str, Any] = {"category": category.id, "metric": category.metric,
                           "budget": category.budget.model_dump()}
    start = time.monotonic()
    try:
        hidden = hidden_data(category, data_dir)
    except HiddenDataMissing as missing:
        row["skipped"] = str(missing)
        return row
    row["hidden_s"], row["hidden_examples"] = round(time.monotonic() - start, 2), len(hidden.y)
    scripts = [("reference", category.folder / "reference.py")]
    if starter:
        scripts.append(("starter", category.folder / "starter.py"))
    for name, script in scripts:
        with tempfile.TemporaryDirectory(prefix="bench-exam-") as staging:
            made, wall = _run_script(script, category, exam, data_dir, Path(staging))
            row[f"{name}_script_s"] = wall
            if isinstance(made, Outcome):
                row[f"{name}_outcome"] = f"{made.status} {made.key} {made.params}"
                continue
            start = time.monotonic()
            outcome = score_file(made, category, hidden, max_bytes=exam.max_bytes, limits=host_limits(exam),
                                 hide=(exam.folder.resolve(),))
            row[f"{name}_score_s"] = round(time.monotonic() - start, 2)
            row[f"{name}_file_kb"] = round(made.stat().st_size / 1024, 1)
            row[f"{name}_score"] = outcome.score if outcome.status == "scored" else f"{outcome.status} {outcome.key}"
            row[f"{name}_value"] = round(outcome.metric, 4) if outcome.metric is not None else None
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="the course data folder (default: ../shared beside the repository, else /work/shared)")
    parser.add_argument("--categories", default="1,2,3,4,5", help="category numbers (default: all)")
    parser.add_argument("--starter", action="store_true", help="also run each untouched starter.py")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args()
    data_dir = args.data_dir
    if data_dir is None:
        data_dir = next((c for c in (ROOT.parent / "shared", Path("/work/shared")) if (c / "data").is_dir()), None)
    exam = load_exam(ROOT / "exam")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load before {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; data: {data_dir}")
    rows = []
    for number in args.categories.split(","):
        category = exam.category(number.strip())
        row = bench_category(exam, category, data_dir, args.starter)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    print(f"load after {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    print("\n| category | hidden s | reference script s | score s | score (metric) | budget cpu s / wall s |")
    print("|---|--:|--:|--:|---|--:|")
    for row in rows:
        if "skipped" in row:
            print(f"| {row['category']} | skipped: {row['skipped'][:80]} | | | | |")
            continue
        result = row.get("reference_outcome") or f"{row.get('reference_score')} ({row.get('reference_value')})"
        print(f"| {row['category']} | {row['hidden_s']} | {row.get('reference_script_s')} | "
              f"{row.get('reference_score_s', '')} | {result} | {row['budget']['cpu_s']} / "
              f"{row['budget']['wall_s']:g} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
