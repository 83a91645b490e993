"""Who submitted what, and when, in the exports of common LMSs.

Layouts recognised (inside a folder or a zip), one per input, read only from
the export's own top level (the input itself, or the one folder that holds
all of it): what is inside a student's submission never says who is who.

- **Gradescope** "Export submissions": ``submission_metadata.yml`` at the top,
  one ``submission_<id>/`` folder per submission; the metadata names the
  submitters (``:sid:``, ``:name:``, ``:email:``) and ``:created_at:``.
- **Moodle** "Download all submissions": ``<Full Name>_<participant id>_assignsubmission_file_/<file>``
  folders at the top; the time is the zip entry's time.
- **Canvas** "Download submissions": ``<lastfirst>[_LATE]_<user id>_<submission id>_<file>``
  files at the top (whatever the file's name and extension), and ``<lastfirst>[_LATE]_<user id>_text.html``
  / ``_link.html`` for text entries and URLs; the student is the Canvas user id, the time is the zip
  entry's time.

Anything else keeps the generic rule (file stem, or per-student folder).
Times written without a time zone (zip entries, LMS times without an offset)
are read in the course's time zone (``Clock``); a file's mtime is a submission
time only when the instructor asks for it, since copying or extracting a
folder changes it.
The roster that names the students is ``roster``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from autograder.intake.submission_files import FoundFile

# an uploaded file (any name and extension) after the submission id, or Canvas's own page for a text entry or a URL
_CANVAS = re.compile(r"^(?P<name>[^_/]+?)_(?:(?P<late>LATE)_)?(?P<user>\d+)_"
                     r"(?:(?P<submission>\d+)_(?P<file>.+)|(?P<entry>text|link)\.html)$", re.DOTALL)
_MOODLE = re.compile(r"^(?P<name>.+?)_(?P<participant>\d+)_assignsubmission_(?:file|onlinetext)_?$")
_GRADESCOPE_FOLDER = re.compile(r"^submission_(?P<id>\d+)$")
GRADESCOPE_METADATA = "submission_metadata.yml"


@dataclass(frozen=True)
class Clock:
    """How a run reads time stamps.

    ``zone`` is the course's time zone, in which times written without one
    (zip entries, LMS times without an offset) are read. ``from_mtime``: file
    times that no LMS wrote (a folder's mtimes, the entries of a zip that is
    not an LMS export) count as submission times too; off, they only choose
    the newest of one student's files.
    """

    zone: dt.tzinfo = dt.UTC
    from_mtime: bool = False

    def iso(self, value: Any) -> str | None:
        """A time stamp as ISO 8601 in UTC, or ``None`` if it is not one."""
        moment = _parse_time(value)
        if moment is None:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        return moment.astimezone(dt.UTC).isoformat()

    def submitted(self, item: FoundFile, *, lms: bool) -> str | None:
        """The submission time that ``item``'s own time stamp gives, if it counts as one."""
        trusted = self.from_mtime or (lms and item.in_archive)
        return self.iso(item.modified) if trusted else None


def clock_for(zone: dt.tzinfo | None, due: dt.datetime | None, *, from_mtime: bool = False) -> Clock:
    """The course's clock: ``zone`` if configured, else the due time's own zone, else UTC."""
    fallback = due.tzinfo if due is not None and due.tzinfo is not None else dt.UTC
    return Clock(zone or fallback, from_mtime)


