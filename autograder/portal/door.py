"""An upload at the door: stored on disk bounded, then read by the bulk grader's own intake (same caps, same
messages), so a file that is not a notebook, is too large or does not parse is refused before it is queued.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from autograder.errors import SubmissionError
from autograder.intake.submission_files import UploadLimits, _too_large_error, scan
from autograder.intake.submissions import collect, student_id

#: The notebook size cap of bulk grading (``collect``'s own default), the same at the portal's door.
NOTEBOOK_BYTES: int = (collect.__kwdefaults__ or {})["max_notebook_bytes"]
_ZIP_BYTES: int = (collect.__kwdefaults__ or {})["max_zip_bytes"]
#: Room for the multipart envelope and the form's other fields beyond the file itself.
ENVELOPE_BYTES = 64 * 1024


@dataclass(frozen=True)
class Stored:
    """An upload written to disk and checked: its path, shown name, hash and size."""

    path: Path
    filename: str
    sha256: str
    size: int


def too_large(size: int, filename: str = "upload") -> SubmissionError:
    """The bulk grader's refusal of a file of ``size`` bytes (over :data:`NOTEBOOK_BYTES`)."""
    return _too_large_error(filename, size, NOTEBOOK_BYTES)


def safe_filename(name: str | None) -> str:
    """The uploaded file's name as kept: its last part, made of safe characters, suffix lower-cased."""
    last = PurePosixPath(str(name or "").replace("\\", "/")).name or "upload"
    stem, suffix = PurePosixPath(last).stem, PurePosixPath(last).suffix.lower()
    return student_id(stem)[:80] + ("".join(c for c in suffix if c.isalnum() or c == ".")[:16])


async def store(chunks: AsyncIterator[bytes], name: str | None, folder: Path, *, max_cells: int) -> Stored:
    """Write the upload into ``folder`` (synced to disk) and check it as bulk grading would.

    Raises :class:`SubmissionError` (the intake's keys and parameters, ``file`` the student's file name) and
    removes what it wrote when the file is refused.
    """
    filename = safe_filename(name)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}-{filename}"
    digest, size = hashlib.sha256(), 0
    try:
        with open(path, "xb") as handle:
            async for chunk in chunks:
                size += len(chunk)
                if size > NOTEBOOK_BYTES:
                    raise _too_large_error(filename, size, NOTEBOOK_BYTES)
                digest.update(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        found = scan(path, UploadLimits(max_cells, NOTEBOOK_BYTES, _ZIP_BYTES))
        problem = found[0].problem if found else SubmissionError(filename, "submission.unreadable", reason="")
        if problem is not None:
            raise SubmissionError(filename, problem.key, **{**problem.params, "file": filename})
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    _sync_folder(folder)
    return Stored(path, filename, digest.hexdigest(), size)


def _sync_folder(folder: Path) -> None:
    """The new file's name is on disk too, not only its bytes."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
