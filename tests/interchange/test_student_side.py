"""grader.check on the hand-out of an imported assignment: the public otter cases, from public_expected.json."""

from __future__ import annotations

import json
from pathlib import Path

from autograder.assign import main as assign
from autograder.i18n import register_assignment
from autograder.interchange.otter_import import import_otter
from autograder.student import Notebook
from tests.interchange.helpers import GENERATE_OTTER, course


def test_grader_check_runs_the_public_cases_and_never_the_hidden_ones(tmp_path: Path) -> None:
    config = course(tmp_path)
    imported = import_otter(GENERATE_OTTER, into=tmp_path / "solutions")
    assign(assignment=imported.assignment, config_path=config)  # not validated here: test_otter_roundtrip grades
    out = tmp_path / "assignments" / imported.assignment
    cases = json.loads((out / "public_expected.json").read_text(encoding="utf-8"))
    assert sorted(cases) == ["q1_test_1", "q1_test_2", "q1_test_3", "q3_test_1", "q3_test_2"]
    assert not any(case["hidden"] for case in cases.values())
    register_assignment(tmp_path / "nowhere", imported.assignment)  # the hand-out's messages.py must be found
    grader = Notebook(imported.assignment, notebook=out / f"{imported.assignment}.ipynb", lang="en")
    right = "\n".join(grader.check("q3", {"square": lambda v: v * v, "nine": 9}).lines())  # type: ignore[union-attr]
    wrong = "\n".join(grader.check("q3", {"square": lambda v: v * v + 1, "nine": 10}).lines())  # type: ignore[union-attr]
    assert right.startswith("q3: 2 of 2 public checks passed"), right
    assert "`square(16)` should give `256`; it gave `257`" in wrong
    assert "hidden" not in wrong.lower()  # q3's hidden case (square(1)) does not run on the student's side
