"""Collecting the submissions of a grading run: one row per file, named by student.

Finding and reading the files is ``submission_files``, who is who in an LMS
export ``lms``; this module chooses each row's student id and settles
duplicates. Nothing is written to disk.
"""

from __future__ import annotations

import datetime as dt
import errno
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from autograder.errors import SubmissionError
from autograder.intake.lms import Clock, Identity, identify
from autograder.intake.roster import RosterEntry, match_names
from autograder.intake.submission_files import PATH_REFUSALS, FoundFile, UploadLimits, is_notebook_name, scan
from autograder.notebook import NotebookBytes

_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9가-힣._-]")
_MAX_ID_LENGTH = 100


@dataclass(frozen=True)
class Submission:
    """One row of a grading run: a student's notebook, or why it cannot be graded.

    ``source`` is a display path (``class.zip:kim/hw1.ipynb`` or a file path);
    when ``problem`` is set the row is invalid and ``notebook`` is ``None``.
    ``content_hash`` is the sha256 of the notebook file; ``submitted_at`` the
    submission time (ISO 8601, UTC) when the input says one (an LMS's time
    stamp; a file's mtime only when the ``Clock`` trusts them), which late
    penalties use; ``modified`` the file's own time stamp, which only chooses
    the newest of a student's notebooks. ``superseded``: the sources of the
    same student's older notebooks this one replaced; ``other_files``: the
    student's files that are not notebooks (listed, not graded); ``notes``:
    for the instructor, why the roster did not name this row.
    """

    student: str
    source: str
    notebook: NotebookBytes | None  # its bytes; parsed when its job starts (runner), not for the whole run
    problem: SubmissionError | None
    content_hash: str = ""
    submitted_at: str | None = None
    name: str | None = None
    email: str | None = None
    lms: str | None = None
    superseded: tuple[str, ...] = ()
    other_files: tuple[str, ...] = ()
    modified: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        """Whether this row can be graded."""
        return self.problem is None


def collect(
    inputs: Sequence[Path],
    *,
    max_cells: int = 1000,
    max_notebook_bytes: int = 20_000_000,
    max_zip_bytes: int = 2_000_000_000,
    roster: dict[str, RosterEntry] | None = None,
    clock: Clock | None = None,
) -> list[Submission]:
    """Read every submission under ``inputs`` (folders, ``.zip`` files, single files, LMS exports).

    Returns one row per student, sorted by student id. Raises
    ``FileNotFoundError`` if an input does not exist; every problem with a file
    is a row instead. ``clock`` says how time stamps are read (default: naive
    times in UTC, no mtimes as submission times).
    """
    clock = clock or Clock()
    for path in inputs:
        if not path.exists():
            raise FileNotFoundError(errno.ENOENT, "submission input does not exist", str(path))
    limits = UploadLimits(max_cells, max_notebook_bytes, max_zip_bytes)
    rows: list[Submission] = []
    for path in inputs:
        found = scan(path, limits)
        export = identify(found, clock)
        rows.extend(_name_rows([item for item in found if item.source not in export.metadata],
                               export.identities, clock))
    if roster:
        rows = _with_roster(rows, roster)
    return sorted(_deduplicate(_newest_wins(rows)), key=lambda row: (row.student.casefold(), row.student))


def student_id(name: str) -> str:
    """Turn a file or folder name into a student id of ``[A-Za-z0-9가-힣._-]``.

    Never empty and never starting with ``.``; Hangul is kept (also when macOS
    stored it decomposed).
    """
    cleaned = _UNSAFE_ID_CHARS.sub("_", unicodedata.normalize("NFC", name))[:_MAX_ID_LENGTH]
    if cleaned.startswith("."):
        cleaned = "_" + cleaned.lstrip(".")
    return cleaned or "unnamed"


