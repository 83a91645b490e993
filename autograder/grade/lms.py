"""Who submitted what, and when, in the exports of common LMSs; and the course roster.

Layouts recognised (inside a folder or a zip):

- **Gradescope** "Export submissions": ``submission_metadata.yml`` at the top,
  one ``submission_<id>/`` folder per submission; the metadata names the
  submitters (``:sid:``, ``:name:``, ``:email:``) and ``:created_at:``.
- **Canvas** "Download submissions": ``<lastfirst>[_LATE]_<user id>_<submission id>_<file>``;
  the student is the Canvas user id, the time is the zip entry's time.
- **Moodle** "Download all submissions": ``<Full Name>_<participant id>_assignsubmission_file_/<file>``.

Anything else keeps the generic rule (file stem, or per-student folder).
A roster CSV (``id,name,email``) adds names and e-mails, and maps an LMS
name to the roster's id when the LMS id is not in the roster.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from autograder.errors import ConfigError
from autograder.grade.submission_files import FoundFile

_CANVAS = re.compile(r"^(?P<name>[^_/]+?)_(?:(?P<late>LATE)_)?(?P<user>\d+)_(?P<submission>\d+)_(?P<file>.+)$")
_MOODLE = re.compile(r"^(?P<name>.+?)_(?P<participant>\d+)_assignsubmission_(?:file|onlinetext)_?$")
_GRADESCOPE_FOLDER = re.compile(r"^submission_(?P<id>\d+)$")


@dataclass(frozen=True)
class Identity:
    """A submission's student as an LMS export names it."""

    student: str
    lms: str
    name: str | None = None
    email: str | None = None
    submitted_at: str | None = None


def _iso(value: Any) -> str | None:
    """An LMS time stamp as ISO 8601 in UTC (naive times are taken as UTC)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = str(value).strip()
        for pattern in ("%Y-%m-%d %H:%M:%S.%f %z", "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%dT%H:%M:%S%z"):
            try:
                moment = dt.datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        else:
            try:
                moment = dt.datetime.fromisoformat(text)
            except ValueError:
                return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat()


def _key(value: Any) -> str:
    return str(value).lstrip(":")


def _gradescope(metadata: str) -> dict[str, Identity]:
    try:
        data = yaml.safe_load(metadata)
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict):
        return {}
    identities = {}
    for folder, entry in data.items():
        if not isinstance(entry, dict):
            continue
        fields = {_key(k): v for k, v in entry.items()}
        submitters = fields.get("submitters") or []
        first = {_key(k): v for k, v in submitters[0].items()} if submitters and isinstance(submitters[0], dict) else {}
        student = first.get("sid") or first.get("email") or first.get("name")
        if student:
            identities[str(folder)] = Identity(str(student), "gradescope", _text(first.get("name")),
                                               _text(first.get("email")), _iso(fields.get("created_at")))
    return identities


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def identify(found: Sequence[FoundFile]) -> dict[str, Identity]:
    """Identities of the files of one input that follow an LMS layout, by ``FoundFile.source``."""
    gradescope: dict[str, Identity] = {}
    for item in found:
        if item.is_metadata and item.text is not None:
            gradescope.update(_gradescope(item.text))
    identities = {}
    for item in found:
        if item.is_metadata:
            continue
        folder = next((p for p in item.parts[:-1] if _GRADESCOPE_FOLDER.match(p) and p in gradescope), None)
        if folder is not None:
            identities[item.source] = gradescope[folder]
            continue
        moodle = next((m for m in (_MOODLE.match(p) for p in item.parts[:-1]) if m), None)
        if moodle is not None:
            identities[item.source] = Identity(moodle["participant"], "moodle", moodle["name"],
                                               submitted_at=_iso(item.modified))
            continue
        canvas = _CANVAS.match(item.parts[-1])
        if canvas is not None and item.parts[-1].lower().endswith(".ipynb"):
            identities[item.source] = Identity(canvas["user"], "canvas", canvas["name"],
                                               submitted_at=_iso(item.modified))
    return identities


@dataclass(frozen=True)
class RosterEntry:
    """One student of the course roster."""

    student: str
    name: str | None
    email: str | None


def load_roster(path: Path) -> dict[str, RosterEntry]:
    """Read a roster CSV with columns ``id`` (or ``student_id``/``sid``), ``name``, ``email``."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as stream:
            rows = list(csv.DictReader(stream))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ConfigError(str(path), f"cannot read the roster: {error}") from error
    roster = {}
    for number, row in enumerate(rows, start=2):
        fields = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        student = fields.get("id") or fields.get("student_id") or fields.get("sid")
        if not student:
            raise ConfigError(str(path), f"line {number}: no id (columns: id, name, email)")
        roster[student] = RosterEntry(student, fields.get("name") or None, fields.get("email") or None)
    return roster
