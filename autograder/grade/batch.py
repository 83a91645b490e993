"""Grading many submissions at once: parallel grader processes, clean stops, nothing graded twice.

The parent process decides what to grade (everything whose fingerprint is not
already in the gradebook, plus what ``--regrade`` names), hands valid
notebooks to a pool of grader processes (each loads the assignment's checks
once and grades one submission at a time in its own sandbox; also with one
worker, so that a submission that kills its grader costs only its own row), and
records each result in the gradebook the moment it arrives, one transaction
each: a run killed at any point (``kill -9`` included) loses only the
submissions in flight, and the next run grades exactly those. Grader processes
die with the parent (``PR_SET_PDEATHSIG``), and their sandboxes with them.

When a grader process dies (the OOM killer, a crash in a library reading a
submission's file, a check's ``os._exit``), every job in flight in that pool
fails with it, and :class:`ProcessPoolExecutor` cannot say which one was the
cause. Those jobs are graded again, each alone in a pool of one process, while
the others go on in a new pool; a job whose grader dies when it is alone is
recorded once as ``crashed`` (``reason.grader_killed``) with a normal
fingerprint, so the next run does not try it again unless asked. A job no
grader had begun (a flag each job sets in shared memory as it starts) is never
blamed: it goes back to the queue, and when graders keep dying before they
begin (:data:`MAX_START_FAILURES` breaks in a row) the run stops with those jobs
``crashed`` as ``reason.grader_failed``, which the next run retries.

Ctrl-C stops handing out work, lets the submissions in flight finish and
records them; a second Ctrl-C abandons them (their grader processes are killed).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import Any, Protocol

from autograder.grade.assignment import Assignment, load_assignment
from autograder.grade.runner import grade_submission
from autograder.intake.submissions import Submission
from autograder.results import QuestionScore, Reason, SubmissionResult, SubmissionStatus

_PR_SET_PDEATHSIG = 1
# pool breaks in a row in which no job had begun (graders that die starting up): then the run stops
MAX_START_FAILURES = 3


@dataclass(frozen=True)
class Job:
    """One submission to grade (``questions``: only these, merged into the stored grade)."""

    submission: Submission
    fingerprint: str
    questions: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Settings:
    """What every grader process needs to grade like the parent would.

    ``threads``: the thread pools of each sandbox (and of the grader's own
    TensorFlow), the assignment's ``limits.threads``: the same whatever the
    number of workers, so that a grade does not depend on ``--workers``.
    """

    config_path: str
    assignment: str
    hide: tuple[str, ...]
    seed: int
    lang: str
    isolation: str
    threads: int | None


def default_workers() -> int:
    """One grader per CPU core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


_TASK: Assignment | None = None
_SETTINGS: Settings | None = None
_INIT_ERROR: str | None = None
_STARTED: Any = None  # shared with the parent: 1 at a job's slot once a grader process has begun it


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when ``parent`` exits (Linux); exit now if it already has."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above: nobody would collect our work
        os._exit(1)


def _terminated(signum: int, frame: FrameType | None) -> None:
    from autograder.sandbox import process

    process.close_all()
    os._exit(128 + signum)


def _init_worker(settings: Settings, parent: int, started: Any = None) -> None:
    """Grader process start: die with the parent, ignore the terminal's Ctrl-C (the parent decides), load the checks.

    A failure to load is kept and reported by every job as that job's failure
    (retried by the next run), not a dead process that would look like a
    submission's fault.
    """
    global _TASK, _SETTINGS, _INIT_ERROR, _STARTED
    die_with_parent(parent)
    _STARTED = started
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # a broken pool terminates its other grader processes: their sandboxes and control groups go with them
    signal.signal(signal.SIGTERM, _terminated)
    # before any check imports TensorFlow: its start-up INFO lines (oneDNN, cpu_feature_guard) would land on the
    # instructor's terminal; the sandbox sets the same (TF_ENABLE_ONEDNN_OPTS is left alone: it changes numerics)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if settings.threads is not None:  # the grader's own TensorFlow (model checks): the sandboxes' thread count
        os.environ["TF_NUM_INTRAOP_THREADS"] = str(settings.threads)
        os.environ["TF_NUM_INTEROP_THREADS"] = "1"
    try:
        from autograder.config import load_config

        config = load_config(Path(settings.config_path))
        _TASK = load_assignment(config, settings.assignment, settings.config_path)
    except Exception as error:  # noqa: BLE001  (reported by each job, see above)
        _INIT_ERROR = f"{type(error).__name__}: {str(error)[:300]}"
    _SETTINGS = settings


