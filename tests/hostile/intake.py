"""Builders of LMS exports in which students' own files try to say who is who, or when.

An export is written the way its LMS writes it: its own top level (Gradescope's
``submission_metadata.yml`` and ``submission_<id>/`` folders, Moodle's
``<Full Name>_<id>_assignsubmission_file_/`` folders, Canvas's
``<lastfirst>_<user id>_<submission id>_<file>`` names) is the LMS's; what is
inside one submission is the student's, and may hold anything: a planted
metadata file, a folder named like another submission, a PDF next to the
notebook. Each ``Upload`` is one student's submission.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

Stamp = tuple[int, int, int, int, int, int]  # a zip entry's naive date_time


def notebook(text: str = "x = 1") -> bytes:
    """A small valid notebook whose one code cell is ``text``."""
    return nbformat.writes(new_notebook(cells=[new_code_cell(text)])).encode()


@dataclass(frozen=True)
class Upload:
    """One student's submission: who the LMS says they are, when, and the files they sent."""

    sid: str
    name: str
    created_at: str = "2026-11-20 10:00:00.000000000 +09:00"  # Gradescope's format
    files: Mapping[str, bytes] = field(default_factory=lambda: {"hw.ipynb": notebook()})
    when: Stamp = (2026, 11, 20, 10, 0, 0)  # the zip entry time Moodle and Canvas write


def gradescope_metadata(uploads: Mapping[str, Upload]) -> str:
    """``submission_metadata.yml`` as Gradescope writes it, for ``{folder: upload}``."""
    lines = []
    for folder, upload in uploads.items():
        lines += [f"{folder}:", "  :submitters:", f"  - :name: {json.dumps(upload.name)}", f"    :sid: '{upload.sid}'",
                  f"    :email: {upload.sid}@example.edu", f"  :created_at: {upload.created_at}", "  :score: 0.0"]
    return "\n".join(lines) + "\n"


def planted_metadata(claims: Mapping[str, tuple[str, str]]) -> bytes:
    """A ``submission_metadata.yml`` a student uploads: ``{folder: (sid, created_at)}``."""
    return gradescope_metadata({folder: Upload(sid, "Someone Else", created_at)
                                for folder, (sid, created_at) in claims.items()}).encode()


def gradescope_folder(root: Path, uploads: Mapping[str, Upload]) -> Path:
    """An extracted Gradescope export: the metadata and one folder per submission under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "submission_metadata.yml").write_text(gradescope_metadata(uploads), encoding="utf-8")
    for folder, upload in uploads.items():
        for name, data in upload.files.items():
            path = root / folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return root


def gradescope_zip(path: Path, uploads: Mapping[str, Upload], wrapper: str = "assignment_4242_export") -> Path:
    """A Gradescope export zip: everything under one ``assignment_<id>_export/`` folder."""
    entries = {f"{wrapper}/submission_metadata.yml": (gradescope_metadata(uploads).encode(), (2026, 12, 2, 0, 0, 0))}
    for folder, upload in uploads.items():
        entries.update({f"{wrapper}/{folder}/{name}": (data, upload.when) for name, data in upload.files.items()})
    return write_zip(path, entries)


def moodle_folder_name(upload: Upload) -> str:
    return f"{upload.name}_{upload.sid}_assignsubmission_file_"


def moodle_zip(path: Path, uploads: list[Upload]) -> Path:
    """A Moodle "Download all submissions" zip: one folder per participant."""
    return write_zip(path, {f"{moodle_folder_name(u)}/{name}": (data, u.when)
                            for u in uploads for name, data in u.files.items()})


def moodle_folder(root: Path, uploads: list[Upload]) -> Path:
    """A Moodle export extracted or copied to ``root``: its files' mtimes are the copy's, not Moodle's."""
    for upload in uploads:
        for name, data in upload.files.items():
            file = root / moodle_folder_name(upload) / name
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
    return root


def canvas_zip(path: Path, uploads: list[Upload], submission: int = 900001) -> Path:
    """A Canvas "Download submissions" zip: ``<lastfirst>_<user id>_<submission id>_<file>`` at the top."""
    return write_zip(path, {f"{u.name.replace(' ', '').lower()}_{u.sid}_{submission + i}_{name}": (data, u.when)
                            for i, u in enumerate(uploads) for name, data in u.files.items()})


def write_zip(path: Path, entries: Mapping[str, tuple[bytes, Stamp]]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, (data, when) in entries.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=when), data)
    return path
