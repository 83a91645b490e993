"""Collecting the submissions of a grading run: one row per file, named by student.

Finding and reading the files is ``submission_files``; this module chooses each
row's student id and settles duplicates. Nothing is written to disk.
"""

from __future__ import annotations

import errno
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from nbformat import NotebookNode

from autograder.errors import SubmissionError
from autograder.grade.lms import Identity, RosterEntry, identify
from autograder.grade.submission_files import PATH_REFUSALS, FoundFile, Limits, is_notebook_name, scan

_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9가-힣._-]")
_MAX_ID_LENGTH = 100


@dataclass(frozen=True)
class Submission:
    """One row of a grading run: a student's notebook, or why it cannot be graded.

    ``source`` is a display path (``class.zip:kim/hw1.ipynb`` or a file path);
    when ``problem`` is set the row is invalid and ``notebook`` is ``None``.
    ``content_hash`` is the sha256 of the notebook file; ``submitted_at`` the
    LMS time stamp (ISO 8601, UTC) when the input is an LMS export;
    ``superseded`` the sources of the same student's older files this one
    replaced (newest by LMS time stamp wins).
    """

    student: str
    source: str
    notebook: NotebookNode | None
    problem: SubmissionError | None
    content_hash: str = ""
    submitted_at: str | None = None
    name: str | None = None
    email: str | None = None
    lms: str | None = None
    superseded: tuple[str, ...] = ()

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
) -> list[Submission]:
    """Read every submission under ``inputs`` (folders, ``.zip`` files, single files, LMS exports).

    Returns one row per student, sorted by student id. Raises
    ``FileNotFoundError`` if an input does not exist; every problem with a file
    is a row instead.
    """
    for path in inputs:
        if not path.exists():
            raise FileNotFoundError(errno.ENOENT, "submission input does not exist", str(path))
    limits = Limits(max_cells, max_notebook_bytes, max_zip_bytes)
    rows: list[Submission] = []
    for path in inputs:
        found = scan(path, limits)
        rows.extend(_name_rows([item for item in found if not item.is_metadata], identify(found)))
    if roster:
        rows = [_with_roster(row, roster) for row in rows]
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


def _name_rows(found: list[FoundFile], identities: dict[str, Identity]) -> list[Submission]:
    """Choose student ids: the LMS's, else the file stem, or the folder when all foldered notebooks share a stem."""
    in_folders = [item for item in found if _is_foldered_notebook(item) and item.source not in identities]
    stems = {student_id(_stem(item.parts[-1])).casefold() for item in in_folders}
    generic = len(in_folders) >= 2 and len(stems) == 1
    rows = []
    for item in found:
        identity = identities.get(item.source)
        if identity is not None:
            rows.append(Submission(student_id(identity.student), item.source, item.notebook, item.problem,
                                   item.sha256, identity.submitted_at, identity.name, identity.email, identity.lms))
            continue
        use_folder = generic and _is_foldered_notebook(item)
        name = item.parts[-2] if use_folder else _stem(item.parts[-1])
        rows.append(Submission(student_id(name), item.source, item.notebook, item.problem, item.sha256))
    return rows


def _with_roster(row: Submission, roster: dict[str, RosterEntry]) -> Submission:
    """Names and e-mails from the roster; an LMS name found in the roster takes the roster's id."""
    entry = roster.get(row.student)
    if entry is None and row.name:
        entry = next((e for e in roster.values() if e.name and e.name.casefold() == row.name.casefold()), None)
    if entry is None:
        return row
    return replace(row, student=student_id(entry.student), name=entry.name or row.name,
                   email=entry.email or row.email)


def _newest_wins(rows: list[Submission]) -> list[Submission]:
    """Of one student's LMS submissions with time stamps, keep the newest; it lists the others."""
    groups: dict[str, list[Submission]] = {}
    for row in rows:
        groups.setdefault(row.student.casefold(), []).append(row)
    kept = []
    for group in groups.values():
        dated = [row for row in group if row.lms is not None and row.submitted_at is not None]
        if len(dated) < 2:
            kept.extend(group)
            continue
        newest = max(dated, key=lambda row: (row.submitted_at or "", row.source))
        older = tuple(sorted(row.source for row in dated if row is not newest))
        kept.append(replace(newest, superseded=older))
        kept.extend(row for row in group if all(row is not d for d in dated))
    return kept


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
