"""What a grading run was asked to do, checked against the assignment and what its inputs hold.

Each problem is a :class:`~autograder.errors.ConfigError` that names the
option or input and says what to do, raised before anything is graded (the
CLI turns it into exit code 2); what is only worth knowing is returned as a
line for the instructor.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from autograder.errors import ConfigError
from autograder.intake.roster import RosterEntry
from autograder.intake.submissions import Submission, student_id

COMMAND_LINE = "command line"
_SHOWN = 12  # names listed in a message before "and N more"


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    return shown + (f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else "")


def check_regrade_options(*, regrade: bool, students: Sequence[str], questions: Sequence[str],
                          points: Mapping[str, float]) -> None:
    """``--regrade-question`` needs whom to re-grade, and names questions the assignment has."""
    if questions and not regrade and not students:
        raise ConfigError(COMMAND_LINE, "--regrade-question only says which questions to grade again; add --regrade "
                          "(everyone) or --regrade-student ID (repeatable) to say whose", "--regrade-question")
    unknown = [q for q in dict.fromkeys(questions) if q not in points]
    if unknown:
        raise ConfigError(COMMAND_LINE, f"no question {_names(unknown)} in this assignment; its questions are "
                          f"{_names(list(points))} (points: in the config)", "--regrade-question")


def check_regrade_students(students: Sequence[str], submissions: Sequence[Submission]) -> None:
    """Every ``--regrade-student`` is the id of a submission in the inputs (ids as the run shows them)."""
    present = {s.student.casefold() for s in submissions}
    unknown = [s for s in dict.fromkeys(students) if s.casefold() not in present]
    if unknown:
        found = sorted(s.student for s in submissions)
        raise ConfigError(COMMAND_LINE, f"no submission of {_names(unknown)} in the inputs; use a student id as "
                          f"the run names it: {_names(found) or 'none found'}", "--regrade-student")


def _holds(path: Path, submission: Submission) -> bool:
    prefix = str(path)
    sources = (submission.source, *submission.superseded, *submission.other_files)
    return any(s == prefix or s.startswith((prefix + "/", prefix + ":")) for s in sources)


def check_inputs(inputs: Sequence[Path], submissions: Sequence[Submission]) -> list[str]:
    """Refuse a run whose inputs hold no file at all; name each input that holds none (when others do)."""
    if not submissions:
        given = _names([str(p) for p in inputs])
        raise ConfigError(given, "no submissions found (no file in it); give the folder or zip that holds the "
                          "notebooks (.ipynb files, one folder per student, or an LMS export)")
    return [f"{path}: no submissions found in it (no file); nothing from it is graded"
            for path in inputs if not any(_holds(path, s) for s in submissions)]


def roster_without_submission(roster: Mapping[str, RosterEntry] | None,
                              submissions: Collection[Submission]) -> list[str]:
    """The roster's students who sent nothing this run (sorted)."""
    if not roster:
        return []
    present = {s.student.casefold() for s in submissions}
    return sorted(student for student in roster if student_id(student).casefold() not in present)