def _grade_in_worker(job: Job, slot: int = -1) -> SubmissionResult:
    if _STARTED is not None and slot >= 0:
        _STARTED[slot] = 1  # from here on, a death of this process is this job's
    if _INIT_ERROR is not None:
        raise RuntimeError(f"the grader process could not load the assignment ({_INIT_ERROR})")
    assert _TASK is not None and _SETTINGS is not None
    return _grade(job, _TASK, _SETTINGS)


def _grade(job: Job, task: Assignment, settings: Settings) -> SubmissionResult:
    return grade_submission(job.submission, task, hide=[Path(p) for p in settings.hide], seed=settings.seed,
                            lang=settings.lang, isolation=settings.isolation, threads=settings.threads,
                            questions=job.questions)


def merge_questions(stored: SubmissionResult, fresh: SubmissionResult, questions: Sequence[str]) -> SubmissionResult:
    """A stored grade with ``questions`` replaced by a fresh grading of just those questions."""
    by_question = {q.question: q for q in fresh.questions}
    merged: list[QuestionScore] = [by_question.get(q.question, q) if q.question in questions else q
                                   for q in stored.questions]
    return replace(fresh, questions=tuple(merged))


class _Stop:
    """Ctrl-C: the first asks to stop after the submissions in flight, the second abandons them."""

    def __init__(self) -> None:
        self.requested = threading.Event()
        self._previous: Any = None

    def __enter__(self) -> _Stop:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.requested.is_set():
            raise KeyboardInterrupt
        self.requested.set()


@dataclass
class BatchOutcome:
    """What a batch produced: results in completion order, and whether it was stopped early."""

    results: list[tuple[Job, SubmissionResult]]
    interrupted: bool


class Executor(Protocol):
    """Where a run's valid jobs are graded, reporting each result once as it arrives (invalid ones get their row at
    once): the local pool (:func:`run_batch`) unless the caller passes another, such as
    :func:`autograder.cluster.executor.on_cluster`. The stage above builds it, so this stage never imports it."""

    def __call__(self, jobs: Sequence[Job], task: Assignment, settings: Settings, *,
                 on_result: Callable[[Job, SubmissionResult], None],
                 on_start: Callable[[Job], None] | None = None) -> BatchOutcome: ...


def run_batch(jobs: Sequence[Job], task: Assignment, settings: Settings, *, workers: int,
              on_result: Callable[[Job, SubmissionResult], None],
              on_start: Callable[[Job], None] | None = None) -> BatchOutcome:
    """Grade ``jobs`` with ``workers`` grader processes; report each result as it arrives.

    Invalid submissions get their row here at once; every valid one is graded
    in a grader process, never in this one.
    """
    outcome = BatchOutcome([], False)

    def deliver(job: Job, result: SubmissionResult) -> None:
        outcome.results.append((job, result))
        on_result(job, result)

    with _Stop() as stop:
        _Scheduler(task, settings, max(1, workers), stop, deliver, on_start).run(jobs)
        outcome.interrupted = stop.requested.is_set() and len(outcome.results) < len(jobs)
    return outcome


