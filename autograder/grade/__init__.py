"""The grade stage and its command, ``autograder grade``: every submission of an assignment, one row each.

:func:`main` collects the submissions (:mod:`autograder.intake`), plans what
to grade against the gradebook, grades in grader processes
(:mod:`~autograder.grade.batch`, :mod:`~autograder.grade.runner`), records
each result as it comes and rebuilds the outputs
(:mod:`autograder.report.rebuild`). The other commands have their own
modules: ``calibrate`` is :mod:`autograder.grade.calibrate`, ``report`` is
:mod:`autograder.report.rebuild`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from autograder.config import AssignmentConfig, load_config
from autograder.data import provision
from autograder.errors import AutograderError
from autograder.grade import preflight
from autograder.grade.assignment import load_assignment, secret_paths
from autograder.grade.batch import Executor, Job, Settings, default_workers, merge_questions, run_batch
from autograder.grade.fingerprint import checks_hash, config_hash, submission_fingerprint
from autograder.grade.output import print_intake, print_summary, progress_line, write_result
from autograder.gradebook import Gradebook, RunStatus
from autograder.gradebook.records import SubmissionKey
from autograder.intake.lms import clock_for
from autograder.intake.roster import load_roster
from autograder.intake.submissions import Submission, collect
from autograder.intake.validate import check_inputs, check_regrade_options, check_regrade_students
from autograder.report.rebuild import write_outputs
from autograder.results import SubmissionResult
from autograder.sandbox import zygote
from autograder.sandbox.process import isolation_mode

SCRATCH = "autograder-scratch-gradebook-"  # a dry run's own gradebook, in a temporary folder named so


@dataclass(frozen=True)
class RunSummary:
    """What a grading run produced."""

    results: tuple[SubmissionResult, ...]
    output_dir: Path
    isolation: str
    complete: bool = True  # every submission has a row (false after Ctrl-C)
    run_id: int | None = None  # the run's id in the gradebook (None for a dry run: nothing was recorded)


@dataclass(frozen=True)
class RunOptions:
    """How a run chooses what to grade: workers, forced re-grades, a roster, another gradebook.

    ``late_from_mtime``: file modification times count as submission times
    (late penalties), as the config's ``late_from_mtime`` does. ``dry_run``:
    grade everything into a scratch gradebook that is thrown away afterwards
    (the configured one is not even opened); outputs go to ``output`` or a
    new temporary folder.
    """

    workers: int | None = None
    regrade: bool = False
    regrade_students: tuple[str, ...] = ()
    regrade_questions: tuple[str, ...] = ()
    roster: Path | None = None
    gradebook: str | None = None
    late_from_mtime: bool = False
    dry_run: bool = False
    # where the jobs are graded: None, the local pool of grader processes; the CLI passes
    # autograder.cluster.executor.on_cluster(...) for `--cluster` / `executor: dask`
    executor: Executor | None = None


def main(*, assignment: str, inputs: Sequence[Path], config_path: Path, output: Path | None = None,
         lang: str | None = None, console: Console | None = None, options: RunOptions | None = None) -> RunSummary:
    """Grade every submission in ``inputs`` not graded yet; record and write results; print a summary.

    Submissions whose notebook, checks and settings are unchanged since they
    were last recorded in the gradebook are not graded again (``options``
    forces re-grades); several are graded at once (``options.workers``).
    """
    options = options or RunOptions()
    console = console or Console(stderr=True)
    config = load_config(config_path)
    remote = options.executor is not None
    if config.executor == "dask" and not remote:
        raise AutograderError(f"{config_path} says executor: dask, but no cluster executor was given: grade with "
                              "`autograder grade` (it connects to cluster.address), or pass "
                              "RunOptions(executor=autograder.cluster.executor.on_cluster(...))")
    if not remote:  # on a cluster each worker checks its own data (autograder.cluster.provision)
        provision.require(config, assignment, config_path)  # missing data: refused before any sandbox starts
    lang = lang or config.language
    task = load_assignment(config, assignment, str(config_path))
    check_regrade_options(regrade=options.regrade, students=options.regrade_students,
                          questions=options.regrade_questions, points=task.points)
    settings = config.assignment(assignment, str(config_path))
    output_dir = (output or config.results_dir / assignment).resolve()
    roster = load_roster(options.roster) if options.roster is not None else None
    clock = clock_for(config.zone(), settings.due, from_mtime=options.late_from_mtime or config.late_from_mtime)
    submissions = collect(list(inputs), max_cells=config.max_cells, roster=roster, clock=clock)
    empty_inputs = check_inputs(inputs, submissions)
    check_regrade_students(options.regrade_students, submissions)
    location = options.gradebook or config.gradebook
    scratch = tempfile.TemporaryDirectory(prefix=SCRATCH) if options.dry_run else None
    if scratch is not None:  # a gradebook of its own, thrown away: the class's is not even opened
        location = str(Path(scratch.name) / "gradebook.sqlite")
        output_dir = (output or Path(tempfile.mkdtemp(prefix=f"autograder-dry-run-{assignment}-"))).resolve()
    hide = secret_paths(config_path.resolve().parent, task.solution_dir, output_dir, inputs)
    if "://" not in location:  # the gradebook and SQLite's WAL files beside it
        hide += [Path(f"{Path(location).resolve()}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
    isolation = config.isolation if config.isolation != "auto" else isolation_mode()
    os.environ[zygote.START_ENV] = config.sandbox_start  # read where sandboxes start, in grader processes too
    if isolation == "none":
        console.print("[yellow]warning: no namespaces on this machine; the sandbox has resource limits only "
                      "(see README: what is defended)[/]")
    print_intake(submissions, console, roster=roster, roster_path=options.roster)
    for line in empty_inputs:
        console.print(f"[yellow]warning:[/] {escape(line)}", highlight=False)
    workers = options.workers or config.workers or default_workers()
    if settings.workers is not None and options.workers is None:
        workers = min(workers, settings.workers)
    checks, settings_hash = checks_hash(task), config_hash(config, task)
    with Gradebook.open(location) as book:
        jobs, kept = _plan(submissions, book, assignment, checks, settings_hash, options)
        # a sandbox that cannot start fails the run, not each row (on a cluster: each worker's child checks)
        if not remote and any(job.submission.valid for job in jobs):
            start = preflight.sandbox_starts(task, hide=hide, seed=config.seed, lang=lang, isolation=isolation,
                                             threads=task.limits.threads)
            console.print(f"sandboxes: isolation {isolation}, {escape(start)}", highlight=False, soft_wrap=True)
        run_id = book.start_run(assignment, fingerprint_of_checks=checks, config_hash=settings_hash,
                                workers=workers, command=" ".join(sys.argv))
        for submission in submissions:
            book.upsert_student(submission.student, submission.name, submission.email)
        unchanged = [s for s in submissions if s.student in kept]
        re_recorded = _record_late_changes(book, run_id, assignment, unchanged, settings)
        results: dict[str, SubmissionResult] = dict(kept)
        # thread pools: the assignment's limits.threads, whatever --workers is (the same grade either way)
        batch_settings = Settings(str(config_path), assignment, tuple(str(p) for p in hide), config.seed, lang,
                                  isolation, task.limits.threads)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=console, transient=True) as progress:
            bar = progress.add_task(f"grading {assignment}", total=len(jobs))

            def record(job: Job, result: SubmissionResult) -> None:
                submission = job.submission
                stored = book.latest(assignment, submission.student) if job.questions else None
                if stored is not None and job.questions:
                    result = merge_questions(stored.result, result, job.questions)
                # a grader that failed is tried again by the next run; one the submission killed is not
                failed = any(r.key == "reason.grader_failed" for r in result.reasons)
                key = SubmissionKey(submission.student, submission.content_hash, submission.source,
                                    submission.submitted_at)
                book.record(run_id, assignment, key, result,
                            fingerprint=("failed:" if failed else "") + job.fingerprint,
                            late_penalty=settings.late_penalty(submission.submitted_at))
                write_result(result, output_dir, lang)
                results[submission.student] = result
                progress.advance(bar)
                if not console.is_terminal:  # a log, make, CI: no bar is drawn there, so one line per submission
                    console.print(progress_line(result), highlight=False)

            def started(job: Job) -> None:
                progress.update(bar, description=f"grading {escape(job.submission.student)}")

            try:
                if options.executor is not None:
                    outcome = options.executor(jobs, task, batch_settings, on_result=record, on_start=started)
                else:
                    outcome = run_batch(jobs, task, batch_settings, workers=workers, on_result=record,
                                        on_start=started)
            except BaseException:  # refused by the cluster, a broken gradebook: the run ends failed, not running
                book.finish_run(run_id, RunStatus.FAILED)
                raise
            finally:
                zygote.withdraw()  # the templates the preflight started for this run's grader processes
        book.finish_run(run_id, RunStatus.INTERRUPTED if outcome.interrupted else RunStatus.FINISHED)
        if outcome.interrupted:
            console.print(f"[yellow]stopped: {len(results)} of {len(submissions)} submissions have a grade; run "
                          "the same command again to grade the rest[/]", highlight=False)
        if kept:
            console.print(f"{len(kept)} unchanged submission(s) kept their recorded grade "
                          "(--regrade to grade them again)", highlight=False)
        if re_recorded:
            console.print(f"{re_recorded} of them recorded again with a new submission time or late penalty "
                          "(not graded again)", highlight=False)
        ordered = [results[s.student] for s in submissions if s.student in results]
        write_outputs(book.results(assignment), config, assignment, lang, output_dir)
    print_summary(ordered, lang, console, points=task.points)
    console.print(f"results: {escape(str(output_dir))}", highlight=False)
    if scratch is None:
        console.print(f"recorded as run {run_id} in the gradebook {escape(book.location)} (to take it out: "
                      f"autograder gradebook remove --run {run_id})", highlight=False)
    else:
        scratch.cleanup()
        console.print("dry run: nothing was recorded in the gradebook "
                      f"({escape(options.gradebook or config.gradebook)})", highlight=False)
    return RunSummary(tuple(ordered), output_dir, isolation, complete=len(ordered) == len(submissions),
                      run_id=None if scratch is not None else run_id)


def _record_late_changes(book: Gradebook, run_id: int, assignment: str, kept: Sequence[Submission],
                         settings: AssignmentConfig) -> int:
    """Record again, with today's submission time and late rules, each kept grade whose time or penalty changed.

    The grade itself is not graded again (its notebook and checks did not
    change); only the time and the penalty are new. Returns how many.
    """
    changed = 0
    for submission in kept:
        stored = book.latest(assignment, submission.student)
        penalty = settings.late_penalty(submission.submitted_at)
        if stored is None or (stored.key.submitted_at == submission.submitted_at
                              and abs(stored.late_penalty - penalty) < 1e-9):
            continue
        key = SubmissionKey(submission.student, submission.content_hash, submission.source, submission.submitted_at)
        book.record(run_id, assignment, key, stored.result, fingerprint=stored.fingerprint, late_penalty=penalty)
        changed += 1
    return changed


def _plan(submissions: Sequence[Submission], book: Gradebook, assignment: str, checks: str, settings: str,
          options: RunOptions) -> tuple[list[Job], dict[str, SubmissionResult]]:
    """The jobs to run, in submission order, and the recorded grades that still hold, by student."""
    jobs: list[Job] = []
    kept: dict[str, SubmissionResult] = {}
    chosen = {s.casefold() for s in options.regrade_students}
    for submission in submissions:
        fingerprint = submission_fingerprint(submission.content_hash, checks, settings)
        stored = book.latest(assignment, submission.student)
        forced = options.regrade or submission.student.casefold() in chosen
        if stored is not None and stored.fingerprint == fingerprint and not forced:
            kept[submission.student] = stored.result
            continue
        # a question-only re-grade needs the rest of the grade from the same notebook
        partial = forced and bool(options.regrade_questions) and stored is not None \
            and stored.key.content_hash == submission.content_hash
        jobs.append(Job(submission, fingerprint, tuple(options.regrade_questions) if partial else None))
    return jobs, kept
