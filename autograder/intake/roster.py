"""The course roster: reading ``roster.csv``, and matching LMS display names to its ids.

A roster CSV (``id,name,email``) adds names and e-mails, and maps an LMS name
to the roster's id when the LMS id is not in the roster, but only a name that
is unique on both sides: names are typed by people and changed by students.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import ConfigError


@dataclass(frozen=True)
class RosterEntry:
    """One student of the course roster."""

    student: str
    name: str | None
    email: str | None


def load_roster(path: Path) -> dict[str, RosterEntry]:
    """Read a roster CSV with columns ``id`` (or ``student_id``/``sid``), ``name``, ``email``.

    Raises ``ConfigError`` naming the file and line for a row that cannot be
    read as one student: no id, more fields than the header, an id twice.
    """
    roster: dict[str, RosterEntry] = {}
    lines: dict[str, int] = {}
    try:
        with open(path, newline="", encoding="utf-8-sig") as stream:
            reader = csv.DictReader(stream)
            for row in reader:
                line = reader.line_num
                if None in row:  # DictReader's key for fields beyond the header
                    raise ConfigError(str(path), f"line {line}: {len(reader.fieldnames or ()) + len(row[None])} "
                                      f"fields, but the header has {len(reader.fieldnames or ())} "
                                      f"({','.join(reader.fieldnames or ())}); put a value that contains a "
                                      'comma in double quotes, e.g. "Kim, Minji"')
                fields = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
                student = fields.get("id") or fields.get("student_id") or fields.get("sid")
                if not student:
                    raise ConfigError(str(path), f"line {line}: no id (columns: id, name, email)")
                if student in roster:
                    raise ConfigError(str(path), f"line {line}: the id {student!r} is already on line "
                                      f"{lines[student]}; give each student one line")
                roster[student] = RosterEntry(student, fields.get("name") or None, fields.get("email") or None)
                lines[student] = line
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ConfigError(str(path), f"cannot read the roster: {error}") from error
    return roster


def name_key(name: str) -> str:
    """A display name compared without case, Unicode form or spacing differences."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


@dataclass(frozen=True)
class NameMatch:
    """What the roster says about the students an LMS names without a roster id.

    ``ids``: LMS id -> roster id, for names unique among the roster's and the
    submissions'; ``notes``: LMS id -> why its name was not mapped (for the instructor).
    """

    ids: dict[str, str]
    notes: dict[str, str]


def match_names(submitters: Sequence[tuple[str, str | None]], roster: dict[str, RosterEntry]) -> NameMatch:
    """Map LMS ids not in the roster to roster ids by name, only where the name is unique on both sides.

    ``submitters`` are the (id, LMS name) of a run's submissions. A name that
    two roster lines share, or two submitters (one may have renamed themself
    to match), is never mapped; nor a name whose roster id another submission
    already has: mapping must never put two students under one id.
    """
    by_name: dict[str, list[RosterEntry]] = {}
    for entry in roster.values():
        if entry.name:
            by_name.setdefault(name_key(entry.name), []).append(entry)
    named: dict[str, set[str]] = {}
    for student, name in submitters:
        if name:
            named.setdefault(name_key(name), set()).add(student)
    held = {student for student, _ in submitters}
    ids: dict[str, str] = {}
    notes: dict[str, str] = {}
    for student, name in submitters:
        if student in roster or not name or student in ids or student in notes:
            continue
        entries = by_name.get(name_key(name), [])
        others = sorted(named[name_key(name)] - {student})
        if not entries:
            continue
        if len(entries) > 1:
            notes[student] = (f"{student} ({name!r}): not matched by name, {len(entries)} roster lines have that "
                              f"name ({', '.join(e.student for e in entries)}); put the LMS id {student} in the "
                              "roster's id column")
        elif others:
            notes[student] = (f"{student} ({name!r}): not matched by name, submissions {', '.join(others)} have "
                              f"the same name; put each one's LMS id in the roster's id column")
        elif entries[0].student in held:
            notes[student] = (f"{student} ({name!r}): not matched by name to {entries[0].student}, which another "
                              f"submission already has; put the LMS id {student} in the roster's id column")
        else:
            ids[student] = entries[0].student
    return NameMatch(ids, notes)