@dataclass(eq=False)
class _Lane:
    """A pool of grader processes and the jobs in flight in it, created when first needed.

    In a lane of one process, a grader that dies was grading the one job in
    flight there: that job killed it.
    """

    size: int
    settings: Settings
    started: Any  # the scheduler's shared flags, one per job slot
    pool: ProcessPoolExecutor | None = None
    in_flight: dict[Future[SubmissionResult], Job] = field(default_factory=dict)
    slots: dict[Future[SubmissionResult], int] = field(default_factory=dict)
    exit_codes: dict[Future[SubmissionResult], Any] = field(default_factory=dict)

    def submit(self, job: Job, slot: int) -> bool:
        """Start ``job``; False when the pool turned out broken with jobs in flight (they tell the rest)."""
        for _ in range(2):
            if self.pool is None:
                context = multiprocessing.get_context("spawn")  # no fork of a process that may hold TensorFlow
                self.pool = ProcessPoolExecutor(max_workers=self.size, mp_context=context, initializer=_init_worker,
                                                initargs=(self.settings, os.getpid(), self.started))
            self.started[slot] = 0
            try:
                future = self.pool.submit(_grade_in_worker, job, slot)
            except BrokenProcessPool:
                if self.in_flight:
                    return False
                self.close()  # it broke while idle: start a new one
                continue
            self.in_flight[future] = job
            self.slots[future] = slot
            # to name how the grader died, should it die
            self.exit_codes[future] = list(getattr(self.pool, "_processes", {}).values())
            return True
        return False

    def began(self, future: Future[SubmissionResult]) -> bool:
        """Whether a grader process had begun the job of ``future``."""
        return bool(self.started[self.slots[future]])

    def processes_of(self, future: Future[SubmissionResult]) -> list[Any]:
        """The process objects of this lane when ``future`` was submitted (one, in a lane of one)."""
        return list(self.exit_codes.get(future) or [])

    def close(self, *, abandon: bool = False) -> None:
        """Shut the pool down: wait for its processes, or kill them when abandoning their jobs."""
        if self.pool is None:
            return
        pool, self.pool = self.pool, None
        if abandon:
            for process in list(getattr(pool, "_processes", {}).values()):
                try:
                    process.kill()
                except (OSError, AttributeError):
                    pass
        pool.shutdown(wait=not abandon, cancel_futures=True)
        if abandon:
            self.in_flight.clear()
        self.exit_codes.clear()
        self.slots.clear()


