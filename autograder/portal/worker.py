"""The portal's grading loop: claims queued uploads and grades them with ``autograder grade``'s engine.

Each batch of claimed jobs of one assignment is one gradebook run, graded by
:func:`autograder.grade.batch.run_batch` (grader processes, sandboxes, the same settings and fingerprints as a
bulk run) and recorded by :meth:`Gradebook.record` as each result arrives; the job is marked done right after.
A server killed between the two is repaired by :meth:`PortalStore.recover` at the next start (the grade is
found by the job's source), so nothing is graded twice and nothing accepted is lost.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from autograder.config import load_config
from autograder.errors import SubmissionError
from autograder.exam.catalogue import Exam, load_exam
from autograder.exam.outcome import Outcome
from autograder.grade import preflight
from autograder.grade.assignment import load_assignment, secret_paths
from autograder.grade.batch import Job, Settings, grader_failed, run_batch
from autograder.grade.fingerprint import checks_hash, config_hash, submission_fingerprint
from autograder.grade.output import write_result
from autograder.gradebook import Gradebook, RunStatus
from autograder.gradebook.records import SubmissionKey
from autograder.intake.submissions import Submission, collect
from autograder.portal import exam_uploads, policy
from autograder.portal.exam_uploads import Scorer
from autograder.portal.settings import PortalConfig, policy_of
from autograder.portal.store import Job as PortalJob
from autograder.portal.store import PortalStore
from autograder.report.rebuild import write_outputs
from autograder.results import SubmissionResult
from autograder.sandbox import zygote
from autograder.sandbox.process import isolation_mode

log = logging.getLogger("autograder.portal")
MAX_ATTEMPTS = 3  # a batch that fails as a whole (no sandbox starts) is tried again this many times


def submission_of(job: PortalJob, max_cells: int) -> Submission:
    """The bulk grader's row for a job's upload (its student, its unique source, its time of receipt)."""
    upload = job.upload
    path = Path(upload.path)
    if not path.is_file():
        missing = SubmissionError(job.source, "submission.unreadable", file=upload.filename,
                                  reason="the stored upload is missing")
        return Submission(upload.student, job.source, None, missing, upload.sha256, upload.received_at)
    found = collect([path], max_cells=max_cells)
    row = found[0]
    problem: SubmissionError | None = row.problem
    if problem is not None:
        problem = SubmissionError(job.source, problem.key, **{**problem.params, "file": upload.filename})
    return replace(row, student=upload.student, source=job.source, submitted_at=upload.received_at,
                   problem=problem, notebook=row.notebook if problem is None else None)


class GradingLoop:
    """Grades the queue in a background thread until :meth:`stop`."""

    def __init__(self, config_path: Path, portal: PortalConfig, *, poll_s: float = 0.5) -> None:
        self.config_path = config_path
        self.portal = portal
        self.poll_s = poll_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.graded = 0
        self._exam: tuple[Exam, Scorer] | None = None

    def start(self) -> None:
        """Recover claimed jobs, then grade in a daemon thread."""
        config = load_config(self.config_path)
        with PortalStore(config.gradebook) as store:
            finished, queued = store.recover()
        if finished or queued:
            log.warning("portal: after a restart, %d claimed job(s) were already graded, %d queued again",
                        finished, queued)
        self._thread = threading.Thread(target=self._run, name="portal-grading", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30) -> None:
        """Stop after the batch in flight."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        config = load_config(self.config_path)
        store = PortalStore(config.gradebook)
        try:
            while not self._stop.is_set():
                if not self.run_once(store):
                    self._stop.wait(self.poll_s)
        finally:
            store.close()

    def run_once(self, store: PortalStore) -> int:
        """Claim and grade one batch; how many jobs it held."""
        jobs = store.claim(max(4, self.portal.workers * 4))
        by_assignment: dict[str, list[PortalJob]] = {}
        for job in jobs:
            by_assignment.setdefault(job.upload.assignment, []).append(job)
        for assignment in [a for a in by_assignment if exam_uploads.is_exam(a)]:
            for job in by_assignment.pop(assignment):
                try:
                    self.score_exam_job(store, job)
                except Exception:  # the loop goes on; the job is tried again, then recorded as the grader's error
                    log.exception("portal: scoring exam upload %d failed", job.upload.id)
                    self._release_exam(store, job)
        for assignment, group in by_assignment.items():
            try:
                grade_jobs(self.config_path, self.portal, assignment, group, store)
            except Exception:  # the loop goes on; the jobs are tried again, then recorded
                log.exception("portal: grading a batch of %s failed", assignment)
                self._release(store, group)
        self.graded += len(jobs)
        return len(jobs)

    def exam(self) -> tuple[Exam, Scorer]:
        """The course's exam and its scorer (hidden data built once per category, kept between jobs)."""
        if self._exam is None:
            config = load_config(self.config_path)
            folder = exam_uploads.find_exam(self.config_path.resolve().parent, self.portal.exam_dir)
            if folder is None:
                raise RuntimeError("an exam upload is queued but the course has no exam folder")
            exam = load_exam(folder)
            hide = [self.portal.uploads_dir, config.solutions_dir.resolve(), config.results_dir.resolve(),
                    (self.config_path.resolve().parent / ".git")]
            if "://" not in config.gradebook:
                hide += [Path(f"{Path(config.gradebook).resolve()}{suffix}")
                         for suffix in ("", "-wal", "-shm", "-journal")]
            self._exam = exam, exam_uploads.scorer(exam, config.data_dir, tuple(hide))
        return self._exam

    def score_exam_job(self, store: PortalStore, job: PortalJob) -> None:
        """Score one exam upload with the exam's scorer and record it where ``autograder exam`` reads it."""
        exam, score = self.exam()
        upload = job.upload
        exam_uploads.score_and_record(store.db, exam, score, job_id=job.id, student=upload.student,
                                      category=exam_uploads.category_id(upload.assignment),
                                      stored=Path(upload.path), filename=upload.filename,
                                      received=datetime.fromisoformat(upload.received_at))
        store.finish(job.id)

    def _release_exam(self, store: PortalStore, job: PortalJob) -> None:
        with store.db.write():
            still = store.db.execute("SELECT status, attempts FROM portal_jobs WHERE id = ?", (job.id,))
            again = bool(still) and still[0][0] == "grading" and int(still[0][1]) < MAX_ATTEMPTS
            if again:
                store.db.execute("UPDATE portal_jobs SET status = 'queued' WHERE id = ?", (job.id,))
        if again:
            return
        if self._exam is not None:  # recorded as the grader's error (not counted); without an exam, done unrecorded
            exam, _ = self._exam
            failed = Outcome("error", key="exam.grader_error",
                             params={"detail": "the portal could not score this file"})
            exam_uploads.score_and_record(store.db, exam, lambda path, category: failed, job_id=job.id,
                                          student=job.upload.student,
                                          category=exam_uploads.category_id(job.upload.assignment),
                                          stored=Path(job.upload.path), filename=job.upload.filename,
                                          received=datetime.fromisoformat(job.upload.received_at))
        store.finish(job.id)

    def _release(self, store: PortalStore, jobs: Sequence[PortalJob]) -> None:
        with store.db.write():
            for job in jobs:
                still = store.db.execute("SELECT status, attempts FROM portal_jobs WHERE id = ?", (job.id,))
                if still and still[0][0] == "grading" and int(still[0][1]) < MAX_ATTEMPTS:
                    store.db.execute("UPDATE portal_jobs SET status = 'queued' WHERE id = ?", (job.id,))
        failed = [job for job in jobs if (current := store.job(job.id)) is not None and current.status == "grading"]
        if failed:
            record_failures(self.config_path, failed, store)


