"""A sandbox that cannot start its interpreter is the grader's failure, reported once for the run."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from autograder import grade
from autograder.errors import SandboxError
from autograder.notebook import CodeCell
from autograder.sandbox import process
from autograder.sandbox.process import SandboxSpec
from autograder.sandbox.session import NotebookSession, TimeLimits
from tests.conftest import GOOD_ADD, GOOD_RELU, write_notebook


@pytest.fixture
def venv_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sandbox does not show the virtual environment (as with a clone under /tmp, once): the worker
    cannot even be started, long before any student code."""
    if sys.prefix == sys.base_prefix:
        pytest.skip("the grader does not run from a virtual environment")
    shown = process._reachable_paths
    venv = Path(sys.prefix)
    monkeypatch.setattr(process, "_reachable_paths",
                        lambda: [p for p in shown() if venv not in Path(p).parents and Path(p) != venv])


@pytest.mark.slow
@pytest.mark.usefixtures("venv_not_shown")
def test_a_session_that_cannot_start_raises_with_the_interpreters_output() -> None:
    spec = SandboxSpec(handouts=(), hide=())
    session = NotebookSession([CodeCell(0, "x = 1")], spec, TimeLimits(cell_s=30, call_s=5, total_s=60))
    with session, pytest.raises(SandboxError, match="could not start the grading interpreter") as raised:
        session.execute()
    # its last output: a cold start cannot exec the interpreter, a warm one cannot import what it needs
    assert (f"No such file or directory: '{sys.executable}'" in str(raised.value)
            or "ModuleNotFoundError" in str(raised.value))


@pytest.mark.slow
@pytest.mark.usefixtures("venv_not_shown")
def test_a_run_whose_sandbox_cannot_start_grades_nobody(course: Path, tmp_path: Path) -> None:
    submissions = tmp_path / "subs"
    write_notebook(submissions / "kim.ipynb", GOOD_RELU, GOOD_ADD)
    write_notebook(submissions / "lee.ipynb", GOOD_RELU)
    book = tmp_path / "book.sqlite"
    with pytest.raises(SandboxError, match="no submission was graded") as raised:
        grade.main(assignment="demo", inputs=[submissions], config_path=course,
                   options=grade.RunOptions(workers=1, gradebook=str(book)))
    assert "not the cause" in str(raised.value)
    with sqlite3.connect(book) as db:  # no row blames a student for the grader's failure
        assert db.execute("SELECT COUNT(*) FROM results").fetchone() == (0,)
