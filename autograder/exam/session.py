"""The timed session: start (or resume), submit, status, finish. All state is in the gradebook.

The deadline is wall-clock time stored at start, so a session resumes after a crash or a closed laptop with the
same end. Submitting scores the category at once and keeps every submission; which one counts (the best or the
last) is the exam's ``counts``. Nothing is accepted after the window or after ``finish``: a submission that
arrives late is recorded as ``late`` (for the instructor) and refused. The clock is a parameter, so tests move it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from autograder.errors import AutograderError
from autograder.exam import gradebook_rows, store
from autograder.exam.catalogue import Category, Exam
from autograder.exam.outcome import Outcome
from autograder.exam.result_page import render
from autograder.exam.standing import CategoryStanding, Standing, text
from autograder.gradebook.backend import Database

Clock = Callable[[], datetime]
Scorer = Callable[[Path, Category], Outcome]
_HASH_LIMIT = 2**31


def utc_now() -> datetime:
    return datetime.now(UTC)


class SessionError(AutograderError):
    """No session to act on, or an ambiguous one; the message says what to run."""


class ExamClosed(Exception):
    """Nothing more is accepted: ``key`` (``exam.window_closed`` / ``exam.finished``) and its parameters."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def start(db: Database, exam: Exam, candidate: str, *, clock: Clock = utc_now,
          window_hours: float | None = None) -> tuple[store.SessionRow, bool]:
    """The candidate's open session (resumed: True), else a new one whose deadline is now + the window."""
    if not candidate.strip() or len(candidate) > 200:
        raise SessionError("--candidate must be a non-empty id of at most 200 characters")
    running = store.open_sessions(db, exam.config.name, candidate)
    if running:
        return running[-1], True
    now = clock()
    hours = window_hours if window_hours is not None else exam.config.window_hours
    if hours <= 0:
        raise SessionError("the window must be positive (--window-hours, or window_hours in exam.yaml)")
    deadline = now + timedelta(hours=hours)
    return store.create_session(db, exam.config.name, candidate, now, deadline, exam.config.counts), False


def current(db: Database, exam: Exam, candidate: str | None) -> store.SessionRow:
    """The timed session ``status``/``submit``/``finish`` act on: the candidate's open one (else their latest), or
    the only open session when no candidate is named. A practice session (the portal's) is never picked."""
    if candidate is not None:
        found = store.open_sessions(db, exam.config.name, candidate) or [
            s for s in [store.latest_session(db, exam.config.name, candidate)] if s is not None]
        if not found:
            raise SessionError(f"no exam session for candidate {candidate!r}; start one with "
                               f"`autograder exam start --candidate {candidate}`")
        return found[-1]
    running = store.open_sessions(db, exam.config.name)
    if len(running) == 1:
        return running[0]
    if not running:
        raise SessionError("no open exam session; start one with `autograder exam start --candidate ID`")
    names = ", ".join(sorted({s.candidate for s in running}))
    raise SessionError(f"several open sessions ({names}); say whose with --candidate ID")


def submit(db: Database, exam: Exam, session: store.SessionRow, category_name: str, path: Path, scorer: Scorer, *,
           clock: Clock = utc_now) -> store.SubmissionRow:
    """Score ``path`` for the category now and record it; raise :class:`ExamClosed` after the window."""
    category = exam.category(category_name)
    received = clock()
    name = path.name[:200]
    digest, size = _fingerprint(path)
    if session.finished_at is not None:
        raise ExamClosed("exam.finished", finished=text(session.finished_at))
    if received >= session.deadline:
        store.add_submission(db, session.id, category.id, received, name, digest, size, "late", 0, None,
                             "exam.window_closed", {"deadline": text(session.deadline)})
        raise ExamClosed("exam.window_closed", deadline=text(session.deadline))
    outcome = scorer(path, category)
    number = store.add_submission(db, session.id, category.id, received, name, digest, size, outcome.status,
                                  outcome.score if outcome.counted else 0, outcome.metric, outcome.key,
                                  outcome.params)
    return next(s for s in store.submissions(db, session.id) if s.id == number)


def standing(db: Database, exam: Exam, session: store.SessionRow, *, clock: Clock = utc_now) -> Standing:
    """Time left and each category's counted score (0 when never submitted)."""
    rows = store.submissions(db, session.id)
    found = []
    for name, category in exam.categories.items():
        counted_rows = [r for r in rows if r.category == name and r.status in ("scored", "refused")]
        if not counted_rows:
            counted = None
        elif session.counts == "last":
            counted = counted_rows[-1]
        else:
            counted = max(counted_rows, key=lambda r: (r.score, -r.id))  # the earliest of the best
        found.append(CategoryStanding(category, exam.weight(name), counted.score if counted else 0,
                                      len(counted_rows), counted, counted_rows[-1] if counted_rows else None))
    return Standing(session, clock(), tuple(found), exam.config.pass_percent)


def class_standings(db: Database, exam: Exam, *, clock: Clock = utc_now) -> list[Standing]:
    """Every session of the exam with its standing, for the instructor."""
    return [standing(db, exam, s, clock=clock) for s in store.all_sessions(db, exam.config.name)]


def finish(db: Database, exam: Exam, session: store.SessionRow, output: Path, lang: str, *,
           clock: Clock = utc_now) -> tuple[Standing, Path]:
    """Close the session (once; finishing again rewrites the page) and write the candidate's result page and,
    the first time, the gradebook row. A practice session is refused: it is never the candidate's exam result."""
    if session.practice:
        raise SessionError(f"session {session.id} of {session.candidate!r} is practice (the portal's untimed "
                           "uploads), not an exam: it has no result to finish")
    finished = session.finished_at or clock()
    output.mkdir(parents=True, exist_ok=True)
    page = output / f"{_safe(session.candidate)}-{session.id}.html"
    first = session.finished_at is None
    if first:
        store.finish_session(db, session.id, finished, str(page))
    closed = store.session_by_id(db, session.id)
    assert closed is not None
    result = standing(db, exam, closed, clock=lambda: finished)
    if first:  # the gradebook row, once (autograder.exam.gradebook_rows)
        gradebook_rows.record(db, exam, result)
    page.write_text(render(result, store.submissions(db, session.id), lang), encoding="utf-8")
    return result, page


def _fingerprint(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as stream:
            while size < _HASH_LIMIT and (chunk := stream.read(1 << 20)):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return "", 0
    return digest.hexdigest(), size


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:100] or "candidate"
