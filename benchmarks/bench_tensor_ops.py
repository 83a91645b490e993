"""Benchmark: grade the same "tensor_ops" submissions with this project and with otter-grader 7.

    .venv/bin/python benchmarks/bench_tensor_ops.py [--repeat N] [--submissions PATH ...]
                                                     [--skip-otter] [--no-hostile] [--no-warmup]
                                                     [--json FILE]

Both tools grade every submission notebook one after the other, in one process, on one machine;
the repeats alternate which tool goes first (repeat 1: ours then otter, repeat 2: otter then
ours, ...), so slow drift of the machine (page cache, CPU frequency, neighbours) does not favour
either.  Before the timed repeats each tool grades the first submission once, untimed, so both
start with TensorFlow's files in the page cache (``--no-warmup`` to skip).

Per submission and tool:

* ``wall s`` -- wall-clock time to grade that one submission, ``time.perf_counter()`` in this
  process around the call: ``grade_submission(...)`` for ours (sandbox start, notebook, checks,
  sandbox stop) and the ``otter run`` subprocess for otter (CLI start-up, unzip, kernel start,
  notebook, tests, kernel shutdown, results files); see ``otter_runner.py``.
* ``student s`` -- time spent running the student's own code cells (``import tensorflow`` is one
  of them), measured by each tool where the cells run: ours from the per-cell times the sandbox
  worker records (``SubmissionResult.student_seconds``), otter's from the nbclient
  ``iopub.execute_input`` -> ``shell.execute_reply`` timestamps of the submission's cells in the
  executed notebook.
* ``(checks s)``, otter only -- the part of otter's ``student s`` spent in the submission's
  ``grader.check("qN")`` cells.  The notebooks call this project's ``grader.check``: a no-op
  message inside our sandbox, a ``ConfigError`` inside otter's kernel (about 0.8 s in all, most
  of it importing the check library once).  A notebook written for otter would call otter's
  ``grader.check``, a no-op when grading, so this time is an artefact; the summary also gives
  otter's wall time without it.
* ``overhead s`` -- ``wall s - student s``: everything the grader adds around the student's code
  (for ours: sandbox set-up and tear-down, hidden + public checks; for otter: CLI start-up,
  kernel start, otter's injected cells with the tests, shutdown).
* memory, which the two tools cannot measure the same way (see ``RESULTS.md``):
    - ``tree MB`` (both tools, the same measure): peak of the summed RSS of the grading process
      tree, sampled every 50 ms from ``/proc`` by a thread in this process (``otter_runner``'s
      sampler).  For otter: the ``otter`` CLI process and its Jupyter kernel.  For ours: this
      benchmark process (which *is* the grader process for ours) plus the sandbox processes.
    - ``anon MB`` (both tools, the same measure): the same sampling, summing ``resident - shared``
      of ``/proc/<pid>/statm`` (~ ``RssAnon``), i.e. without the file-backed pages of TensorFlow's
      shared libraries that every process maps and ``tree MB`` counts once per process.
    - ours only: ``sandbox MB``, the cgroup's peak (``memory.peak`` on v2,
      ``memory.max_usage_in_bytes`` on v1) of the whole sandbox, exact, counts page cache charged
      to it; ``grader MB``, ``ru_maxrss`` of this process (the grader) so far -- a high-water
      mark over the whole run, not per submission.
    - otter only: ``1proc MB``, ``ru_maxrss`` of the largest single process among otter and its
      reaped children (in practice the kernel), from ``wait4``.
* ``score`` -- as a fraction of the maximum (ours: 24 points, 4 per question; the otter
  assignment: 6 points, 1 per question).

The hostile submission (``choi_hacker``, it floods the output and SIGKILLs its parent process)
is graded in every repeat too but listed separately and left out of the medians.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib.metadata
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import otter_runner  # noqa: E402
from otter_runner import _tree, _TreeSampler, ensure_autograder_zip, grade_with_otter  # noqa: E402

from autograder.config import load_config  # noqa: E402
from autograder.grade import secret_paths  # noqa: E402
from autograder.grade.assignment import load_assignment  # noqa: E402
from autograder.grade.runner import grade_submission  # noqa: E402
from autograder.intake.submissions import collect  # noqa: E402
from autograder.sandbox.process import isolation_mode  # noqa: E402

SUBMISSIONS_DIR = ROOT / "solutions" / "tensor_ops" / "examples"
HONEST = ("kim_minji", "lee_junho", "park_seoyeon")
HOSTILE = "choi_hacker"
ASSIGNMENT = "tensor_ops"
MB = 2**20


# ---------------------------------------------------------------------------------------------
# machine info
# ---------------------------------------------------------------------------------------------


def machine_info() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass

    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    tf = version("tensorflow")
    if tf == "not installed":
        tf = version("tensorflow-cpu")
    return {
        "date": _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": str(os.cpu_count()),
        "usable CPUs": str(len(os.sched_getaffinity(0))),
        "CPU": cpu,
        "RAM": ram,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "tensorflow": tf,
        "otter-grader": version("otter-grader"),
        "uid": str(os.getuid()),
    }


# ---------------------------------------------------------------------------------------------
# process-tree sampler that also tracks anonymous (private) memory
# ---------------------------------------------------------------------------------------------

_PAGE = os.sysconf("SC_PAGE_SIZE")


def _statm(pid: int) -> tuple[int, int]:
    """(resident, resident - shared) in bytes: RSS, and RSS minus file-backed/shmem pages (~RssAnon)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            fields = f.read().split()
        resident, shared = int(fields[1]), int(fields[2])
        return resident * _PAGE, (resident - shared) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0, 0


