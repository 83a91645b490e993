"""Grading many submissions at once: parallel grader processes, clean stops, nothing graded twice.

The parent process decides what to grade (everything whose fingerprint is not
already in the gradebook, plus what ``--regrade`` names), hands valid
notebooks to a pool of grader processes (each loads the assignment's checks
once and grades one submission at a time in its own sandbox), and records each
result in the gradebook the moment it arrives, one transaction each: a run
killed at any point (``kill -9`` included) loses only the submissions in
flight, and the next run grades exactly those.

Ctrl-C stops handing out work, lets the submissions in flight finish and
records them; a second Ctrl-C abandons them.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType
from typing import Any

from autograder.grade.assignment import Assignment, load_assignment
from autograder.grade.results import QuestionScore, Reason, SubmissionResult
from autograder.grade.runner import grade_submission
from autograder.grade.submissions import Submission


@dataclass(frozen=True)
class Job:
    """One submission to grade (``questions``: only these, merged into the stored grade)."""

    submission: Submission
    fingerprint: str
    questions: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Settings:
    """What every grader process needs to grade like the parent would."""

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


def threads_per_worker(workers: int) -> int:
    """Cores each sandbox's thread pools may use so that ``workers`` of them do not oversubscribe."""
    return max(1, default_workers() // max(1, workers))


_TASK: Assignment | None = None
_SETTINGS: Settings | None = None


def _init_worker(settings: Settings) -> None:
    """Grader process start: ignore the terminal's Ctrl-C (the parent decides), load the checks once."""
    global _TASK, _SETTINGS
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if settings.threads is not None:  # the grader's own TensorFlow (model checks) shares the cores too
        os.environ.setdefault("TF_NUM_INTRAOP_THREADS", str(settings.threads))
        os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")
    from autograder.config import load_config

    config = load_config(Path(settings.config_path))
    _TASK = load_assignment(config, settings.assignment, settings.config_path)
    _SETTINGS = settings


def _grade_in_worker(job: Job) -> SubmissionResult:
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


def run_batch(jobs: Sequence[Job], task: Assignment, settings: Settings, *, workers: int,
              on_result: Callable[[Job, SubmissionResult], None],
              on_start: Callable[[Job], None] | None = None) -> BatchOutcome:
    """Grade ``jobs`` with ``workers`` grader processes (in this process when 1); report each result."""
    outcome = BatchOutcome([], False)

    def deliver(job: Job, result: SubmissionResult) -> None:
        outcome.results.append((job, result))
        on_result(job, result)

    with _Stop() as stop:
        if workers <= 1 or len(jobs) <= 1:
            for job in jobs:
                if stop.requested.is_set():
                    break
                if on_start:
                    on_start(job)
                try:
                    result = _grade(job, task, settings)
                except Exception as error:  # noqa: BLE001  (e.g. the sandbox could not start: this row, not the run)
                    result = grader_failed(job, error)
                deliver(job, result)
        else:
            _run_pool(jobs, task, settings, workers, stop, deliver, on_start)
        outcome.interrupted = stop.requested.is_set() and len(outcome.results) < len(jobs)
    return outcome


def _run_pool(jobs: Sequence[Job], task: Assignment, settings: Settings, workers: int, stop: _Stop,
              deliver: Callable[[Job, SubmissionResult], None], on_start: Callable[[Job], None] | None) -> None:
    context = multiprocessing.get_context("spawn")  # no fork of a process that may hold TensorFlow
    pending: Iterator[Job] = iter(jobs)
    in_flight: dict[Future[SubmissionResult], Job] = {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                             initargs=(settings,)) as pool:
        while True:
            while not stop.requested.is_set() and len(in_flight) < workers:
                job = next(pending, None)
                if job is None:
                    break
                if on_start:
                    on_start(job)
                if not job.submission.valid:  # an invalid file is a row at once, no sandbox needed
                    deliver(job, _grade(job, task, settings))
                    continue
                in_flight[pool.submit(_grade_in_worker, job)] = job
            if not in_flight:
                break
            done, _ = wait(list(in_flight), timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                job = in_flight.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool as error:  # a grader process died (e.g. killed by the OOM killer)
                    deliver(job, grader_failed(job, error))
                    for other in in_flight.values():
                        deliver(other, grader_failed(other, error))
                    stop.requested.set()  # the pool is gone: the rest waits for the next run
                    return
                except Exception as error:  # noqa: BLE001  (a grader bug is this submission's row, not the run's end)
                    result = grader_failed(job, error)
                deliver(job, result)


def grader_failed(job: Job, error: BaseException) -> SubmissionResult:
    """The row of a submission whose grader process failed: crashed, with the reason."""
    detail = f"{type(error).__name__}: {str(error)[:300]}"
    return SubmissionResult(job.submission.student, job.submission.source, "crashed",
                            reasons=(Reason("reason.grader_failed", (("detail", detail),)),))
