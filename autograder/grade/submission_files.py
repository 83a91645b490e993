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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from autograder.errors import SubmissionError
from autograder.notebook import load_notebook

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
class Limits:
    """Size limits applied while reading submissions."""

    cells: int
    notebook_bytes: int
    zip_bytes: int


@dataclass(frozen=True)
class FoundFile:
    """A file found in one input, before its student id is chosen.

    ``parts`` is its path inside the input (folder or archive); the last part is
    the file name. Exactly one of ``notebook`` and ``problem`` is set, except
    for an LMS metadata file, which has neither and carries its ``text``.
    ``sha256`` is the hash of the file's bytes; ``modified`` its time stamp
    (ISO 8601: the zip entry's time, or the file's mtime in UTC).
    """

    source: str
    parts: tuple[str, ...]
    notebook: NotebookNode | None
    problem: SubmissionError | None
    sha256: str = ""
    modified: str | None = None
    text: str | None = None

    @property
    def is_metadata(self) -> bool:
        """Whether this is an LMS metadata file rather than a submission."""
        return self.text is not None


def scan(path: Path, limits: Limits) -> list[FoundFile]:
    """Find and read every file of one input: a folder, a ``.zip`` or a single file."""
    if path.is_dir():
        return _scan_folder(path, limits)
    if path.suffix.lower() == ".zip":
        return _scan_zip(path, limits)
    return [_read_file(path, (path.name,), limits)]


def is_notebook_name(name: str) -> bool:
    """Whether ``name`` has the notebook suffix (in any case)."""
    return name.lower().endswith(NOTEBOOK_SUFFIX)


def _scan_folder(root: Path, limits: Limits) -> list[FoundFile]:
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


def _scan_zip(path: Path, limits: Limits) -> list[FoundFile]:
    try:
        archive = zipfile.ZipFile(path)
    except Exception:  # noqa: BLE001  (a damaged archive can make zipfile raise almost anything)
        return [_refused(str(path), (path.name,), "submission.zip_corrupt")]
    with archive:
        return _scan_archive(archive, str(path), limits)


def _scan_archive(archive: zipfile.ZipFile, display: str, limits: Limits) -> list[FoundFile]:
    found: list[FoundFile] = []
    total = 0
    for info in sorted(archive.infolist(), key=lambda item: item.filename):
        name = _entry_name(info).replace("\\", "/")
        parts = tuple(part for part in name.split("/") if part not in ("", "."))
        if info.is_dir() or name.endswith("/") or not parts:
            continue
        source = f"{display}:{name}"
        if name.startswith("/") or _DRIVE_LETTER.match(name) or ".." in parts:
            found.append(_refused(source, parts, "submission.zip_unsafe_path", entry=name))
        elif any(_skipped(part) for part in parts):
            continue
        elif stat.S_ISLNK(info.external_attr >> 16):
            found.append(_refused(source, parts, "submission.zip_symlink"))
        elif parts[-1] in METADATA_NAMES and info.file_size <= _MAX_METADATA_BYTES:
            with archive.open(info) as entry:
                text = entry.read(_MAX_METADATA_BYTES).decode("utf-8", "replace")
            found.append(FoundFile(source, parts, None, None, text=text))
        elif not is_notebook_name(parts[-1]):
            found.append(_refused(source, parts, "submission.not_notebook_file"))
        elif info.file_size > limits.notebook_bytes:
            error = _too_large_error(source, info.file_size, limits.notebook_bytes)
            found.append(FoundFile(source, parts, None, error))
        elif total + info.file_size > limits.zip_bytes:
            limit, limit_text = limits.zip_bytes, _size_text(limits.zip_bytes)
            found.append(
                _refused(source, parts, "submission.zip_too_large", limit=limit, limit_text=limit_text)
            )
        else:
            total += info.file_size
            found.append(_read_entry(archive, info, source, parts, limits))
    return found


def _read_entry(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    source: str,
    parts: tuple[str, ...],
    limits: Limits,
) -> FoundFile:
    try:
        # ZipExtFile stops at the declared size, so a bomb cannot inflate past it.
        with archive.open(info) as entry:
            data = entry.read(limits.notebook_bytes + 1)
    except Exception:  # noqa: BLE001  (bad CRC, password, unknown compression, truncated data)
        return _refused(source, parts, "submission.zip_entry_unreadable")
    if len(data) > limits.notebook_bytes:
        return FoundFile(source, parts, None, _too_large_error(source, len(data), limits.notebook_bytes))
    return _parse(data, source, parts, limits, dt.datetime(*info.date_time).isoformat())


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


def _read_file(path: Path, parts: tuple[str, ...], limits: Limits) -> FoundFile:
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
        return FoundFile(source, parts, None, None, text=data.decode("utf-8", "replace"))
    return _parse(data, source, parts, limits, modified)


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


def _parse(data: bytes, source: str, parts: tuple[str, ...], limits: Limits, modified: str | None) -> FoundFile:
    digest = hashlib.sha256(data).hexdigest()
    try:
        notebook = load_notebook(data, source, max_cells=limits.cells)
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
