"""Hostile frames from the sandbox: the grader stays bounded and every one is a row, never a death."""

from __future__ import annotations

import multiprocessing
import resource
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GOOD_ADD, GOOD_RELU, make_course, write_notebook
from tests.hostile.frames import FRAME_ATTACKS

# what grading one honest notebook may add to the grader's peak memory, and what a hostile one may add
_MARGIN_BYTES = 200 * 2**20


def _grade_each(config_path: str, notebooks: list[str]) -> list[dict[str, Any]]:
    """In a fresh process: grade each notebook in turn and note the process's peak memory after each."""
    from autograder.config import load_config
    from autograder.grade.assignment import load_assignment
    from autograder.grade.runner import grade_submission
    from autograder.intake.submissions import Submission
    from autograder.notebook import check_notebook

    config = load_config(Path(config_path))
    task = load_assignment(config, "demo", config_path)
    rows = []
    for path in map(Path, notebooks):
        submission = Submission(path.stem, str(path), check_notebook(path.read_bytes(), str(path)), None)
        result = grade_submission(submission, task, hide=[task.solution_dir], lang="en")
        rows.append({"student": result.student, "status": result.status, "points": result.points,
                     "reasons": [r.key for r in result.reasons],
                     "messages": {c.name: c.key for q in result.questions for c in q.checks},
                     "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024})
    return rows


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("frames")
    config = make_course(root / "course")
    # the honest ones first: the peak they reach is the baseline the attacks are measured against
    notebooks = [write_notebook(root / "subs" / "good.ipynb", GOOD_RELU, GOOD_ADD),
                 write_notebook(root / "subs" / "good_again.ipynb", GOOD_RELU, GOOD_ADD)]
    notebooks += [write_notebook(root / "subs" / f"x_{a.name}.ipynb", *a.cells) for a in FRAME_ATTACKS]
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        rows = pool.apply(_grade_each, (str(config), [str(p) for p in notebooks]))
    return {row["student"]: row for row in rows}


@pytest.mark.slow
@pytest.mark.parametrize("attack", [a.name for a in FRAME_ATTACKS])
def test_a_hostile_frame_is_a_row_with_the_honest_points_and_a_bounded_grader(
        graded: dict[str, dict[str, Any]], attack: str) -> None:
    honest = {a.name: a.honest for a in FRAME_ATTACKS}[attack]
    row = graded[f"x_{attack}"]
    assert row["points"] == honest, row
    baseline = graded["good_again"]["peak"]
    assert row["peak"] < baseline + _MARGIN_BYTES, (row["peak"] / 2**20, baseline / 2**20)


@pytest.mark.slow
def test_a_patched_encoder_is_reported_as_interfering_with_the_connection(graded: dict[str, dict[str, Any]]) -> None:
    for attack in ("huge_nested_header", "huge_announced_header", "deep_header"):
        row = graded[f"x_{attack}"]
        assert row["status"] == "crashed" and "reason.call_protocol" in row["reasons"], row
        assert row["messages"]["relu_values"] is None  # naive_relu's replies were left alone


@pytest.mark.slow
def test_a_return_value_too_large_to_send_tells_the_student(graded: dict[str, dict[str, Any]]) -> None:
    row = graded["x_oversized_return"]
    assert row["status"] == "graded", row
    assert row["messages"]["add_values"] == "check.reply_too_large"
    assert graded["good"]["points"] == 8.0