def record_failures(config_path: Path, jobs: Sequence[PortalJob], store: PortalStore) -> None:
    """Record a ``crashed`` row (``reason.grader_failed``) for jobs whose batches kept failing as a whole."""
    config = load_config(config_path)
    with Gradebook.open(config.gradebook) as book:
        run_id = book.start_run(jobs[0].upload.assignment, fingerprint_of_checks="", config_hash="", workers=0,
                                command="autograder serve (grading failed)")
        for job in jobs:
            submission = submission_of(job, config.max_cells)
            result = grader_failed(Job(submission, ""), RuntimeError("the portal could not grade this batch"))
            key = SubmissionKey(submission.student, submission.content_hash, submission.source,
                                submission.submitted_at)
            book.record(run_id, job.upload.assignment, key, result, fingerprint="failed:")
            store.finish(job.id)
        book.finish_run(run_id, RunStatus.FAILED)


def grade_jobs(config_path: Path, portal: PortalConfig, assignment: str, jobs: Sequence[PortalJob],
               store: PortalStore) -> None:
    """Grade claimed jobs of one assignment as one gradebook run, marking each done once its grade is recorded."""
    config = load_config(config_path)
    lang = config.language
    task = load_assignment(config, assignment, str(config_path))
    settings = config.assignment(assignment, str(config_path))
    output_dir = (config.results_dir / assignment).resolve()
    hide = secret_paths(config_path.resolve().parent, task.solution_dir, output_dir, [portal.uploads_dir])
    hide.append(portal.uploads_dir)  # every student's uploads, not only one folder of them
    if "://" not in config.gradebook:
        hide += [Path(f"{Path(config.gradebook).resolve()}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
    isolation = config.isolation if config.isolation != "auto" else isolation_mode()
    os.environ[zygote.START_ENV] = config.sandbox_start
    checks, settings_hash = checks_hash(task), config_hash(config, task)
    by_job: dict[int, PortalJob] = {}
    batch: list[Job] = []
    for job in jobs:
        submission = submission_of(job, config.max_cells)
        engine_job = Job(submission, submission_fingerprint(submission.content_hash, checks, settings_hash))
        by_job[id(engine_job)] = job
        batch.append(engine_job)
    with Gradebook.open(config.gradebook) as book:
        try:
            if any(j.submission.valid for j in batch):
                preflight.sandbox_starts(task, hide=hide, seed=config.seed, lang=lang, isolation=isolation,
                                         threads=task.limits.threads)
            run_id = book.start_run(assignment, fingerprint_of_checks=checks, config_hash=settings_hash,
                                    workers=portal.workers, command="autograder serve")
            for job in jobs:
                book.upsert_student(job.upload.student)
            engine = Settings(str(config_path), assignment, tuple(str(p) for p in hide), config.seed, lang,
                              isolation, task.limits.threads)
            rules = policy_of(portal, assignment)

            def record(engine_job: Job, result: SubmissionResult) -> None:
                job = by_job[id(engine_job)]
                submission = engine_job.submission
                extension = store.extension(assignment, job.upload.student)
                penalty = policy.for_student(settings, extension).late_penalty(submission.submitted_at)
                failed = any(r.key == "reason.grader_failed" for r in result.reasons)
                key = SubmissionKey(submission.student, submission.content_hash, submission.source,
                                    submission.submitted_at)
                book.record(run_id, assignment, key, result,
                            fingerprint=("failed:" if failed else "") + engine_job.fingerprint, late_penalty=penalty)
                store.finish(job.id)
                if rules.counts == "chosen":
                    keep_chosen(book, store, run_id, assignment, job.upload.student)
                write_result(result, output_dir, lang)

            outcome = run_batch(batch, task, engine, workers=portal.workers, on_result=record)
        finally:
            zygote.withdraw()
        book.finish_run(run_id, RunStatus.INTERRUPTED if outcome.interrupted else RunStatus.FINISHED)
        write_outputs(book.results(assignment), config, assignment, lang, output_dir)


def keep_chosen(book: Gradebook, store: PortalStore, run_id: int, assignment: str, student: str) -> bool:
    """Record again the grade of ``student``'s chosen upload so that it is their latest (the one that counts)."""
    chosen = [u for u in store.uploads(assignment, student) if u.chosen]
    if not chosen:
        return False
    job = store.latest_job(chosen[0].id)
    stored = [r for r in book.history(assignment, student) if job is not None and r.key.source == job.source]
    latest = book.latest(assignment, student)
    if not stored or latest is None or latest.key.source == stored[-1].key.source:
        return False
    grade = stored[-1]
    book.record(run_id, assignment, grade.key, grade.result, fingerprint=grade.fingerprint,
                late_penalty=grade.late_penalty)
    return True


def utc_now() -> str:
    """The time an upload is received, as stored (ISO 8601, UTC)."""
    return datetime.now(UTC).isoformat(timespec="seconds")