def _parse_time(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    text = str(value).strip()[:64]
    for pattern in ("%Y-%m-%d %H:%M:%S.%f %z", "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            return dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Identity:
    """A submission's student as an LMS export names it."""

    student: str
    lms: str
    name: str | None = None
    email: str | None = None
    submitted_at: str | None = None


@dataclass(frozen=True)
class Export:
    """What one input's LMS layout says.

    ``layout``: ``gradescope``, ``moodle``, ``canvas``, or ``None`` (not an LMS
    export); ``identities``: the student of each file, by ``FoundFile.source``;
    ``metadata``: the sources of the export's own metadata files (not submissions).
    """

    layout: str | None = None
    identities: dict[str, Identity] = field(default_factory=dict)
    metadata: frozenset[str] = frozenset()


def identify(found: Sequence[FoundFile], clock: Clock | None = None) -> Export:
    """The LMS layout of one input's files, read from its top level only."""
    clock = clock or Clock()
    root = export_root(found)
    depth = len(root)
    own = [item for item in found if item.is_metadata and item.parts == (*root, GRADESCOPE_METADATA)]
    if own:
        return _gradescope(found, depth, own[0], clock)
    nested = [item for item in found if len(item.parts) > depth + 1]
    if any(_MOODLE.match(item.parts[depth]) for item in nested):
        return _named("moodle", _MOODLE, "participant", nested, depth, clock)
    top = [item for item in found if len(item.parts) == depth + 1]
    if any(_CANVAS.match(item.parts[depth]) for item in top):
        return _named("canvas", _CANVAS, "user", top, depth, clock)
    return Export()


def export_root(found: Sequence[FoundFile]) -> tuple[str, ...]:
    """Where an export's own files are: the input's top, or the one folder holding everything.

    A folder that is one student's submission (Moodle's, Gradescope's) is never
    the root, so a lone student cannot make their own files the export's.
    """
    firsts = {item.parts[0] for item in found if item.parts}
    if len(firsts) != 1 or any(len(item.parts) < 2 for item in found):
        return ()
    (folder,) = firsts
    if _MOODLE.match(folder) or _GRADESCOPE_FOLDER.match(folder):
        return ()
    return (folder,)


def _gradescope(found: Sequence[FoundFile], depth: int, metadata: FoundFile, clock: Clock) -> Export:
    submitters = _gradescope_metadata(metadata.text or "", clock)
    identities = {}
    for item in found:
        if item is metadata or len(item.parts) < depth + 2:
            continue
        identity = submitters.get(item.parts[depth])
        if identity is not None:
            identities[item.source] = identity
    return Export("gradescope", identities, frozenset({metadata.source}))


def _gradescope_metadata(metadata: str, clock: Clock) -> dict[str, Identity]:
    try:
        data = yaml.safe_load(metadata)
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict):
        return {}
    identities = {}
    for folder, entry in data.items():
        if not isinstance(entry, dict) or not _GRADESCOPE_FOLDER.match(str(folder)):
            continue
        fields = {_key(k): v for k, v in entry.items()}
        submitters = fields.get("submitters") or []
        first = {_key(k): v for k, v in submitters[0].items()} \
            if isinstance(submitters, list) and submitters and isinstance(submitters[0], dict) else {}
        student = first.get("sid") or first.get("email") or first.get("name")
        if student:
            identities[str(folder)] = Identity(str(student), "gradescope", _text(first.get("name")),
                                               _text(first.get("email")), clock.iso(fields.get("created_at")))
    return identities


def _named(lms: str, pattern: re.Pattern[str], id_group: str, items: Sequence[FoundFile], depth: int,
           clock: Clock) -> Export:
    """An export whose folder (Moodle) or file (Canvas) names at ``depth`` carry the student's id and name."""
    identities = {}
    for item in items:
        named = pattern.match(item.parts[depth])
        if named is not None:
            identities[item.source] = Identity(named[id_group], lms, named["name"],
                                               submitted_at=clock.submitted(item, lms=True))
    return Export(lms, identities)


def canvas_user_id(source: str) -> str | None:
    """The Canvas user id in the file name of ``source`` (a display path) when Canvas named the file, else None.

    ``source`` is a file's path or ``archive.zip:entry``; only its last part is read.
    """
    last = source.rsplit("/", 1)[-1][:1000]
    for name in dict.fromkeys((last, last.split(":", 1)[-1], last.rsplit(":", 1)[-1])):
        found = _CANVAS.match(name)
        if found is not None:
            return found["user"]
    return None


def _key(value: Any) -> str:
    return str(value).lstrip(":")


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