class AnonTreeSampler(_TreeSampler):
    """``otter_runner``'s sampler (same period, same tree walk), plus the peak of the summed
    anonymous RSS.  Summed RSS counts the shared-library pages of TensorFlow (file-backed, shared
    with the page cache) once per process; anonymous RSS is each process's private memory.  It is
    installed into ``otter_runner`` too, so both tools are sampled by the same code."""

    last: AnonTreeSampler | None = None

    def __init__(self, pid: int, interval: float, refresh_s: float = 0.1):
        super().__init__(pid, interval, refresh_s)
        self.peak_anon = 0
        AnonTreeSampler.last = self

    def run(self) -> None:
        tree: list[int] = [self.pid]
        while not self._stop_evt.is_set():
            if self.samples % self.refresh_every == 0:
                tree = _tree(self.pid) or tree
                self.last_tree = tree
                for p in tree:
                    if p not in self.seen:
                        self.seen[p] = otter_runner._start_time(p)
            total = anon = 0
            for p in tree:
                r, a = _statm(p)
                total += r
                anon += a
            self.samples += 1
            if total > self.peak:
                self.peak, self.peak_nprocs = total, len(tree)
            self.peak_anon = max(self.peak_anon, anon)
            self._stop_evt.wait(self.interval)


# grade_with_otter looks the name up at call time
otter_runner._TreeSampler = AnonTreeSampler  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# our grader
# ---------------------------------------------------------------------------------------------


