"""Before a run grades anyone: can this machine start a sandbox at all?

A sandbox that cannot start the grading interpreter (a checkout or virtual
environment the sandbox cannot show, a broken installation) is the grader's
failure, not the students': the run stops with one error saying what failed
and what to do, instead of a ``crashed`` row per student with the blame on
their cells.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Sequence
from pathlib import Path

import nbformat

from autograder.errors import SandboxError
from autograder.grade.assignment import Assignment
from autograder.grade.runner import sandbox_spec
from autograder.sandbox import zygote
from autograder.sandbox.session import NotebookSession, TimeLimits


def sandbox_starts(assignment: Assignment, *, hide: Sequence[Path], seed: int, lang: str, isolation: str,
                   threads: int | None) -> str:
    """Start one sandbox as a submission's would be (no cells, a fresh interpreter) and stop it; return how
    the submissions' sandboxes will start (``warm``, or ``cold`` and why). Raise :class:`SandboxError`
    naming what failed and what to do when it cannot start. Submissions are graded in grader processes,
    each with its own template: a template here would only cost the run its start-up and memory."""
    with tempfile.TemporaryDirectory(prefix="autograder-preflight-") as folder:
        notebook = Path(folder) / "preflight.ipynb"
        nbformat.write(nbformat.v4.new_notebook(), str(notebook))
        spec = dataclasses.replace(sandbox_spec(assignment, notebook, hide=hide, seed=seed, lang=lang,
                                                isolation=isolation, threads=threads), warm=False)
        try:
            with NotebookSession([], spec, TimeLimits()) as session:
                session.execute()
            cold = zygote.unavailable(session.mode)
            if cold is None:
                return "warm starts (each grader process forks them from a template that has imported TensorFlow)"
            return f"cold starts ({cold})"
        except SandboxError as error:
            raise SandboxError(
                f"no submission was graded: {error}\nWhat to do: the output above is the interpreter's own "
                f"error; run `make setup` again if the virtual environment is incomplete, and report it as a "
                f"grader bug if it persists (the students' notebooks are not the cause).") from error
