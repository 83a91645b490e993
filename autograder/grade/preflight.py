"""Before a run grades anyone: can this machine start a sandbox at all?

A sandbox that cannot start the grading interpreter (a checkout or virtual
environment the sandbox cannot show, a broken installation) is the grader's
failure, not the students': the run stops with one error saying what failed
and what to do, instead of a ``crashed`` row per student with the blame on
their cells.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import nbformat

from autograder.errors import SandboxError
from autograder.grade.assignment import Assignment
from autograder.grade.runner import model_host, sandbox_spec
from autograder.sandbox import zygote
from autograder.sandbox.session import NotebookSession, TimeLimits


def sandbox_starts(assignment: Assignment, *, hide: Sequence[Path], seed: int, lang: str, isolation: str,
                   threads: int | None) -> str:
    """Start one sandbox as a submission's would be (no cells) and stop it; return how the submissions'
    sandboxes will start (``warm``, or ``cold`` and why). Raise :class:`SandboxError` naming what failed and
    what to do when it cannot start.

    Where sandboxes start warm, this sandbox is forked from a template this process starts, and so is a
    model host's when the assignment's checks use models; both are published (:data:`zygote.SHARED_ENV`)
    for the grader processes started after this, which fork their sandboxes from them: the run imports
    TensorFlow into one template per kind, not one per grader process."""
    with tempfile.TemporaryDirectory(prefix="autograder-preflight-") as folder:
        notebook = Path(folder) / "preflight.ipynb"
        nbformat.write(nbformat.v4.new_notebook(), str(notebook))
        spec = sandbox_spec(assignment, notebook, hide=hide, seed=seed, lang=lang, isolation=isolation,
                            threads=threads)
        try:
            with NotebookSession([], spec, TimeLimits()) as session:
                session.execute()
            if session.start == "warm" and _uses_models(assignment):
                with model_host(assignment, hide=hide, isolation=isolation, threads=threads) as host:
                    host.start()
        except SandboxError as error:
            raise SandboxError(
                f"no submission was graded: {error}\nWhat to do: the output above is the interpreter's own "
                f"error; run `make setup` again if the virtual environment is incomplete, and report it as a "
                f"grader bug if it persists (the students' notebooks are not the cause).") from error
    if session.start != "warm":
        return f"cold starts ({session.start_reason})"
    os.environ[zygote.SHARED_ENV] = zygote.published()  # read by the grader processes started after this
    return "warm starts (forked from the run's templates, which have imported TensorFlow)"


def _uses_models(assignment: Assignment) -> bool:
    """Whether the assignment's checks ask for models (then the model host's template is started too)."""
    for path in assignment.solution_dir.glob("*checks*.py"):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "keras_expect" in text or "autograder.models" in text:
            return True
    return False
