"""Parsing otter masters: markers, solution forms, test cells and points, checked against otter 7's own reading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from otter.test_files.abstract_test import TestCase as OtterCase
from otter.test_files.abstract_test import TestFile as OtterFile

from autograder.errors import ConfigError
from autograder.interchange.otter_import import resolve_points
from autograder.interchange.otter_markers import Question, convert_solution_code, read_master
from autograder.interchange.otter_markers import TestCase as MarkerCase
from tests.interchange.helpers import EXCEPTION_EXAMPLE, GENERATE_OTTER


def _write(tmp_path: Path, cells: list[dict[str, object]]) -> Path:
    path = tmp_path / "master.ipynb"
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"metadata": {}, "outputs": [], "execution_count": None, **c} if c["cell_type"] == "code"
        else {"metadata": {}, **c} for c in cells]}
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def test_solution_line_and_region_forms_become_our_regions() -> None:
    source = ("def square(x):\n    y = x * x # SOLUTION\n    # BEGIN IGNORE\n    z = 1\n    # END IGNORE\n"
              "    # gone # IGNORE\n    return y # SOLUTION\n\nnine = square(3)\n"
              "def c(r):\n    # BEGIN SOLUTION NO PROMPT\n    return 2 * r\n    # END SOLUTION\n"
              '    """ # BEGIN PROMPT\n    pass\n    """; # END PROMPT\n'
              "np.random.seed(42) # SEED")
    text, regions, dropped = convert_solution_code(source)
    assert regions == 2
    assert text.split("\n") == [
        "def square(x):", "    ### BEGIN SOLUTION", "    y = x * x", "    return y", "    ### END SOLUTION", "",
        "nine = square(3)", "def c(r):", "    ### BEGIN SOLUTION", "    return 2 * r", "    ### END SOLUTION",
        "np.random.seed(42)"]
    assert any("IGNORE" in d for d in dropped) and any("PROMPT" in d for d in dropped)


def test_fenced_otter_markdown_and_raw_markers_read_the_same(tmp_path: Path) -> None:
    cells = [
        {"cell_type": "markdown", "source": "Intro\n```otter\n# BEGIN QUESTION\nname: q1\npoints: 3\n```\nAfter"},
        {"cell_type": "raw", "source": "# BEGIN SOLUTION"},
        {"cell_type": "code", "source": "x = 2 # SOLUTION"},
        {"cell_type": "raw", "source": "# END SOLUTION"},
        {"cell_type": "raw", "source": "# BEGIN TESTS"},
        {"cell_type": "code", "source": "x", "outputs": [
            {"output_type": "execute_result", "data": {"text/plain": "2"}, "metadata": {}, "execution_count": 1}]},
        {"cell_type": "code", "source": "# HIDDEN\nx + 1"},
        {"cell_type": "raw", "source": "# END TESTS"},
        {"cell_type": "raw", "source": "# END QUESTION"},
    ]
    master = read_master(_write(tmp_path, cells))
    assert [(c.kind, c.role, c.source) for c in master.cells] == [
        ("markdown", "plain", "Intro"), ("markdown", "plain", "After"),
        ("code", "solution", "### BEGIN SOLUTION\nx = 2\n### END SOLUTION"),
        ("code", "check", 'grader.check("q1")')]
    tests = master.questions["q1"].tests
    assert [(t.code, t.hidden) for t in tests] == [(">>> x\n2", False), (">>> x + 1\n", True)]


def test_unclosed_blocks_and_duplicate_questions_name_the_file_and_cell(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"master.ipynb.*unclosed"):
        read_master(_write(tmp_path, [{"cell_type": "markdown", "source": "```otter\n# BEGIN QUESTION\nname: q"}]))
    twice = [{"cell_type": "raw", "source": "# BEGIN QUESTION\nname: q1"},
             {"cell_type": "raw", "source": "# END QUESTION"}]
    with pytest.raises(ConfigError, match=r"cell 3: question 'q1' is defined twice"):
        read_master(_write(tmp_path, twice + twice))
    with pytest.raises(ConfigError, match="ends inside a QUESTION"):
        read_master(_write(tmp_path, twice[:1]))


def test_the_fixtures_test_cells_read_as_otter_writes_them() -> None:
    """generate-otter's cases are otter's generated OK tests (its own test suite's expected tests/q1.py)."""
    master = read_master(GENERATE_OTTER)
    assert [(t.code, t.hidden) for t in master.questions["q1"].tests] == [
        (">>> isinstance(x, int)\nTrue", False), (">>> None\n", False), (">>> 0 < x < 100\nTrue", False),
        (">>> x\n2", True), (">>> str(print(x))\n2\n'None'", True)]
    exceptions = read_master(EXCEPTION_EXAMPLE)  # its config_file sets tests.ok_format: false
    case = exceptions.questions["q1"].tests[0]
    assert (case.kind, case.function, case.points, case.name) == ("exception", "test_type", 2.0, "q1a-1")
    assert case.code == "def test_type(x):\n    assert isinstance(x, int)\n    assert 0 < x < 100"
    assert exceptions.questions["q3"].tests[1].hidden  # the "# HIDDEN" first line


@pytest.mark.parametrize(("points", "given"), [
    (None, [None, None, None]), (4, [None, 1.0, None]), ([1, 2, 3], [None, None, None]),
    ({"each": 0.75}, [None, None]), (None, [2.0, None]), (None, [0.0, None, None]), (3, [3.0, None])])
def test_points_resolve_as_otter_resolves_them(points: object, given: list[float | None]) -> None:
    question = Question("q1", {"name": "q1", "points": points})
    question.tests = [MarkerCase("q1", i + 1, "doctest", ">>> 1\n1", False, p) for i, p in enumerate(given)]
    otter_total = points["each"] * len(given) if isinstance(points, dict) else points
    cases = [OtterCase("", "", False, p, None, None) for p in given]
    expected = [c.points for c in OtterFile.resolve_test_file_points(otter_total, cases)]  # type: ignore[arg-type]
    assert resolve_points(question) == pytest.approx(expected)