class OurGrader:
    """Loads the config and assignment once, like ``autograder grade`` does."""

    def __init__(self, inputs: list[Path], results_dir: Path) -> None:
        config_path = ROOT / "grading_config.yaml"
        self.config = load_config(config_path)
        self.assignment = load_assignment(self.config, ASSIGNMENT, str(config_path))
        self.isolation = self.config.isolation if self.config.isolation != "auto" else isolation_mode()
        self.hide = secret_paths(config_path.resolve().parent, self.assignment.solution_dir,
                                 results_dir, inputs)
        self.lang = self.config.language
        self.first_rss_mb: float | None = None  # grader ru_maxrss after its first grading

    def grade(self, path: Path) -> dict[str, Any]:
        rows = collect([path], max_cells=self.config.max_cells)
        if len(rows) != 1:
            raise RuntimeError(f"{path}: expected one submission, got {len(rows)}")
        submission = rows[0]
        sampler = AnonTreeSampler(os.getpid(), 0.05)
        sampler.start()
        t0 = time.perf_counter()
        try:
            result = grade_submission(submission, self.assignment, hide=self.hide, seed=self.config.seed,
                                      lang=self.lang, isolation=self.isolation)
        finally:
            wall = time.perf_counter() - t0
            sampler.stop()
        grader_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        if self.first_rss_mb is None:
            self.first_rss_mb = grader_rss
        return {
            "student": path.stem,
            "wall_s": wall,
            "internal_s": result.seconds,
            "student_cells_s": result.student_seconds,
            "overhead_s": wall - result.student_seconds,
            "tree_mb": sampler.peak / MB,
            "anon_mb": sampler.peak_anon / MB,
            "sandbox_mb": None if result.peak_memory_bytes is None else result.peak_memory_bytes / MB,
            "grader_mb": grader_rss,
            "score": result.points,
            "max_score": result.max_points,
            "status": result.status,
            "isolation": result.isolation,
        }


# ---------------------------------------------------------------------------------------------
# otter
# ---------------------------------------------------------------------------------------------


def _check_cells_s(sdir: Path) -> float | None:
    """Seconds otter's kernel spent in the submission's ``grader.check("qN")`` cells.

    The submissions call this project's ``autograder.student.Notebook.check``; inside our sandbox
    that returns a one-line message at once, inside otter's kernel it raises ``ConfigError`` (no
    ``public_checks.py`` in otter's working directory).  A notebook written for otter would call
    ``otter.Notebook.check`` instead, which otter's grading mode turns into a no-op, so this time is
    an artefact of grading our notebooks with otter; it is reported so it can be subtracted."""
    pkl = sdir / "results.pkl"
    if not pkl.exists():
        return None
    try:
        import dill

        with open(pkl, "rb") as f:
            nb = getattr(dill.load(f), "notebook", None)
        if nb is None:
            return None
        total = 0.0
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.source.strip().startswith("grader.check("):
                total += otter_runner._cell_seconds(cell) or 0.0
        return total
    except Exception:  # noqa: BLE001 - best effort
        return None


def grade_otter(path: Path, workdir: Path, zip_path: Path) -> dict[str, Any]:
    (row,) = grade_with_otter([path], workdir, autograder_zip=zip_path)
    sampler = AnonTreeSampler.last
    err = row.get("error")
    return {
        "student": path.stem,
        "wall_s": row["wall_s"],
        "student_cells_s": row["student_cells_s"],
        "overhead_s": row["overhead_s"],
        "startup_s": row.get("startup_s"),
        "tests_s": row.get("otter_cells_s"),
        "teardown_s": row.get("teardown_s"),
        "tree_mb": row["peak_rss_mb"],
        "anon_mb": sampler.peak_anon / MB if sampler is not None else None,
        "check_cells_s": _check_cells_s(Path(row["workdir"])),
        "single_mb": row["max_single_rss_mb"],
        "score": row["score"],
        "max_score": row["max_score"],
        "status": "graded" if not err else ("error: " + err.strip().splitlines()[0][:60]),
        "error": err,
        "returncode": row.get("returncode"),
        "leftover_killed": row.get("leftover_pids_killed"),
    }


# ---------------------------------------------------------------------------------------------
# formatting
# ---------------------------------------------------------------------------------------------


def _f(v: Any, spec: str) -> str:
    return "n/a" if v is None else format(v, spec)


def _score(r: dict[str, Any]) -> str:
    if r.get("score") is None or not r.get("max_score"):
        return "n/a"
    return f"{r['score']:g}/{r['max_score']:g} ({100 * r['score'] / r['max_score']:.0f}%)"


