"""Exam-practice model uploads: a saved model (``.keras`` or ``.h5``) for a category of the course's exam folder.

At the door only the file's name, size and first bytes are looked at (the exam's own refusals and messages:
``exam.file_kind``, ``model.too_large`` at the exam's ``max_model_mb``, ``model.not_keras_file``); the model is
never parsed in the server process. An accepted file is an upload row (``assignment`` is ``exam:<category>``)
with a job of kind ``exam`` in the portal's durable queue. The grading loop scores it with the exam's scorer
(:func:`autograder.exam.artifact.scorer`: the bounded model host, the hidden data) and records it in the exam's
tables of the same gradebook, where ``autograder exam status`` and ``exam class`` read it:

- inside the student's open timed window (``autograder exam start --candidate <student id>``), the upload counts
  for that session, received at the time the portal acknowledged it (queueing never makes it late);
- otherwise it is practice: recorded in the student's practice session (:func:`autograder.exam.store.
  practice_session`: a session of kind ``practice``, finished the moment it is created, so no timed command
  resumes, finishes or records it and nothing but the portal adds to it).

Each record's file name is :func:`record_name` (unique to the job), so a server killed between recording and
marking the job done finishes the job at the next start instead of scoring it twice.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from autograder.exam import session as exam_session
from autograder.exam import store as exam_store
from autograder.exam.artifact import WHAT, host_limits, score_file
from autograder.exam.catalogue import Category, Exam
from autograder.exam.hidden import Hidden, hidden_data
from autograder.exam.outcome import Outcome
from autograder.gradebook.backend import Database
from autograder.models.loading import too_large
from autograder.portal.door import Stored, safe_filename
from autograder.portal.store import EXAM_PREFIX as PREFIX
from autograder.portal.store import exam_record_name as record_name

KIND = "exam"
MODEL_SUFFIXES = (".keras", ".h5")
STARTER_SUFFIXES = (".py", ".ipynb")
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a .keras file is a zip archive (an empty one starts PK\5\6)
_HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
Scorer = Callable[[Path, Category], Outcome]


class Refused(Exception):
    """An upload refused at the door: a message key (the exam's or the models') and its parameters."""

    def __init__(self, key: str, status: int = 422, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.status = status
        self.params = params


def assignment_of(category: Category) -> str:
    """The upload rows' ``assignment`` of a category (never an assignment id: those have no colon)."""
    return PREFIX + str(category.id)


def is_exam(assignment: str) -> bool:
    return assignment.startswith(PREFIX)


def category_id(assignment: str) -> str:
    return assignment[len(PREFIX):]


def find_exam(course_root: Path, setting: Path | None) -> Path | None:
    """The course's exam folder: ``portal.exam_dir``, else ``exam/`` beside the config (where ``autograder exam``
    looks by default, run from the course folder) when it holds ``exam.yaml``; None: the course has no exam."""
    if setting is not None:
        return setting if setting.is_absolute() else course_root / setting
    found = course_root / "exam"
    return found if (found / "exam.yaml").is_file() else None


def kind_refusal(filename: str) -> Refused | None:
    """The refusal of a file that is not a saved model, by its name (before a byte is read)."""
    suffix = Path(filename).suffix.lower()
    if suffix in STARTER_SUFFIXES:
        return Refused("portal.exam.starter_here", name=filename[:200])
    if suffix not in MODEL_SUFFIXES:
        return Refused("exam.file_kind", name=filename[:200])
    return None


def size_refusal(size: int, max_bytes: int) -> Refused:
    refusal = too_large(size, max_bytes)
    return Refused(refusal.key, 413, what=WHAT, **{str(k): str(v) for k, v in refusal.params.items()})


