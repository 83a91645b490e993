"""Points: shared among a question's checks by weight; skipped checks leave the maximum."""

from __future__ import annotations

import pytest

from autograder.errors import ConfigError
from autograder.results import CheckResult, score_questions


def _result(question: str, status: str, weight: float = 1.0) -> CheckResult:
    return CheckResult(question, f"{question}_{status}_{weight}", weight, False, status)


def test_points_are_shared_by_weight() -> None:
    scores = score_questions([_result("q1", "passed", 3), _result("q1", "failed", 1), _result("q2", "error")],
                             {"q1": 4, "q2": 2})
    assert [(s.question, s.points, s.max_points) for s in scores] == [("q1", 3.0, 4.0), ("q2", 0.0, 2.0)]


def test_a_skipped_check_leaves_the_maximum() -> None:
    scores = score_questions([_result("q1", "passed", 2), _result("q1", "skipped", 2), _result("q2", "skipped")],
                             {"q1": 4, "q2": 3})
    assert [(s.points, s.max_points) for s in scores] == [(2.0, 2.0), (0.0, 0.0)]


def test_a_question_without_checks_earns_nothing_of_its_points() -> None:
    (score,) = score_questions([], {"q1": 5})
    assert (score.points, score.max_points) == (0.0, 5.0)


def test_checks_for_a_question_without_points_are_a_config_error() -> None:
    with pytest.raises(ConfigError):
        score_questions([_result("q9", "passed")], {"q1": 1})