def _name_rows(found: list[FoundFile], identities: dict[str, Identity], clock: Clock) -> list[Submission]:
    """Choose student ids: the LMS's, else the file stem, or the folder when all foldered notebooks share a stem.

    With per-student folders, a folder's files that are not notebooks are its
    student's, listed with the notebook rather than rows of their own.
    """
    in_folders = [item for item in found if _is_foldered_notebook(item) and item.source not in identities]
    stems = {student_id(_stem(item.parts[-1])).casefold() for item in in_folders}
    generic = len(in_folders) >= 2 and len(stems) == 1
    folders = {item.parts[:-1] for item in in_folders} if generic else set()
    rows: list[Submission] = []
    holder: dict[tuple[str, ...], int] = {}  # per-student folder -> index of its notebook's row
    attached: dict[tuple[str, ...], list[str]] = {}
    for item in found:
        modified = clock.iso(item.modified)
        identity = identities.get(item.source)
        if identity is not None:
            rows.append(Submission(student_id(identity.student), item.source, item.notebook, item.problem,
                                   item.sha256, identity.submitted_at, identity.name, identity.email, identity.lms,
                                   modified=modified))
            continue
        owner = _owning_folder(item, folders)
        if owner is not None:
            attached.setdefault(owner, []).append(item.source)
            continue
        use_folder = generic and _is_foldered_notebook(item)
        if use_folder:
            holder.setdefault(item.parts[:-1], len(rows))
        name = item.parts[-2] if use_folder else _stem(item.parts[-1])
        rows.append(Submission(student_id(name), item.source, item.notebook, item.problem, item.sha256,
                               clock.submitted(item, lms=False), modified=modified))
    for folder, sources in attached.items():
        rows[holder[folder]] = replace(rows[holder[folder]], other_files=tuple(sorted(sources)))
    return rows


def _owning_folder(item: FoundFile, folders: set[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The deepest per-student folder holding ``item``, when it is not a notebook."""
    if is_notebook_name(item.parts[-1]):
        return None
    return next((item.parts[:n] for n in range(len(item.parts) - 1, 0, -1) if item.parts[:n] in folders), None)


def _with_roster(rows: list[Submission], roster: dict[str, RosterEntry]) -> list[Submission]:
    """Names and e-mails from the roster; an LMS name unique in the roster and the run takes the roster's id."""
    match = match_names([(row.student, row.name) for row in rows], roster)
    named = []
    for row in rows:
        entry = roster.get(match.ids.get(row.student, row.student))
        if entry is None:
            note = match.notes.get(row.student)
            named.append(replace(row, notes=(*row.notes, note)) if note else row)
            continue
        named.append(replace(row, student=student_id(entry.student), name=entry.name or row.name,
                             email=entry.email or row.email))
    return named


def _newest_wins(rows: list[Submission]) -> list[Submission]:
    """Of one student's LMS files, grade the newest notebook; list its older notebooks and the other files.

    Only notebooks compete: a ``requirements.txt`` or a PDF uploaded with the
    notebook is listed, never graded instead of it. A student who sent no
    notebook keeps one row (why it cannot be graded) and the rest listed.
    """
    groups: dict[str, list[Submission]] = {}
    for row in rows:
        groups.setdefault(row.student.casefold(), []).append(row)
    kept: list[Submission] = []
    for group in groups.values():
        lms = [row for row in group if row.lms is not None]
        kept.extend(row for row in group if row.lms is None)
        if not lms:
            continue
        notebooks = [row for row in lms if is_notebook_name(row.source)]
        newest = max(notebooks or lms, key=_recency)
        older = tuple(sorted(row.source for row in notebooks if row is not newest))
        others = [row.source for row in lms if row is not newest and all(row is not n for n in notebooks)]
        kept.append(replace(newest, superseded=older, other_files=tuple(sorted([*newest.other_files, *others]))))
    return kept


def _recency(row: Submission) -> tuple[dt.datetime, dt.datetime, str]:
    """Newest first by the submission time, then the file's own time stamp, then the source."""
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    times = [dt.datetime.fromisoformat(value) if value else oldest for value in (row.submitted_at, row.modified)]
    return times[0], times[1], row.source


def _deduplicate(rows: list[Submission]) -> list[Submission]:
    """Keep the first gradable row per student (in source order); rename the others ``__dupN``."""
    holders: dict[str, str] = {}  # casefolded id -> source of the row that has it
    result = []
    for row in sorted(rows, key=lambda row: (row.problem is not None, row.source)):
        first = holders.get(row.student.casefold())
        if first is None:
            holders[row.student.casefold()] = row.source
            result.append(row)
            continue
        number = 2
        while f"{row.student}__dup{number}".casefold() in holders:
            number += 1
        new_id = f"{row.student}__dup{number}"
        holders[new_id.casefold()] = row.source
        problem = row.problem or SubmissionError(
            row.source, "submission.duplicate", file=row.source, student=row.student, first=first
        )
        result.append(replace(row, student=new_id, notebook=None, problem=problem))
    return result


def _is_foldered_notebook(item: FoundFile) -> bool:
    unsafe = item.problem is not None and item.problem.key in PATH_REFUSALS
    return len(item.parts) > 1 and is_notebook_name(item.parts[-1]) and not unsafe


def _stem(name: str) -> str:
    return PurePosixPath(name).stem
