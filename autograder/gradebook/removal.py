"""Taking grades out of the gradebook: one student's (trial submissions, a test account) or one run's.

:func:`plan_removal` finds what a removal would delete and says it in words
(:meth:`Removal.describe`), so that a person can confirm it; :func:`remove`
deletes exactly that, in one transaction. After a run's removal each of its
students' grade is the one recorded before it, if there is one.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograder.gradebook.backend import GradebookError
from autograder.gradebook.store import Gradebook, ResultInfo, RunInfo

_SHOWN = 12


@dataclass(frozen=True)
class Removal:
    """What a removal deletes: results, and the runs removed whole (``--run``)."""

    results: tuple[ResultInfo, ...]
    runs: tuple[RunInfo, ...] = ()
    #: per assignment, the students left without any grade of it afterwards
    emptied: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def affected(self) -> dict[str, list[str]]:
        """Per assignment, the students whose grade changes or goes (sorted)."""
        found: dict[str, set[str]] = {}
        for result in self.results:
            found.setdefault(result.assignment, set()).add(result.student)
        for run in self.runs:
            found.setdefault(run.assignment, set())
        return {assignment: sorted(students) for assignment, students in sorted(found.items())}

    def describe(self) -> list[str]:
        """What will be deleted, one line per assignment (and run), for a person to confirm."""
        lines = [f"run {run.id} of {run.assignment} (started {run.started_at}, {run.status}): {run.command}"
                 for run in self.runs]
        emptied = dict(self.emptied)
        for assignment, students in self.affected().items():
            count = sum(1 for r in self.results if r.assignment == assignment)
            gone = list(emptied.get(assignment, ()))
            back = [s for s in students if s not in gone]
            line = f"{assignment}: {count} recorded grade(s) of {len(students)} student(s)"
            if gone:
                line += f"; left without a grade: {_names(gone)}"
            if back:
                line += f"; back to their grade recorded before: {_names(back)}"
            lines.append(line)
        return lines


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    return shown + (f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else "")


def plan_removal(book: Gradebook, *, student: str | None = None, assignment: str | None = None,
                 run_id: int | None = None) -> Removal:
    """What removing ``student``'s grades (of ``assignment``, or of every one) or run ``run_id`` deletes.

    Exactly one of ``student`` and ``run_id``. A student id matches exactly,
    else ignoring case when that names one student. Raises
    :class:`GradebookError` saying what is recorded when nothing matches.
    """
    if (student is None) == (run_id is None):
        raise ValueError("give a student or a run, not both or neither")
    if run_id is not None:
        runs = [r for r in book.runs() if r.id == run_id]
        if not runs:
            known = [str(r.id) for r in book.runs(assignment)][-_SHOWN:]
            raise GradebookError(book.location, f"has no run {run_id}; recorded runs: {', '.join(known) or 'none'} "
                                                "(`autograder gradebook runs` lists them)")
        if assignment is not None and runs[0].assignment != assignment:
            raise GradebookError(book.location, f"run {run_id} graded {runs[0].assignment}, not {assignment}")
        results = book.result_infos(run_id=run_id)
        return Removal(tuple(results), tuple(runs), _emptied(book, results))
    assert student is not None
    everything = book.result_infos(assignment=assignment)
    ids = sorted({r.student for r in everything})
    chosen = student if student in ids else None
    if chosen is None:
        folded = [s for s in ids if s.casefold() == student.casefold()]
        chosen = folded[0] if len(folded) == 1 else None
    if chosen is None:
        where = f" for {assignment}" if assignment else ""
        raise GradebookError(book.location, f"has no grade of student {student!r}{where}; students recorded{where}: "
                                            f"{_names(ids) or 'none'}")
    results = [r for r in everything if r.student == chosen]
    return Removal(tuple(results), (), _emptied(book, results))


def _emptied(book: Gradebook, removed: list[ResultInfo]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    gone = {r.id for r in removed}
    emptied = []
    for assignment in sorted({r.assignment for r in removed}):
        students = {r.student for r in removed if r.assignment == assignment}
        remaining = {r.student for r in book.result_infos(assignment=assignment) if r.id not in gone}
        emptied.append((assignment, tuple(sorted(students - remaining))))
    return tuple(emptied)


def remove(book: Gradebook, removal: Removal) -> None:
    """Delete what ``removal`` names (one transaction)."""
    book.remove([r.id for r in removal.results], runs=[r.id for r in removal.runs])
