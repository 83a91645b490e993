"""Grade "tensor_ops" submissions with otter-grader 7 (the otter half of the benchmark).

Usage::

    from benchmarks.otter_runner import grade_with_otter
    rows = grade_with_otter([Path("alice.ipynb"), Path("bob.ipynb")], Path("/tmp/otter_work"))

Each submission is graded by one ``otter run`` subprocess, one after the other::

    otter run -a <dist/autograder/tensor_ops-autograder_*.zip> -o <workdir>/<NNN_student> \
              --no-logo -p <submission.ipynb>

(cwd = ``<workdir>/<NNN_student>``, so the ``-p`` pickle ``results.pkl`` lands next to
``results.json``.)  ``otter run`` is otter's non-containerised grader: it copies the zip and the
submission to a temp dir, executes the notebook top to bottom in a fresh Jupyter kernel (the
kernelspec named in the notebook, normally ``python3`` = this venv's interpreter), runs every test
file in ``tests/`` inside that kernel, and writes a Gradescope-style ``results.json``.  PDF export
is off: the autograder's ``otter_config.json`` has ``"pdf": false`` and no Gradescope token, so
``otter run`` never calls nbconvert's PDF exporter or the network (``otter run`` itself has no PDF
flag; it is an autograder-config setting).

The autograder zip is built from ``benchmarks/otter_tensor_ops/tensor_ops.ipynb`` with
``otter assign --no-pdfs`` into ``benchmarks/otter_tensor_ops/dist/`` (gitignored) the first time
it is needed, or when the source notebook is newer than the zip.

What is measured, per submission:

* ``wall_s``: ``time.perf_counter()`` from just before ``Popen`` to the return of ``os.wait4``
  on the ``otter`` process: interpreter start-up, otter/pandas imports, unzip, kernel start,
  notebook execution, tests, kernel shutdown, writing results.
* ``peak_rss_mb``: peak of the *summed* RSS (``/proc/<pid>/statm``) of the ``otter`` process and
  all its descendants (the Jupyter kernel is a child of it), sampled every ``sample_interval_s``
  (default 50 ms; the pid list is re-walked via ``/proc/<pid>/task/*/children`` every 100 ms) by a
  thread in the calling process (cost measured: ~0.4-0.7 ms CPU per sample).  Sampling can miss a spike
  shorter than the interval, and summed RSS counts shared pages (libpython, libc) once per process,
  so it slightly overstates a PSS figure.
* ``max_single_rss_mb``: ``ru_maxrss`` from ``os.wait4(pid)`` on the otter process: the exact high
  water mark of the largest *single* process among otter and its reaped children (the kernel), not
  a sum.  This is per submission (it is the rusage of that one child), unlike a
  ``getrusage(RUSAGE_CHILDREN)`` delta, whose ``ru_maxrss`` is a running max over all children.
* ``student_cells_s``: the student's own code-cell execution time inside otter's kernel, from the
  timestamps nbclient records in the executed notebook (``metadata.execution``:
  ``iopub.execute_input`` -> ``shell.execute_reply``), summed over the cells that come from the
  submission (the executed notebook is in the ``-p`` pickle; the cells otter injects are told
  apart by matching sources against the submission).  Includes ``import tensorflow``.
* ``otter_cells_s``: the same for the cells otter injects (init cell, sys.path cell, and the final
  cell that runs all tests and pickles the results), i.e. mostly test time.
* ``overhead_s``: ``wall_s - student_cells_s``.
* ``startup_s``: Popen -> first cell starts (otter CLI start-up and imports, unzip, kernel
  launch); ``teardown_s``: last cell idle -> otter exits (kernel shutdown, results files).  Both
  from wall-clock epoch times against the kernel's message timestamps (same host clock).
  ``startup_s + student_cells_s + otter_cells_s + teardown_s`` ~= ``wall_s`` (the rest is
  per-cell messaging).

Score: ``score``/``max_score`` from ``results.json`` (sum of the per-question ``score`` and
``max_score`` entries; ``results["score"]`` when otter sets one), plus ``question_scores``
``{"q1": (score, max), ...}``.  ``error`` is ``None`` on success, else a short string (non-zero exit,
timeout, missing results, or otter's "Autograder Failed" entry).  Exceptions raised by student
cells are *not* errors: otter runs with ``allow_errors`` and the affected tests just fail.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OTTER_DIR = HERE / "otter_tensor_ops"
MASTER_NOTEBOOK = OTTER_DIR / "tensor_ops.ipynb"
DIST_DIR = OTTER_DIR / "dist"

_PAGE = os.sysconf("SC_PAGE_SIZE")

__all__ = ["ensure_autograder_zip", "grade_with_otter", "otter_executable"]


# ---------------------------------------------------------------------------------------------
# autograder zip
# ---------------------------------------------------------------------------------------------


def otter_executable() -> str:
    """The ``otter`` CLI next to the running interpreter (the venv's), else the one on PATH."""
    cand = Path(sys.executable).with_name("otter")
    if cand.exists():
        return str(cand)
    found = shutil.which("otter")
    if not found:
        raise FileNotFoundError("otter CLI not found (pip install otter-grader==7.*)")
    return found


def _find_zip(dist: Path) -> Path | None:
    zips = sorted((dist / "autograder").glob("*-autograder_*.zip"), key=lambda p: p.stat().st_mtime)
    return zips[-1] if zips else None


def ensure_autograder_zip(
    *, master: Path = MASTER_NOTEBOOK, dist: Path = DIST_DIR, rebuild: bool = False
) -> Path:
    """Return the autograder zip, running ``otter assign --no-pdfs master dist`` if needed.

    ``otter assign`` also executes the solution notebook against all tests (about 10 s with the
    TensorFlow import) and fails if any test does not pass on the solutions.
    """
    zp = None if rebuild else _find_zip(dist)
    if zp is not None and zp.stat().st_mtime >= master.stat().st_mtime:
        return zp
    if dist.exists():
        shutil.rmtree(dist)
    cmd = [otter_executable(), "assign", "--no-pdfs", str(master), str(dist)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    zp = _find_zip(dist)
    if proc.returncode != 0 or zp is None:
        raise RuntimeError(
            f"otter assign failed (rc={proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        )
    return zp


# ---------------------------------------------------------------------------------------------
# process-tree memory sampling via /proc
# ---------------------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out.extend(int(x) for x in f.read().split())
        except OSError:
            pass
    return out


def _tree(pid: int) -> list[int]:
    seen, stack = [], [pid]
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.append(p)
        stack.extend(_children(p))
    return seen


def _start_time(pid: int) -> int | None:
    """Process start time (clock ticks since boot, /proc/<pid>/stat field 22): with the pid it
    identifies a process uniquely, so a recycled pid is never mistaken for one we saw."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return None


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


class _TreeSampler(threading.Thread):
    """Samples summed RSS of ``pid`` and its descendants until ``stop()``."""

    def __init__(self, pid: int, interval: float, refresh_s: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.refresh_every = max(1, round(refresh_s / interval))
        self.peak = 0
        self.peak_nprocs = 0
        self.samples = 0
        self.last_tree: list[int] = [pid]
        self.seen: dict[int, int | None] = {}  # pid -> start time, every process of the tree
        self._stop_evt = threading.Event()

    def run(self) -> None:
        tree: list[int] = [self.pid]
        while not self._stop_evt.is_set():
            # walking /proc/<pid>/task/*/children is the expensive part (the TF kernel has dozens
            # of threads), so the pid list is refreshed only every ~refresh_s (100 ms); a new
            # process is picked up long before a freshly started kernel has grown.
            if self.samples % self.refresh_every == 0:
                tree = _tree(self.pid) or tree
                self.last_tree = tree
                for p in tree:
                    if p not in self.seen:
                        self.seen[p] = _start_time(p)
            total = sum(_rss_bytes(p) for p in tree)
            self.samples += 1
            if total > self.peak:
                self.peak, self.peak_nprocs = total, len(tree)
            self._stop_evt.wait(self.interval)

    def stop(self) -> None:
        self._stop_evt.set()
        self.join()


def _kill_seen(seen: dict[int, int | None], root: int) -> None:
    """SIGKILL every process of the otter tree that is still alive, children first.

    The kernel runs in its own session (jupyter_client uses start_new_session), so killpg on the
    otter process group would miss it; instead kill the pids seen in the tree, each only if its
    start time still matches (so a recycled pid is left alone).
    """
    pids = [p for p in seen if p != root] + [root]
    for p in pids:
        if seen.get(p) is not None and _start_time(p) == seen[p]:
            with contextlib.suppress(OSError):
                os.kill(p, signal.SIGKILL)


# ---------------------------------------------------------------------------------------------
# results parsing
# ---------------------------------------------------------------------------------------------


def _parse_results_json(path: Path) -> tuple[float | None, float | None, dict, str | None]:
    data = json.loads(path.read_text())
    tests = data.get("tests", [])
    failed = [t for t in tests if t.get("name") in ("Autograder Failed", "Autograder Error")]
    err = None
    if failed:
        extra = [t.get("output", "") for t in tests if t.get("name") == "Autograder Exception"]
        err = (failed[0].get("output", "") + "\n" + "\n".join(extra)).strip()[-2000:]
    graded = [t for t in tests if "max_score" in t]
    qs = {t["name"]: (t.get("score", 0.0), t["max_score"]) for t in graded}
    max_score = float(sum(m for _, m in qs.values()))
    score = data.get("score")
    if score is None:
        score = sum(s for s, _ in qs.values())
    return float(score), max_score, qs, err


def _ts(s: str) -> datetime:
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def _cell_seconds(cell: Any) -> float | None:
    ex = cell.get("metadata", {}).get("execution", {})
    a, b = ex.get("iopub.execute_input"), ex.get("shell.execute_reply")
    if not a or not b:
        return None
    return (_ts(b) - _ts(a)).total_seconds()


def _cell_times(results_pkl: Path, submission: Path) -> dict[str, Any]:
    """Timing breakdown from the executed notebook inside otter's ``-p`` pickle.

    Returns ``student_cells_s``, ``otter_cells_s`` and the epoch times of the first cell's
    ``iopub.status.busy`` and the last cell's ``iopub.status.idle`` (``first_busy``,
    ``last_idle``), or ``{}`` if the pickle cannot be read.
    """
    try:
        import dill  # otter's dependency
        import nbformat

        with open(results_pkl, "rb") as f:
            res = dill.load(f)
        executed = getattr(res, "notebook", None)
        if executed is None:
            return {}
        sub = nbformat.read(str(submission), as_version=4)
        student_src = [c.source for c in sub.cells if c.cell_type == "code"]
        k, student, injected = 0, 0.0, 0.0
        first_busy = last_idle = None
        for cell in executed.cells:
            if cell.cell_type != "code":
                continue
            ex = cell.get("metadata", {}).get("execution", {})
            if first_busy is None and ex.get("iopub.status.busy"):
                first_busy = _ts(ex["iopub.status.busy"]).timestamp()
            if ex.get("iopub.status.idle"):
                last_idle = _ts(ex["iopub.status.idle"]).timestamp()
            t = _cell_seconds(cell) or 0.0
            if k < len(student_src) and cell.source == student_src[k]:
                student += t
                k += 1
            else:
                injected += t
        if k != len(student_src):  # could not line the submission's cells up
            return {}
        return {
            "student_cells_s": student,
            "otter_cells_s": injected,
            "first_busy": first_busy,
            "last_idle": last_idle,
        }
    except Exception:  # noqa: BLE001 - timing breakdown is best effort
        return {}


# ---------------------------------------------------------------------------------------------
# main entry point
# ---------------------------------------------------------------------------------------------


def _student_name(p: Path) -> str:
    return p.stem


def grade_with_otter(
    submissions: list[Path],
    workdir: Path,
    *,
    autograder_zip: Path | None = None,
    timeout_s: float = 600.0,
    sample_interval_s: float = 0.05,
    env: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Grade each submission notebook with ``otter run``, sequentially.

    Args:
        submissions: ``.ipynb`` files (one per student; the student name is the file stem).
        workdir: scratch directory; ``<workdir>/<NNN>_<student>/`` gets ``results.json``,
            ``results.pkl``, ``otter.stdout`` and ``otter.stderr`` for each submission.
        autograder_zip: otter autograder zip; default: build/reuse ``otter_tensor_ops/dist``.
        timeout_s: per-submission wall-clock limit; the whole process tree is SIGKILLed after it.
        sample_interval_s: /proc RSS sampling period.
        env: environment for the ``otter`` process (default: a copy of ``os.environ``).

    Returns:
        One dict per submission, in order, with keys ``student, wall_s, peak_rss_mb, score,
        max_score, error`` plus ``max_single_rss_mb, student_cells_s, otter_cells_s,
        overhead_s, startup_s, teardown_s, question_scores, returncode, rss_samples, workdir``
        (see the module docstring).
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    zp = Path(autograder_zip) if autograder_zip else ensure_autograder_zip()
    otter = otter_executable()
    run_env = dict(os.environ if env is None else env)
    # make sure a bare "python" in the kernelspec resolves to this interpreter's venv
    run_env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + run_env.get("PATH", "")

    rows: list[dict[str, Any]] = []
    for i, sub in enumerate(submissions):
        sub = Path(sub).resolve()
        student = _student_name(sub)
        sdir = workdir / f"{i:03d}_{re.sub(r'[^A-Za-z0-9_.-]', '_', student)}"
        if sdir.exists():
            shutil.rmtree(sdir)
        sdir.mkdir(parents=True)
        cmd = [otter, "run", "-a", str(zp), "-o", str(sdir), "--no-logo", "-p", str(sub)]
        row: dict[str, Any] = {
            "student": student,
            "wall_s": None,
            "peak_rss_mb": None,
            "score": None,
            "max_score": None,
            "error": None,
            "max_single_rss_mb": None,
            "student_cells_s": None,
            "otter_cells_s": None,
            "overhead_s": None,
            "startup_s": None,
            "teardown_s": None,
            "question_scores": {},
            "returncode": None,
            "rss_samples": 0,
            "workdir": str(sdir),
        }
        timed_out = threading.Event()
        with open(sdir / "otter.stdout", "wb") as out, open(sdir / "otter.stderr", "wb") as err:
            t0_epoch = time.time()
            t0 = time.perf_counter()
            proc = subprocess.Popen(
                cmd, cwd=sdir, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=run_env
            )
            sampler = _TreeSampler(proc.pid, sample_interval_s)
            sampler.start()

            def _on_timeout(
                pid: int = proc.pid, s: _TreeSampler = sampler, flag: threading.Event = timed_out
            ) -> None:
                flag.set()
                seen = dict(s.seen)
                for p in _tree(pid):
                    seen.setdefault(p, _start_time(p))
                _kill_seen(seen, pid)

            timer = threading.Timer(timeout_s, _on_timeout)
            timer.start()
            try:
                _, status, ru = os.wait4(proc.pid, 0)
            finally:
                wall = time.perf_counter() - t0
                t1_epoch = time.time()
                timer.cancel()
                sampler.stop()
            proc.returncode = os.waitstatus_to_exitcode(status)  # tell Popen it was reaped

        # a kernel left behind (after a timeout, or if otter crashed) would otherwise keep running
        leftovers = {
            p: st
            for p, st in sampler.seen.items()
            if p != proc.pid and st is not None and _start_time(p) == st
        }
        if leftovers:
            _kill_seen(leftovers, proc.pid)
            row["leftover_pids_killed"] = sorted(leftovers)

        row.update(
            wall_s=wall,
            peak_rss_mb=sampler.peak / 2**20,
            max_single_rss_mb=ru.ru_maxrss / 1024,  # Linux: KiB
            returncode=proc.returncode,
            rss_samples=sampler.samples,
        )

        errors = []
        if timed_out.is_set():
            errors.append(f"timeout after {timeout_s:.0f}s")
        elif proc.returncode != 0:
            tail = (sdir / "otter.stderr").read_text(errors="replace")[-1500:]
            errors.append(f"otter run exited {proc.returncode}: {tail}")
        rj = sdir / "results.json"
        if rj.exists():
            try:
                score, max_score, qs, ag_err = _parse_results_json(rj)
                row.update(score=score, max_score=max_score, question_scores=qs)
                if ag_err:
                    errors.append(ag_err)
            except Exception as e:  # noqa: BLE001
                errors.append(f"could not parse {rj}: {e!r}")
        elif not errors:
            errors.append("otter produced no results.json")
        row["error"] = "\n".join(errors) or None

        pkl = sdir / "results.pkl"
        if pkl.exists():
            ct = _cell_times(pkl, sub)
            if ct:
                row.update(
                    student_cells_s=ct["student_cells_s"],
                    otter_cells_s=ct["otter_cells_s"],
                    overhead_s=wall - ct["student_cells_s"],
                )
                if ct["first_busy"] is not None:
                    row["startup_s"] = ct["first_busy"] - t0_epoch
                if ct["last_idle"] is not None:
                    row["teardown_s"] = t1_epoch - ct["last_idle"]
        rows.append(row)
    return rows
