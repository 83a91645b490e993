"""Shared fixtures: a small course on disk with a real config, checks and notebooks."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

if TYPE_CHECKING:  # imported where used: conftest loads before every test module
    from autograder.gradebook import Gradebook

# the assignment tests' shared asserts: explained by pytest as if they were written in the tests
pytest.register_assert_rewrite("tests.assignment_helpers")

DEMO_CHECKS = '''
import numpy as np
from autograder.checks import check, expect, View


@check("q1", weight=3)
def relu_values(nb):
    x = np.array([[1.0, -2.0], [-3.0, 4.0]])
    call = expect.call_text("naive_relu", [x])
    reply = nb.call("naive_relu", x)
    expect.array_close(expect.returned(reply, call), np.maximum(x, 0), call)
    expect.not_mutated(reply, [x], call)


@check("q1", weight=1)
def relu_loops(nb):
    expect.uses_loops(nb.source, "naive_relu", ["maximum", "clip", "where"])
'''

# The demo's hidden check: in hidden_checks.py (assign refuses a hidden=True check in the handed-out file).
DEMO_HIDDEN_CHECKS = '''
import numpy as np
from autograder.checks import check, expect


@check("q2", weight=4, hidden=True)
def add_values(nb):
    rng = np.random.default_rng(7)
    x, y = rng.normal(size=(3, 5)), rng.normal(size=(3, 5))
    call = expect.call_text("naive_add", [x, y])
    expect.array_close(expect.returned(nb.call("naive_add", x, y), call), x + y, call)
'''

GOOD_RELU = textwrap.dedent("""\
    def naive_relu(x):
        assert len(x.shape) == 2
        x = x.copy()
        for i in range(x.shape[0]):
            for j in range(x.shape[1]):
                x[i, j] = max(x[i, j], 0)
        return x
    """)
GOOD_ADD = textwrap.dedent("""\
    def naive_add(x, y):
        assert x.shape == y.shape
        x = x.copy()
        for i in range(x.shape[0]):
            for j in range(x.shape[1]):
                x[i, j] += y[i, j]
        return x
    """)
WRONG_ADD = "def naive_add(x, y):\n    return x - y\n"


REPO = Path(__file__).resolve().parent.parent


def find_shared_data() -> Path | None:
    """The course data folder described in ../shared/DATA.md: beside the repository, or the machine's copy."""
    for candidate in (REPO.parent / "shared", Path("/work/shared")):
        if (candidate / "keras" / "datasets").is_dir():
            return candidate.resolve()
    return None


SHARED_DATA = find_shared_data()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real offline datasets; tests that need them say why they skip without them."""
    if SHARED_DATA is None:
        pytest.skip("the offline course data (../shared, see DATA.md) is not on this machine")
    return SHARED_DATA


def write_notebook(path: Path, *sources: str, markdown: str | None = None) -> Path:
    """Write a v4 notebook with one code cell per source."""
    cells = [new_markdown_cell(markdown)] if markdown else []
    cells += [new_code_cell(source) for source in sources]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=cells), path)
    return path


# In the demo's hidden checks file, so a test can tell whether a sandbox read it.
HIDDEN_MARKER = "SECRET-5f2c-hidden"


def make_course(root: Path, *, cell_time_s: float = 3) -> Path:
    """A course folder with a ``demo`` assignment (q1 relu with loops, q2 hidden add); return its config."""
    (root / "solutions" / "demo").mkdir(parents=True)
    (root / "solutions" / "demo" / "public_checks.py").write_text(DEMO_CHECKS)
    (root / "solutions" / "demo" / "hidden_checks.py").write_text(f"# {HIDDEN_MARKER}\n{DEMO_HIDDEN_CHECKS}")
    config = root / "grading_config.yaml"
    config.write_text(textwrap.dedent(f"""\
        language: en
        limits: {{cell_time_s: {cell_time_s}, call_time_s: 3, wall_time_s: 60, memory_mb: 512, processes: 64,
                  output_kb: 64, tmp_mb: 64}}
        assignments:
          demo:
            points: {{q1: 4, q2: 4}}
        """))
    return config



def course_with_submissions(root: Path, students: dict[str, tuple[str, ...]]) -> tuple[Path, Path]:
    """A demo course in ``root/course`` and a folder of one notebook per student (its cells); return
    the config and the folder."""
    config = make_course(root / "course")
    folder = root / "submissions"
    for student, cells in students.items():
        write_notebook(folder / f"{student}.ipynb", *cells)
    return config, folder


def course_gradebook(config: Path) -> Gradebook:
    """The gradebook a course made by :func:`make_course` records in (beside its config)."""
    from autograder.gradebook import Gradebook

    return Gradebook.open(config.parent / "gradebook.sqlite")

@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A demo course; returns the path of its grading_config.yaml."""
    return make_course(tmp_path / "course")


@pytest.fixture
def ipython(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """An IPython shell with in-memory history, undone afterwards (it patches builtins and __main__)."""
    import builtins

    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    monkeypatch.setitem(sys.modules, "__main__", sys.modules["__main__"])
    names = set(vars(builtins))
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    try:
        yield InteractiveShell.instance(config=config)
    finally:
        InteractiveShell.clear_instance()
        for name in set(vars(builtins)) - names:
            delattr(builtins, name)
