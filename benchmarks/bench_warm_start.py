"""Benchmark: tensor_ops graded with warm sandboxes, cold sandboxes and otter-grader 7, side by side.

    .venv/bin/python benchmarks/bench_warm_start.py [--repeat N] [--skip-otter] [--json FILE]

One process grades the honest tensor_ops examples (``solutions/tensor_ops/examples``) with three
tools, the order rotating every repeat so drift of the machine favours none: ``warm`` (this project,
sandboxes forked from a template that has imported TensorFlow: ``sandbox_start: auto``), ``cold``
(this project, a fresh interpreter per sandbox: ``sandbox_start: cold``) and ``otter`` (``otter run``,
as ``bench_tensor_ops.py`` does). Each tool grades one submission untimed first (page cache; for warm,
the template's start, once per grader process, is reported separately).

Per grading: ``wall s`` around the call, ``student s`` (the student's own cells as the sandbox timed
them; a notebook's ``import tensorflow`` is one of them, close to 0 s when warm), ``overhead s`` = wall
- student. For ours the overhead is attributed to phases by timing the grader's own functions in this
process: ``start`` (staging, control group, spawn or fork, until the process exists), ``ready`` (until
the worker says ready: launcher setup, interpreter start or nothing when forked), ``cells`` (cell round
trips beyond the cells' own time), ``checks`` (public and hidden checks, their calls into the sandbox
included), ``close`` (shutdown, kill, reap, control group and temp folder removal) and ``rest``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_tensor_ops as base  # noqa: E402

from autograder.grade import runner  # noqa: E402
from autograder.sandbox import process, session, zygote  # noqa: E402

PHASES = ("start", "ready", "cells", "checks", "close")
_SPENT: dict[str, float] = defaultdict(float)


def _timed(owner: Any, name: str, phase: str) -> None:
    original: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            _SPENT[phase] += time.perf_counter() - started

    setattr(owner, name, wrapper)


def _instrument() -> None:
    """Time the grader's phases (measurement only: the functions themselves are unchanged)."""
    _timed(process.SandboxProcess, "__init__", "start")
    _timed(session.NotebookSession, "_start", "start+ready")
    _timed(session.NotebookSession, "execute", "execute")
    _timed(runner, "run_checks", "checks")
    _timed(session.NotebookSession, "close", "close")


def _grade(ours: base.OurGrader, path: Path, start: str) -> dict[str, Any]:
    os.environ[zygote.START_ENV] = start
    _SPENT.clear()
    row = ours.grade(path)
    started = _SPENT.pop("start+ready", 0.0)
    execute = _SPENT.pop("execute", 0.0)
    phases = {"start": _SPENT.get("start", 0.0), "ready": max(started - _SPENT.get("start", 0.0), 0.0),
              "cells": max(execute - started - row["student_cells_s"], 0.0),
              "checks": _SPENT.get("checks", 0.0), "close": _SPENT.get("close", 0.0)}
    phases["rest"] = max(row["overhead_s"] - sum(phases.values()), 0.0)
    return {**row, "tool": "warm" if start == "auto" else "cold", "phases": phases}


def _median(rows: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed repeats per tool (default 5)")
    parser.add_argument("--skip-otter", action="store_true", help="only warm and cold")
    parser.add_argument("--json", type=Path, help="also write every raw row to this file")
    args = parser.parse_args(argv)

    info = base.machine_info()
    for key, value in info.items():
        print(f"  {key:<13} {value}")
    subs = [(base.SUBMISSIONS_DIR / f"{name}.ipynb").resolve() for name in base.HONEST]
    scratch = Path(tempfile.mkdtemp(prefix="bench_warm_start_"))
    ours = base.OurGrader(subs, scratch / "results")
    reason = zygote.unavailable(ours.isolation)
    if reason is not None:
        print(f"warm starts are not possible here: {reason}")
        return 1
    _instrument()
    zip_path = None if args.skip_otter else base.ensure_autograder_zip()

    template_start = time.perf_counter()
    _grade(ours, subs[0], "auto")  # untimed: starts this process's template
    print(f"\nwarm-up: template start + first warm grading {time.perf_counter() - template_start:.1f} s")
    _grade(ours, subs[0], "cold")
    if zip_path is not None:
        base.grade_otter(subs[0], scratch / "otter_warmup", zip_path)

    tools = ["warm", "cold"] + (["otter"] if zip_path is not None else [])
    rows: list[dict[str, Any]] = []
    for repeat in range(args.repeat):
        order = tools[repeat % len(tools):] + tools[:repeat % len(tools)]
        for tool in order:
            for index, path in enumerate(subs):
                if tool == "otter":
                    row = {**base.grade_otter(path, scratch / f"otter_{repeat}_{index}", zip_path), "tool": "otter"}
                else:
                    row = _grade(ours, path, "auto" if tool == "warm" else "cold")
                row["repeat"] = repeat + 1
                rows.append(row)
                print(f"  repeat {repeat + 1} {tool:<5} {row['student']:<13} wall {row['wall_s']:.2f} s, "
                      f"student {row['student_cells_s']:.2f} s, overhead {row['overhead_s']:.2f} s, "
                      f"score {row['score']}/{row['max_score']}")
                sys.stdout.flush()
    os.environ.pop(zygote.START_ENV, None)

    print(f"\nMEDIANS over {args.repeat} repeats x {len(subs)} submissions")
    print(f"  {'':<10} {'wall s':>8} {'student s':>10} {'overhead s':>11} {'tree MB':>8} {'score':>10}")
    for tool in tools:
        mine = [r for r in rows if r["tool"] == tool]
        scores = sorted({f"{r['score']:g}" for r in mine})
        print(f"  {tool:<10} {_median(mine, 'wall_s'):>8.2f} {_median(mine, 'student_cells_s'):>10.2f} "
              f"{_median(mine, 'overhead_s'):>11.2f} {_median(mine, 'tree_mb'):>8.0f} {'/'.join(scores):>10}")
    for tool in ("warm", "cold"):
        mine = [r for r in rows if r["tool"] == tool]
        parts = ", ".join(f"{phase} {statistics.median(r['phases'][phase] for r in mine):.3f}"
                          for phase in (*PHASES, "rest"))
        print(f"  {tool} overhead by phase (median s): {parts}")
    same = all(len({r["score"] for r in rows if r["student"] == s and r["tool"] != "otter"}) == 1
               for s in base.HONEST)
    print(f"  every tool of ours gave each submission the same score: {same}")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "rows": rows}, indent=1, default=str))
    zygote.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
