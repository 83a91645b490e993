"""What every output shares: choosing the records, safe file names, cleaned student text, whole-file writes."""

from __future__ import annotations

import logging
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from autograder.gradebook.records import StoredResult
from autograder.i18n import message
from autograder.results import CheckResult, CheckStatus

log = logging.getLogger(__name__)

# ANSI escape sequences (colours in IPython tracebacks, cursor moves in progress bars)
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
# control characters other than tab and newline (and the lone surrogates a broken decoder can leave)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_UNSAFE_NAME = re.compile(r"[^\w.-]+")


def number(value: float) -> str:
    """A score as people write it: ``17.5``, ``24``, ``1.333``."""
    return f"{round(float(value), 3):g}"


def percent(part: float, whole: float) -> float:
    """``part`` as a percentage of ``whole`` (0 when there is nothing to earn)."""
    return round(100.0 * part / whole, 1) if whole else 0.0


def latest_per_student(records: Iterable[StoredResult], assignment: str | None = None) -> list[StoredResult]:
    """One record per student (the latest graded, if the caller passed several), sorted by student.

    Records of other assignments are left out when ``assignment`` is given.
    """
    chosen: dict[str, StoredResult] = {}
    for record in records:
        if assignment is not None and record.assignment != assignment:
            continue
        student = record.key.student
        previous = chosen.get(student)
        if previous is None or (record.graded_at, record.run_id) >= (previous.graded_at, previous.run_id):
            if previous is not None:
                log.info("two records for %s: keeping the one graded at %s", student, record.graded_at)
            chosen[student] = record
    return [chosen[student] for student in sorted(chosen)]


def student_message(check: CheckResult, lang: str) -> str:
    """A check's message as a student may read it.

    A hidden check's internal error carries the grader's exception text, which
    could quote hidden data: students get a fixed sentence instead.
    """
    if check.hidden and check.status == CheckStatus.ERROR and check.key == "check.internal_error":
        return message("report.hidden_internal_error", lang)
    return check.render(lang)


def clean_text(text: str) -> str:
    """Student-produced text without terminal escapes or control characters (newlines and tabs kept)."""
    text = _ANSI.sub("", text.replace("\r\n", "\n"))
    # a carriage return redraws a line (progress bars): keep what was drawn last
    text = "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))
    return _CONTROL.sub("", text)


def excerpt(text: str, lang: str, *, head: int = 20, tail: int = 30, max_chars: int = 6000) -> str:
    """The beginning and the end of a long text, with how much was left out in between."""
    lines = clean_text(text).rstrip("\n").split("\n")
    if len(lines) > head + tail:
        omitted = len(lines) - head - tail
        lines = [*lines[:head], message("report.lines_omitted", lang, count=str(omitted)), *lines[-tail:]]
    result = "\n".join(lines)
    if len(result) > max_chars:
        half = max_chars // 2
        omitted_chars = len(result) - 2 * half
        result = f"{result[:half]}\n{message('report.chars_omitted', lang, count=str(omitted_chars))}\n" \
                 f"{result[-half:]}"
    return result


def trim_traceback(text: str, lang: str, *, lines: int = 14, max_chars: int = 3000) -> str:
    """The end of a traceback (where the error is), cleaned, with what was left out counted."""
    return excerpt(text, lang, head=0, tail=lines, max_chars=max_chars) if text.strip() else ""


def file_stems(students: Sequence[str]) -> dict[str, str]:
    """A safe, distinct file name stem for every student id (ids come from file names: never trust them)."""
    stems: dict[str, str] = {}
    taken: set[str] = set()
    for student in students:
        stem = _UNSAFE_NAME.sub("_", unicodedata.normalize("NFC", student)).strip("._")[:80] or "student"
        base, n = stem, 2
        while stem.casefold() in taken:
            stem = f"{base}_{n}"
            n += 1
        taken.add(stem.casefold())
        stems[student] = stem
    return stems


def write_text(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``path`` whole or not at all (a killed run never leaves half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline="") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return path