OURS_COLS = ("student", "wall s", "student s", "overhead s", "tree MB", "anon MB", "sandbox MB",
             "grader MB", "score", "status")
OTTER_COLS = ("student", "wall s", "student s", "(checks s)", "overhead s", "tree MB", "anon MB",
              "1proc MB", "score", "status")


def _print_table(title: str, cols: tuple[str, ...], rows: list[list[str]]) -> None:
    widths = [max(len(c), *(len(r[i]) for r in rows)) if rows else len(c) for i, c in enumerate(cols)]
    print(f"\n{title}")
    cells = zip(cols, widths, strict=True)
    print("  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(cells)))
    for r in rows:
        print("  " + "  ".join(v.ljust(w) if i == 0 or i == len(cols) - 1 else v.rjust(w)
                               for i, (v, w) in enumerate(zip(r, widths, strict=False))))


def _ours_line(r: dict[str, Any]) -> list[str]:
    return [r["student"], _f(r["wall_s"], ".2f"), _f(r["student_cells_s"], ".2f"), _f(r["overhead_s"], ".2f"),
            _f(r["tree_mb"], ".0f"), _f(r["anon_mb"], ".0f"), _f(r["sandbox_mb"], ".0f"),
            _f(r["grader_mb"], ".0f"),
            _score(r),
            f"{r['status']} [{r['isolation']}]"]


def _otter_line(r: dict[str, Any]) -> list[str]:
    return [r["student"], _f(r["wall_s"], ".2f"), _f(r["student_cells_s"], ".2f"),
            _f(r["check_cells_s"], ".2f"), _f(r["overhead_s"], ".2f"), _f(r["tree_mb"], ".0f"),
            _f(r["anon_mb"], ".0f"), _f(r["single_mb"], ".0f"),
            _score(r), r["status"]]


def _stats(values: list[float | None]) -> tuple[float | None, float | None, float | None]:
    vals = [v for v in values if v is not None]
    if not vals:
        return None, None, None
    return statistics.median(vals), min(vals), max(vals)


def _mmm(values: list[float | None], spec: str = ".2f") -> str:
    med, lo, hi = _stats(values)
    if med is None:
        return "n/a"
    if len([v for v in values if v is not None]) == 1:
        return format(med, spec)
    return f"{format(med, spec)} [{format(lo, spec)}-{format(hi, spec)}]"


def summarize(tool: str, runs: list[dict[str, Any]], students: list[str]) -> list[list[str]]:
    out = []
    for s in students:
        rs = [r for r in runs if r["student"] == s]
        if not rs:
            continue
        mem_extra = (_mmm([r["sandbox_mb"] for r in rs], ".0f") if tool == "ours"
                     else _mmm([r["single_mb"] for r in rs], ".0f"))
        out.append([s, _mmm([r["wall_s"] for r in rs]), _mmm([r["student_cells_s"] for r in rs]),
                    _mmm([r["overhead_s"] for r in rs]), _mmm([r["tree_mb"] for r in rs], ".0f"),
                    _mmm([r["anon_mb"] for r in rs], ".0f"), mem_extra,
                    _score(rs[-1])])
    return out


def _median_of(runs: list[dict[str, Any]], key: str, students: list[str]) -> float | None:
    vals = [r[key] for r in runs if r["student"] in students and r.get(key) is not None]
    return statistics.median(vals) if vals else None


# ---------------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--submissions", nargs="+", type=Path, metavar="PATH",
                    help="notebooks to time (default: the honest three in solutions/tensor_ops/examples)")
    ap.add_argument("--repeat", type=int, default=3, help="timed repeats per tool (default 3)")
    ap.add_argument("--skip-otter", action="store_true", help="grade with this project only")
    ap.add_argument("--no-hostile", action="store_true", help=f"do not grade {HOSTILE}.ipynb separately")
    ap.add_argument("--no-warmup", action="store_true", help="no untimed warm-up grading")
    ap.add_argument("--json", type=Path, help="also write every raw row to this file")
    args = ap.parse_args(argv)

    subs = [p.resolve() for p in (args.submissions or [SUBMISSIONS_DIR / f"{n}.ipynb" for n in HONEST])]
    missing = [str(p) for p in subs if not p.exists()]
    if missing:
        ap.error(f"missing submissions: {missing}")
    hostile_path = SUBMISSIONS_DIR / f"{HOSTILE}.ipynb"
    hostile = [] if args.no_hostile or not hostile_path.exists() or hostile_path.resolve() in subs \
        else [hostile_path.resolve()]
    students = [p.stem for p in subs]

    info = machine_info()
    print("machine")
    for k, v in info.items():
        print(f"  {k:<13} {v}")

    tmp = Path(tempfile.mkdtemp(prefix="bench_tensor_ops_"))
    ours = OurGrader(subs + hostile, tmp / "results")
    print(f"  isolation     {ours.isolation} (ours)")
    zip_path = None if args.skip_otter else ensure_autograder_zip()
    if zip_path is not None:
        print(f"  otter zip     {zip_path.relative_to(ROOT)}")
    print(f"  submissions   {', '.join(students)}" + (f"  (+ {HOSTILE}, separately)" if hostile else ""))
    print(f"  repeats       {args.repeat}, scratch {tmp}")
    sys.stdout.flush()

    if not args.no_warmup:
        t = time.perf_counter()
        ours.grade(subs[0])
        if zip_path is not None:
            grade_otter(subs[0], tmp / "otter_warmup", zip_path)
        print(f"\nwarm-up (untimed): {time.perf_counter() - t:.1f}s")

    ours_runs: list[dict[str, Any]] = []
    otter_runs: list[dict[str, Any]] = []
    t_all = time.perf_counter()
    for rep in range(args.repeat):
        order = ["ours", "otter"] if rep % 2 == 0 else ["otter", "ours"]
        if zip_path is None:
            order = ["ours"]
        for tool in order:
            rows = []
            for idx, path in enumerate(subs + hostile):
                if tool == "ours" or zip_path is None:
                    r = ours.grade(path)
                else:
                    r = grade_otter(path, tmp / f"otter_r{rep}_{idx}", zip_path)
                r["repeat"] = rep + 1
                r["hostile"] = path in hostile
                rows.append(r)
                (ours_runs if tool == "ours" else otter_runs).append(r)
            if tool == "ours":
                _print_table(f"repeat {rep + 1}/{args.repeat} -- ours (isolation={ours.isolation})",
                             OURS_COLS, [_ours_line(r) for r in rows])
            else:
                _print_table(f"repeat {rep + 1}/{args.repeat} -- otter {info['otter-grader']} (otter run)",
                             OTTER_COLS, [_otter_line(r) for r in rows])
            sys.stdout.flush()
    print(f"\ntimed repeats took {time.perf_counter() - t_all:.0f}s")

    # ---- summary ----------------------------------------------------------------------------
    n = args.repeat
    hdr = ("student", "wall s", "student s", "overhead s", "tree MB", "anon MB")
    _print_table(f"SUMMARY ours -- median [min-max] over {n} repeat(s)",
                 (*hdr, "sandbox MB", "score"), summarize("ours", ours_runs, students))
    if hostile:
        _print_table("  ours, hostile submission (not in the medians)", (*hdr, "sandbox MB", "score"),
                     summarize("ours", ours_runs, [HOSTILE]))
        print("  status: " + ", ".join(sorted({r["status"] for r in ours_runs if r["hostile"]})))
    if otter_runs:
        _print_table(f"SUMMARY otter -- median [min-max] over {n} repeat(s)",
                     (*hdr, "1proc MB", "score"), summarize("otter", otter_runs, students))
        if hostile:
            _print_table("  otter, hostile submission (not in the medians)", (*hdr, "1proc MB", "score"),
                         summarize("otter", otter_runs, [HOSTILE]))
            errs = sorted({(r["error"] or "none").strip().splitlines()[0][:120]
                           for r in otter_runs if r["hostile"]})
            print("  otter error: " + " | ".join(errs))
            hr = [r for r in otter_runs if r["hostile"]]
            left = sum(1 for r in hr if r["leftover_killed"])
            print(f"  otter left its kernel running in {left} of {len(hr)} gradings "
                  "(this harness SIGKILLed it afterwards)")

    grader_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\ngrader process (= this benchmark process) ru_maxrss: {ours.first_rss_mb:.0f} MB after "
          f"its first grading, before any otter work; {grader_peak:.0f} MB at the end (this process "
          "also unpickles otter's results.pkl, which ours' 'tree MB' then includes)")
    honest_ours = [r for r in ours_runs if not r["hostile"]]
    honest_otter = [r for r in otter_runs if not r["hostile"]]
    print(f"\nMEDIANS over all honest submissions x repeats ({len(honest_ours)} gradings per tool)")
    keys = [("wall_s", "wall s", ".2f"), ("student_cells_s", "student s", ".2f"),
            ("overhead_s", "overhead s", ".2f"), ("tree_mb", "tree MB", ".0f"), ("anon_mb", "anon MB", ".0f")]
    print(f"  {'':<12} {'ours':>9} {'otter':>9} {'ours/otter':>11}")
    for key, label, spec in keys:
        a = _median_of(honest_ours, key, students)
        b = _median_of(honest_otter, key, students) if honest_otter else None
        ratio = f"{a / b:.2f}" if a is not None and b else "n/a"
        print(f"  {label:<12} {_f(a, spec):>9} {_f(b, spec):>9} {ratio:>11}")
    a = _median_of(honest_ours, "sandbox_mb", students)
    print(f"  {'sandbox MB':<12} {_f(a, '.0f'):>9} {'-':>9} {'':>11}   (ours: cgroup peak of the sandbox)")
    if honest_otter:
        b = _median_of(honest_otter, "single_mb", students)
        print(f"  {'1proc MB':<12} {'-':>9} {_f(b, '.0f'):>9} {'':>11}   "
              "(otter: ru_maxrss of the largest process)")
        tot_a = sum(r["wall_s"] for r in honest_ours) / n
        tot_b = sum(r["wall_s"] for r in honest_otter) / n
        print(f"  total wall per repeat ({len(students)} submissions): "
              f"ours {tot_a:.1f}s, otter {tot_b:.1f}s, "
              f"ratio {tot_a / tot_b:.2f}")
        br = [r for r in honest_otter if r.get("startup_s") is not None]
        if br:
            print(f"  otter breakdown (median): start-up {_median_of(br, 'startup_s', students):.2f}s, "
                  f"student cells {_median_of(br, 'student_cells_s', students):.2f}s, "
                  f"otter-injected cells (init + tests) {_median_of(br, 'tests_s', students):.2f}s, "
                  f"teardown {_median_of(br, 'teardown_s', students):.2f}s")
        cc = _median_of(honest_otter, "check_cells_s", students)
        if cc is not None:
            adj = statistics.median([r["wall_s"] - (r["check_cells_s"] or 0.0) for r in honest_otter])
            ours_wall = _median_of(honest_ours, "wall_s", students)
            print(f"  otter: grader.check(...) cells (ConfigError in otter's kernel, an artefact) "
                  f"median {cc:.2f}s; otter wall without them {adj:.2f}s -> ours/otter {ours_wall / adj:.2f}")
    print(f"  ours: median SubmissionResult.seconds (the runner's own time.monotonic) "
          f"{_median_of(honest_ours, 'internal_s', students):.2f}s")

    if args.json:
        args.json.write_text(json.dumps({"machine": info, "ours": ours_runs, "otter": otter_runs},
                                        indent=1, default=str))
        print(f"raw rows: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