class _Scheduler:
    """Hands jobs to the lanes, collects results, and re-grades alone the jobs a dead grader took with it."""

    def __init__(self, task: Assignment, settings: Settings, workers: int, stop: _Stop,
                 deliver: Callable[[Job, SubmissionResult], None], on_start: Callable[[Job], None] | None) -> None:
        self.task = task
        self.settings = settings
        self.workers = workers
        self.stop = stop
        self.deliver = deliver
        self.on_start = on_start
        self.started: Any = None
        self.main = _Lane(workers, settings, None)
        self.alone = _Lane(1, settings, None) if workers > 1 else self.main
        self.suspects: deque[Job] = deque()  # in flight when a grader of the main lane died
        self.pending: deque[Job] = deque()
        self.slot_of: dict[int, int] = {}  # id(job) -> its slot in ``started``
        self.start_failures = 0

    def run(self, jobs: Sequence[Job]) -> None:
        pending = self.pending = deque(jobs)
        self.slot_of = {id(job): slot for slot, job in enumerate(jobs)}
        self.started = multiprocessing.get_context("spawn").RawArray("b", max(1, len(jobs)))
        for lane in self._lanes():
            lane.started = self.started
        abandon = True
        try:
            while True:
                self._fill(pending)
                futures = [future for lane in self._lanes() for future in lane.in_flight]
                if not futures:
                    break
                done, _ = wait(futures, timeout=0.5, return_when=FIRST_COMPLETED)
                for lane in self._lanes():
                    self._collect(lane, done)
            abandon = False
        finally:
            for lane in self._lanes():
                lane.close(abandon=abandon)

    def _lanes(self) -> tuple[_Lane, ...]:
        return (self.main,) if self.alone is self.main else (self.main, self.alone)

    def _fill(self, pending: deque[Job]) -> None:
        while not self.stop.requested.is_set():
            if self.suspects and self.alone is not self.main and not self.alone.in_flight:
                job = self.suspects.popleft()
                if self.on_start:
                    self.on_start(job)
                if not self.alone.submit(job, self.slot_of[id(job)]):
                    self.suspects.appendleft(job)
                    return
                continue
            # one core is the alone lane's while it has work
            busy = bool(self.suspects or self.alone.in_flight) and self.alone is not self.main
            if not pending or len(self.main.in_flight) >= self.workers - busy:
                return
            job = pending.popleft()
            if self.on_start:
                self.on_start(job)
            if not job.submission.valid:  # an invalid file is a row at once, no sandbox needed
                self.deliver(job, _grade(job, self.task, self.settings))
                continue
            if not self.main.submit(job, self.slot_of[id(job)]):
                pending.appendleft(job)
                return

    def _collect(self, lane: _Lane, done: set[Future[SubmissionResult]]) -> None:
        broken: list[tuple[Future[SubmissionResult], Job]] = []
        finished = [f for f in lane.in_flight if f in done]
        for future in finished:
            job = lane.in_flight.pop(future)
            outcome = self._outcome(future, job)
            if outcome is None:
                broken.append((future, job))
            else:
                self.start_failures = 0
                self.deliver(job, outcome)
        if not broken:
            return
        # the pool is broken: every other job in it fails too, at once
        wait(list(lane.in_flight))
        for future, job in list(lane.in_flight.items()):
            outcome = self._outcome(future, job)
            if outcome is None:
                broken.append((future, job))
            else:
                self.deliver(job, outcome)
        lane.in_flight.clear()
        processes = {future: lane.processes_of(future) for future, _ in broken}
        began = {future: lane.began(future) for future, _ in broken}
        lane.close()  # joins its processes: their exit status can be read
        # a job no grader had begun is not to blame: it goes back to the queue
        unstarted = [(future, job) for future, job in broken if not began[future]]
        if unstarted and len(unstarted) == len(broken):
            self.start_failures += 1
        if self.start_failures >= MAX_START_FAILURES:  # graders die starting up: not the submissions' fault
            for future, job in unstarted:
                self.deliver(job, grader_failed(job, RuntimeError(
                    f"grader processes die before they begin grading ({how_it_died(processes[future])})")))
            self.stop.requested.set()
        else:
            self.pending.extendleft(reversed([job for _, job in unstarted]))
        for future, job in broken:
            if not began[future]:
                continue
            if lane.size == 1:  # alone in its pool: this submission killed its grader
                self.deliver(job, grader_killed(job, how_it_died(processes[future])))
            else:
                self.suspects.append(job)

    @staticmethod
    def _outcome(future: Future[SubmissionResult], job: Job) -> SubmissionResult | None:
        """The job's result, its failure as a row, or None when its grader process died."""
        try:
            return future.result()
        except BrokenProcessPool:
            return None
        except Exception as error:  # noqa: BLE001  (a grader bug is this submission's row, not the run's end)
            return grader_failed(job, error)


def how_it_died(processes: Sequence[Any]) -> str:
    """The exit status of a lane's one grader process, for the instructor, once it has been joined."""
    codes = [getattr(p, "exitcode", None) for p in processes]
    # a pool that breaks terminates its other processes (SIGTERM): the one that died first is the story
    code = next((c for c in sorted(codes, key=lambda c: c == -signal.SIGTERM) if c is not None), None)
    if code is None:
        return "the grader process exited"
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        oom = " (often the out-of-memory killer)" if -code == signal.SIGKILL else ""
        return f"the grader process was killed by {name}{oom}"
    return f"the grader process exited with status {code}"


def grader_failed(job: Job, error: BaseException) -> SubmissionResult:
    """The row of a submission whose grader process failed: crashed, with the reason (retried by the next run)."""
    detail = f"{type(error).__name__}: {str(error)[:300]}"
    return SubmissionResult(job.submission.student, job.submission.source, SubmissionStatus.CRASHED,
                            reasons=(Reason("reason.grader_failed", (("detail", detail),)),))


def grader_killed(job: Job, detail: str) -> SubmissionResult:
    """The row of a submission whose grading killed its grader process, also when graded alone (not retried)."""
    student = job.submission.student
    return SubmissionResult(student, job.submission.source, SubmissionStatus.CRASHED,
                            reasons=(Reason("reason.grader_killed", (("detail", detail), ("student", student))),))
