"""The ``report`` command: every output of an assignment rebuilt from the gradebook, nothing graded.

:func:`write_outputs` is also what a grading run calls at its end, so a run's
outputs and ``autograder report``'s are the same files.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from autograder.checks.core import titles_in
from autograder.config import GradingConfig, load_config
from autograder.errors import ConfigError
from autograder.gradebook import Gradebook
from autograder.gradebook.records import StoredResult
from autograder.i18n import register_assignment
from autograder.report import write_all


def report(*, assignment: str, config_path: Path, output: Path | None = None, lang: str | None = None,
           gradebook: str | None = None, removed: Collection[str] = ()) -> Path:
    """Rebuild grades.csv, the LMS exports, the feedback pages and the class report from the gradebook.

    ``removed``: students whose grades were just taken out of the gradebook:
    their files go too, and an assignment left without grades is not an error.
    """
    config = load_config(config_path)
    config.assignment(assignment, str(config_path))
    output_dir = (output or config.results_dir / assignment).resolve()
    with Gradebook.open(gradebook or config.gradebook) as book:
        records = book.results(assignment)
    if not records and not removed:
        raise ConfigError(str(gradebook or config.gradebook), f"no grades recorded for {assignment!r}; "
                          f"run `autograder grade {assignment} ...` first")
    write_outputs(records, config, assignment, lang or config.language, output_dir, prune=bool(removed))
    left = {r.key.student for r in records}
    for student in removed:
        path = output_dir / f"{student}.json"  # written by write_result as each submission was graded
        if student not in left and path.parent == output_dir and path.is_file() and not path.is_symlink():
            path.unlink()
    return output_dir


def write_outputs(records: Sequence[StoredResult], config: GradingConfig, assignment: str, lang: str,
                  output_dir: Path, *, prune: bool = False) -> None:
    """Write every output of ``assignment`` from its ``records`` with the course's settings (see :func:`write_all`)."""
    settings = config.assignment(assignment)
    register_assignment(config.solutions_dir / assignment, assignment)  # the stored keys render from its messages
    write_all(records, assignment=assignment, points=settings.points, lang=lang, out_dir=output_dir,
              title=config.course and f"{assignment} · {config.course}", canvas_id_column=config.canvas_id_column,
              canvas_column=settings.canvas_column, prune=prune, zone=config.zone(),
              titles=titles_in(config.solutions_dir / assignment))