async def store(chunks: AsyncIterator[bytes], name: str | None, folder: Path, *, max_bytes: int) -> Stored:
    """Write a model upload into ``folder`` (bounded at ``max_bytes``, synced) and look at its first bytes only.

    Raises :class:`Refused` (and removes what it wrote) for a file that is not a model file or is too large.
    """
    filename = safe_filename(name)
    wrong = kind_refusal(filename)
    if wrong is not None:
        raise wrong
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}-{filename}"
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with open(path, "xb") as handle:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    async for rest in chunks:  # the real size, for the message (the body is capped by the guard)
                        size += len(rest)
                    raise size_refusal(size, max_bytes)
                if len(head) < 8:
                    head += chunk[:8 - len(head)]
                digest.update(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if filename.lower().endswith(".keras") and not head.startswith(_ZIP_MAGIC):
            raise Refused("model.not_keras_file", what=WHAT, detail="File is not a zip file")
        if filename.lower().endswith(".h5") and head != _HDF5_MAGIC:
            raise Refused("model.not_keras_file", what=WHAT, detail="not an HDF5 file")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return Stored(path, filename, digest.hexdigest(), size)


def scorer(exam: Exam, data_dir: Path | None, hide: tuple[Path, ...]) -> Scorer:
    """:func:`autograder.exam.artifact.scorer` with more paths hidden from its children: the exam's scoring
    (hidden data built once per category, the ``.h5`` converter, the bounded model host) where neither child
    sees the exam folder nor ``hide`` (every student's uploads, the gradebook, the course's solutions)."""
    built: dict[str, Hidden] = {}
    secret = (exam.folder.resolve(), *hide)

    def score(path: Path, category: Category) -> Outcome:
        if category.id not in built:
            built[category.id] = hidden_data(category, data_dir)
        return score_file(path, category, built[category.id], max_bytes=exam.max_bytes, limits=host_limits(exam),
                          hide=secret)

    return score


# --- recording ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    """A job's exam submission as recorded: the row, its session, and whether it was practice."""

    row: exam_store.SubmissionRow
    session: exam_store.SessionRow

    @property
    def practice(self) -> bool:
        return self.session.practice


def practice_session(db: Database, exam: Exam, student: str, moment: datetime) -> exam_store.SessionRow:
    """``student``'s practice session (made, already finished, at their first practice upload)."""
    return exam_store.practice_session(db, exam.config.name, student, moment, exam.config.counts)


def timed_session(db: Database, exam: Exam, student: str, moment: datetime) -> exam_store.SessionRow | None:
    """``student``'s unfinished timed session whose window holds ``moment``, if any."""
    for one in reversed(exam_store.open_sessions(db, exam.config.name, student)):
        # uploads are stamped to the second: one in the second the window opened is inside it
        if not one.practice and one.started_at.replace(microsecond=0) <= moment < one.deadline:
            return one
    return None


def recorded(db: Database, exam_name: str, student: str, job_id: int, filename: str) -> Recorded | None:
    """The exam submission recorded for a job, if any."""
    name = record_name(job_id, filename)
    rows = db.execute("SELECT s.id FROM exam_sessions s JOIN exam_submissions x ON x.session_id = s.id "
                      "WHERE s.exam = ? AND s.candidate = ? AND x.file_name = ? ORDER BY x.id DESC LIMIT 1",
                      (exam_name, student, name))
    if not rows:
        return None
    session = exam_store.session_by_id(db, int(rows[0][0]))
    assert session is not None
    row = next(r for r in reversed(exam_store.submissions(db, session.id)) if r.file_name == name)
    return Recorded(row, session)


def score_and_record(db: Database, exam: Exam, scorer: Scorer, *, job_id: int, student: str, category: str,
                     stored: Path, filename: str, received: datetime) -> Recorded:
    """Score the stored upload for ``category`` and record it (in the open timed window, else as practice)."""
    with tempfile.TemporaryDirectory(prefix="autograder-portal-exam-") as staging:
        path = Path(staging) / record_name(job_id, filename)
        if stored.is_file():
            shutil.copyfile(stored, path)
        # a missing stored file stays missing: the exam's reader refuses it (exam.file_unreadable)
        timed = timed_session(db, exam, student, received)
        if timed is not None:
            try:
                exam_session.submit(db, exam, timed, category, path, scorer, clock=lambda: received)
            except exam_session.ExamClosed:  # finished between the upload and now: practice after all
                timed = None
        if timed is None:
            practice = practice_session(db, exam, student, received)
            outcome = scorer(path, exam.category(category))
            digest, size = _digest(path)
            exam_store.add_submission(db, practice.id, category, received, path.name, digest, size, outcome.status,
                                      outcome.score if outcome.counted else 0, outcome.metric, outcome.key,
                                      outcome.params)
    found = recorded(db, exam.config.name, student, job_id, filename)
    assert found is not None
    return found


def _digest(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return "", 0
    return digest.hexdigest(), size
