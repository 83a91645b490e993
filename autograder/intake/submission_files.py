"""Finding submission files in folders, zip archives and single files, and reading them.

Every file found becomes a ``FoundFile``: a parsed notebook or the reason it
cannot be graded. Zip entries are read in memory and nothing is ever written to
disk, so a hostile archive (``../`` paths, links, bombs) has nowhere to write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from autograder.errors import SubmissionError
from autograder.notebook import NotebookBytes, check_notebook

NOTEBOOK_SUFFIX = ".ipynb"
# Files refused for where they point, not for their content.
PATH_REFUSALS = frozenset(
    {"submission.zip_unsafe_path", "submission.zip_symlink", "submission.symlink_outside"}
)
_SKIPPED_NAMES = frozenset({"__MACOSX"})
_DRIVE_LETTER = re.compile(r"^[A-Za-z]:")
_UTF8_NAME_FLAG = 0x800
# LMS export files read as text (not graded): Gradescope's "export submissions" metadata.
METADATA_NAMES = frozenset({"submission_metadata.yml"})
_MAX_METADATA_BYTES = 20_000_000


@dataclass(frozen=True)
class UploadLimits:
    """Size limits applied while reading submissions (the sandbox's are :class:`~autograder.sandbox.process.Limits`)."""

    cells: int
    notebook_bytes: int
    zip_bytes: int


@dataclass(frozen=True)
class FoundFile:
    """A file found in one input, before its student id is chosen.

    ``parts`` is its path inside the input (folder or archive); the last part is
    the file name. Exactly one of ``notebook`` and ``problem`` is set. A file
    named like an LMS's metadata also carries its ``text``, for the LMS reader
    to use when it is the export's own (at its top); anywhere else it is a file
    that is not a notebook, like any other.
    ``sha256`` is the hash of the file's bytes; ``modified`` its time stamp
    (ISO 8601): for a zip entry (``in_archive``) the entry's time, which zip
    stores without a time zone; else the file's mtime in UTC.
    """

    source: str
    parts: tuple[str, ...]
    notebook: NotebookBytes | None  # checked, kept as bytes: parsed again when its job starts
    problem: SubmissionError | None
    sha256: str = ""
    modified: str | None = None
    text: str | None = None
    in_archive: bool = False

    @property
    def is_metadata(self) -> bool:
        """Whether this file is named like an LMS's metadata (read as text, never graded)."""
        return self.text is not None


def scan(path: Path, limits: UploadLimits) -> list[FoundFile]:
    """Find and read every file of one input: a folder, a ``.zip`` or a single file."""
    if path.is_dir():
        return _scan_folder(path, limits)
    if path.suffix.lower() == ".zip":
        return _scan_zip(path, limits)
    return [_read_file(path, (path.name,), limits)]


def is_notebook_name(name: str) -> bool:
    """Whether ``name`` has the notebook suffix (in any case)."""
    return name.lower().endswith(NOTEBOOK_SUFFIX)


def _scan_folder(root: Path, limits: UploadLimits) -> list[FoundFile]:
    real_root = root.resolve()
    errors: list[OSError] = []
    found: list[FoundFile] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        here = Path(dirpath)
        dirnames[:] = sorted(name for name in dirnames if not _skipped(name))
        # os.walk does not descend into linked folders; one pointing outside is reported.
        for name in dirnames:
            if (here / name).is_symlink() and not _inside(here / name, real_root):
                parts = (here / name).relative_to(root).parts
                found.append(_refused(str(here / name), parts, "submission.symlink_outside"))
        for name in sorted(filenames):
            path = here / name
            parts = path.relative_to(root).parts
            if _skipped(name):
                continue
            if path.is_symlink() and not _inside(path, real_root):
                found.append(_refused(str(path), parts, "submission.symlink_outside"))
            else:
                found.append(_read_file(path, parts, limits))
    for exc in errors:
        where = str(exc.filename)
        found.append(_refused(where, (Path(where).name,), "submission.unreadable", reason=_reason(exc)))
    return found


def _scan_zip(path: Path, limits: UploadLimits) -> list[FoundFile]:
    try:
        archive = zipfile.ZipFile(path)
    except Exception:  # noqa: BLE001  (a damaged archive can make zipfile raise almost anything)
        return [_refused(str(path), (path.name,), "submission.zip_corrupt")]
    with archive:
        return _scan_archive(archive, str(path), limits)


def _scan_archive(archive: zipfile.ZipFile, display: str, limits: UploadLimits) -> list[FoundFile]:
    found: list[FoundFile] = []
    total = 0
    for info in sorted(archive.infolist(), key=lambda item: item.filename):
        name = _entry_name(info).replace("\\", "/")
        parts = tuple(part for part in name.split("/") if part not in ("", "."))
        if info.is_dir() or name.endswith("/") or not parts:
            continue
        if any(_skipped(part) for part in parts) and not _unsafe_name(name, parts):
            continue
        item, read = _entry(archive, info, (f"{display}:{name}", name, parts), limits, total)
        total += read
        # zip stores a naive local time; the LMS reader decides which zone it is in
        found.append(replace(item, modified=dt.datetime(*info.date_time).isoformat(), in_archive=True))
    return found


def _unsafe_name(name: str, parts: tuple[str, ...]) -> bool:
    return name.startswith("/") or bool(_DRIVE_LETTER.match(name)) or ".." in parts


def _entry(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    where: tuple[str, str, tuple[str, ...]],
    limits: UploadLimits,
    total: int,
) -> tuple[FoundFile, int]:
    """One entry read (or why not), and how many of the archive's notebook bytes it used."""
    source, name, parts = where
    if _unsafe_name(name, parts):
        return _refused(source, parts, "submission.zip_unsafe_path", entry=name), 0
    if stat.S_ISLNK(info.external_attr >> 16):
        return _refused(source, parts, "submission.zip_symlink"), 0
    if parts[-1] in METADATA_NAMES and info.file_size <= _MAX_METADATA_BYTES:
        data = _read_member(archive, info, _MAX_METADATA_BYTES)
        if data is None:
            return _refused(source, parts, "submission.zip_entry_unreadable"), 0
        return _metadata(source, parts, data[:_MAX_METADATA_BYTES].decode("utf-8", "replace"), None), 0
    if not is_notebook_name(parts[-1]):
        return _refused(source, parts, "submission.not_notebook_file"), 0
    if info.file_size > limits.notebook_bytes:
        return FoundFile(source, parts, None, _too_large_error(source, info.file_size, limits.notebook_bytes)), 0
    if total + info.file_size > limits.zip_bytes:
        limit, limit_text = limits.zip_bytes, _size_text(limits.zip_bytes)
        return _refused(source, parts, "submission.zip_too_large", limit=limit, limit_text=limit_text), 0
    data = _read_member(archive, info, limits.notebook_bytes)
    if data is None:
        return _refused(source, parts, "submission.zip_entry_unreadable"), info.file_size
    if len(data) > limits.notebook_bytes:
        error = _too_large_error(source, len(data), limits.notebook_bytes)
        return FoundFile(source, parts, None, error), info.file_size
    return _parse(data, source, parts, limits, None), info.file_size


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes | None:
    """At most ``limit + 1`` bytes of an entry, or ``None`` when it cannot be read."""
    try:
        # ZipExtFile stops at the declared size, so a bomb cannot inflate past it.
        with archive.open(info) as entry:
            return entry.read(limit + 1)
    except Exception:  # noqa: BLE001  (bad CRC, password, unknown compression, truncated data)
        return None


def _entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name, repairing Korean names that Windows stored in CP949 without saying so."""
    if info.flag_bits & _UTF8_NAME_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")  # how zipfile decoded the unflagged bytes
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _read_file(path: Path, parts: tuple[str, ...], limits: UploadLimits) -> FoundFile:
    source = str(path)
    metadata = parts[-1] in METADATA_NAMES
    if not is_notebook_name(parts[-1]) and not metadata:
        return _refused(source, parts, "submission.not_notebook_file")
    try:
        data = _read_bounded(path.resolve(), source, _MAX_METADATA_BYTES if metadata else limits.notebook_bytes)
        modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).isoformat()
    except SubmissionError as exc:
        return FoundFile(source, parts, None, exc)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop, before Python 3.13
        return _refused(source, parts, "submission.unreadable", reason=_reason(exc))
    if metadata:
        return _metadata(source, parts, data.decode("utf-8", "replace"), modified)
    return _parse(data, source, parts, limits, modified)


def _metadata(source: str, parts: tuple[str, ...], text: str, modified: str | None) -> FoundFile:
    return replace(_refused(source, parts, "submission.not_notebook_file"), text=text, modified=modified)


def _read_bounded(path: Path, source: str, limit: int) -> bytes:
    # O_NONBLOCK so that a FIFO cannot hang the run; O_NOFOLLOW because ``path`` is already resolved.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    with os.fdopen(os.open(path, flags), "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SubmissionError(source, "submission.not_regular_file", file=source)
        if info.st_size > limit:
            raise _too_large_error(source, info.st_size, limit)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise _too_large_error(source, len(data), limit)
    return data


def _parse(data: bytes, source: str, parts: tuple[str, ...], limits: UploadLimits, modified: str | None) -> FoundFile:
    digest = hashlib.sha256(data).hexdigest()
    try:
        notebook = check_notebook(data, source, max_cells=limits.cells)
    except SubmissionError as exc:
        return FoundFile(source, parts, None, exc, digest, modified)
    return FoundFile(source, parts, notebook, None, digest, modified)


def _refused(source: str, parts: tuple[str, ...], key: str, **params: Any) -> FoundFile:
    return FoundFile(source, parts, None, SubmissionError(source, key, file=source, **params))


def _too_large_error(source: str, size: int, limit: int) -> SubmissionError:
    return SubmissionError(
        source,
        "submission.file_too_large",
        file=source,
        size=size,
        limit=limit,
        size_text=_size_text(size),
        limit_text=_size_text(limit),
    )


def _size_text(size: int) -> str:
    """A size for people: ``20.0 MB``, ``512.0 KB``, ``80 B``."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{size / 1000:.1f} KB" if size >= 1000 else f"{size} B"


def _inside(path: Path, real_root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(real_root)
    except (OSError, RuntimeError):
        return False


def _skipped(name: str) -> bool:
    return name.startswith(".") or name in _SKIPPED_NAMES


def _reason(exc: BaseException) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
