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
from autograder.grade.submission_files import PATH_REFUSALS, FoundFile, Limits, is_notebook_name, scan

_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9가-힣._-]")
_MAX_ID_LENGTH = 100


@dataclass(frozen=True)
class Submission:
    """One row of a grading run: a student's notebook, or why it cannot be graded.

    ``source`` is a display path (``class.zip:kim/hw1.ipynb`` or a file path);
    when ``problem`` is set the row is invalid and ``notebook`` is ``None``.
    """

    student: str
    source: str
    notebook: NotebookNode | None
    problem: SubmissionError | None

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
) -> list[Submission]:
    """Read every submission under ``inputs`` (folders, ``.zip`` files, single files).

    Returns one row per file, sorted by student id. Raises ``FileNotFoundError``
    if an input does not exist; every problem with a file is a row instead.
    """
    for path in inputs:
        if not path.exists():
            raise FileNotFoundError(errno.ENOENT, "submission input does not exist", str(path))
    limits = Limits(max_cells, max_notebook_bytes, max_zip_bytes)
    rows: list[Submission] = []
    for path in inputs:
        rows.extend(_name_rows(scan(path, limits)))
    return sorted(_deduplicate(rows), key=lambda row: (row.student.casefold(), row.student))


def student_id(name: str) -> str:
    """Turn a file or folder name into a student id of ``[A-Za-z0-9가-힣._-]``.

    Never empty and never starting with ``.``; Hangul is kept (also when macOS
    stored it decomposed).
    """
    cleaned = _UNSAFE_ID_CHARS.sub("_", unicodedata.normalize("NFC", name))[:_MAX_ID_LENGTH]
    if cleaned.startswith("."):
        cleaned = "_" + cleaned.lstrip(".")
    return cleaned or "unnamed"


def _name_rows(found: list[FoundFile]) -> list[Submission]:
    """Choose student ids: the file stem, or the folder when all foldered notebooks share a stem."""
    in_folders = [item for item in found if _is_foldered_notebook(item)]
    stems = {student_id(_stem(item.parts[-1])).casefold() for item in in_folders}
    generic = len(in_folders) >= 2 and len(stems) == 1
    rows = []
    for item in found:
        use_folder = generic and _is_foldered_notebook(item)
        name = item.parts[-2] if use_folder else _stem(item.parts[-1])
        rows.append(Submission(student_id(name), item.source, item.notebook, item.problem))
    return rows


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
