"""Grading results as immutable data: check result -> question score -> submission result.

Points are resolved in exactly one place, :func:`score_questions`: a question's
points (from the config) are shared among its checks by weight, and a check
earns its share when it passes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from autograder.checks.core import CheckResult
from autograder.errors import ConfigError
from autograder.i18n import message

STATUSES = ("graded", "timed_out", "out_of_memory", "crashed", "invalid", "error")


@dataclass(frozen=True)
class Reason:
    """Why a submission's status is what it is, as a catalogue key and parameters."""

    key: str
    params: tuple[tuple[str, str], ...] = ()

    def render(self, lang: str) -> str:
        """The reason in ``lang``."""
        return message(self.key, lang, **dict(self.params))


@dataclass(frozen=True)
class QuestionScore:
    """The checks of one question and the points they earned."""

    question: str
    points: float
    max_points: float
    checks: tuple[CheckResult, ...]


@dataclass(frozen=True)
class CellProblem:
    """A student cell that raised, timed out or was killed (``cell`` is 1-based, as people count)."""

    cell: int
    status: str
    ename: str = ""
    evalue: str = ""
    traceback: str = ""


@dataclass(frozen=True)
class Figure:
    """A plot a cell made (``cell`` is 1-based), as a PNG the grader re-encoded."""

    cell: int
    png: bytes = field(repr=False)


@dataclass(frozen=True)
class SubmissionResult:
    """Everything the grade of one submission consists of."""

    student: str
    source: str
    status: str
    questions: tuple[QuestionScore, ...] = ()
    reasons: tuple[Reason, ...] = ()
    cells: tuple[CellProblem, ...] = ()
    seconds: float = 0.0
    student_seconds: float = 0.0
    peak_memory_bytes: int | None = None
    isolation: str = ""
    output: str = field(default="", repr=False)
    figures: tuple[Figure, ...] = field(default=(), repr=False)

    @property
    def points(self) -> float:
        """Points earned over all questions."""
        return round(sum(q.points for q in self.questions), 4)

    @property
    def max_points(self) -> float:
        """Points available over all questions."""
        return round(sum(q.max_points for q in self.questions), 4)

    def to_json(self, lang: str) -> dict[str, Any]:
        """A JSON-ready dict, with every message rendered in ``lang`` next to its key."""
        data = asdict(self)
        data["points"], data["max_points"] = self.points, self.max_points
        data["figures"] = [{"cell": f.cell, "png_bytes": len(f.png)} for f in self.figures]
        data["reasons"] = [{"key": r.key, "params": dict(r.params), "message": r.render(lang)}
                           for r in self.reasons]
        for question, score in zip(data["questions"], self.questions, strict=True):
            question["checks"] = [
                {"name": c.name, "status": c.status, "weight": c.weight, "hidden": c.hidden,
                 "key": c.key, "params": dict(c.params), "message": c.render(lang),
                 "seconds": round(c.seconds, 4), "metric": c.metric, "measured": c.measured}
                for c in score.checks]
        return data


def score_questions(results: Sequence[CheckResult], points: Mapping[str, float],
                    source: str = "grading_config.yaml") -> tuple[QuestionScore, ...]:
    """Turn check results into question scores, in the order of ``points``."""
    by_question: dict[str, list[CheckResult]] = {q: [] for q in points}
    for result in results:
        if result.question not in by_question:
            raise ConfigError(source, f"checks exist for question {result.question!r}, which has no points",
                              "points")
        by_question[result.question].append(result)
    scores = []
    for question, checks in by_question.items():
        total_weight = sum(c.weight for c in checks)
        counted_weight = sum(c.weight for c in checks if c.status != "skipped")
        # skipped checks (not runnable here, e.g. no pretrained weights) leave the maximum too
        available = float(points[question]) * counted_weight / total_weight if total_weight else float(points[question])
        earned = sum(available * c.weight / counted_weight for c in checks if c.passed) if counted_weight else 0.0
        scores.append(QuestionScore(question, round(earned, 4), round(available, 4), tuple(checks)))
    return tuple(scores)


def invalid(student: str, source: str, key: str, params: Mapping[str, Any],
            points: Mapping[str, float]) -> SubmissionResult:
    """The row of a submission that could not be graded at all."""
    questions = tuple(QuestionScore(q, 0.0, float(p), ()) for q, p in points.items())
    return SubmissionResult(student, source, "invalid", questions,
                            (Reason(key, tuple((k, str(v)) for k, v in params.items())),))
