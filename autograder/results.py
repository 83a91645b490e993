"""The result model, below every stage: check result -> question score -> submission result.

Grading (:mod:`autograder.grade`) makes these, the gradebook stores them, the
reports read them; this module imports none of those. Statuses are
string-valued enums (:class:`CheckStatus`, :class:`SubmissionStatus`,
:class:`CellStatus`): what is stored and written is their value, and a
misspelt status is a type error instead of a ``[report.status.x]`` on a page.

Points are resolved in exactly one place, ``_worth``: a question's points
(from the config) are shared among its checks by weight, a check earns its
share when it passes, and a skipped check's share leaves the maximum.
:func:`score_questions` sums the shares into question scores;
:func:`check_points` gives each check's share of a scored question to the
gradebook and the reports.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from autograder.errors import ConfigError
from autograder.i18n import message


class CheckStatus(enum.StrEnum):
    """How one check ended."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"  # a fault in the check itself, or no calibrated threshold: the grader's, not the student's
    SKIPPED = "skipped"  # it could not run for a reason outside the student's control; its points leave the max


class SubmissionStatus(enum.StrEnum):
    """What happened to a submission as a whole (``report.status.<value>`` names it for people)."""

    GRADED = "graded"
    PARTLY_GRADED = "partly_graded"  # some checks could not run on the grader's side
    TIMED_OUT = "timed_out"
    OUT_OF_MEMORY = "out_of_memory"
    CRASHED = "crashed"
    INVALID = "invalid"  # not a notebook one can grade; no cell ran
    ERROR = "error"  # a grader error; the catalogue names it (report.status.error), no stage produces it today


class CellStatus(enum.StrEnum):
    """What happened to a student cell that did not simply run (``report.cell.<value>``)."""

    ERROR = "error"
    TIMEOUT = "timeout"
    KILLED = "killed"
    OOM = "oom"
    SKIPPED = "skipped"


_LABEL_PREFIX: dict[type[enum.StrEnum], str] = {CheckStatus: "check", SubmissionStatus: "status",
                                               CellStatus: "cell"}


def status_label(status: CheckStatus | SubmissionStatus | CellStatus, lang: str) -> str:
    """The word people read for a status, in ``lang`` (the status itself when the catalogue has none)."""
    key = f"report.{_LABEL_PREFIX[type(status)]}.{status.value}"
    text = message(key, lang)
    return status.value if text.startswith(f"[{key}]") else text


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check.

    ``status``: see :class:`CheckStatus`. ``key`` and ``params``: the catalogue
    message the student reads; ``measured``: what a performance check measured
    (``metric`` names it).
    """

    question: str
    name: str
    weight: float
    hidden: bool
    status: CheckStatus
    key: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    seconds: float = 0.0
    measured: float | None = None
    metric: str | None = None

    def __post_init__(self) -> None:
        # a stored or hand-written string becomes the enum; an unknown status fails here, not on a page
        object.__setattr__(self, "status", CheckStatus(self.status))

    @property
    def passed(self) -> bool:
        """Whether the check passed."""
        return self.status == CheckStatus.PASSED

    @property
    def skipped(self) -> bool:
        """Whether the check could not run here (its points left the maximum)."""
        return self.status == CheckStatus.SKIPPED

    def render(self, lang: str) -> str:
        """The student-facing message in ``lang`` (empty when passed)."""
        return message(self.key, lang, **dict(self.params)) if self.key else ""


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
class CheckPoints:
    """One check with the points it was worth and earned (its weighted share of its question)."""

    check: CheckResult
    points: float
    max_points: float


def _worth(checks: Sequence[CheckResult], question_points: float) -> list[float]:
    """What each check is worth (unrounded): the one formula for points.

    ``question_points`` (what the checks that can run are worth together) is
    shared among the checks that are not skipped, by weight; a skipped check is
    worth nothing (its share left the maximum).
    """
    counted = sum(c.weight for c in checks if not c.skipped)
    return [question_points * c.weight / counted if counted and not c.skipped else 0.0 for c in checks]


def check_points(score: QuestionScore) -> list[CheckPoints]:
    """Each check of a scored question with what it was worth and earned, rounded to 4 places, by the formula
    :func:`score_questions` scored it with: a check earns its whole share when it passes, nothing otherwise."""
    return [CheckPoints(check, round(worth if check.passed else 0.0, 4), round(worth, 4))
            for check, worth in zip(score.checks, _worth(score.checks, score.max_points), strict=True)]


@dataclass(frozen=True)
class CellProblem:
    """A student cell that raised, timed out or was killed (``cell`` is 1-based, as people count)."""

    cell: int
    status: CellStatus
    ename: str = ""
    evalue: str = ""
    traceback: str = ""

    def __post_init__(self) -> None:
        # a stored or hand-written string becomes the enum; an unknown status fails here, not on a page
        object.__setattr__(self, "status", CellStatus(self.status))


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
    status: SubmissionStatus
    questions: tuple[QuestionScore, ...] = ()
    reasons: tuple[Reason, ...] = ()
    cells: tuple[CellProblem, ...] = ()
    seconds: float = 0.0
    student_seconds: float = 0.0
    peak_memory_bytes: int | None = None
    isolation: str = ""
    output: str = field(default="", repr=False)
    figures: tuple[Figure, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        # a stored or hand-written string becomes the enum; an unknown status fails here, not on a page
        object.__setattr__(self, "status", SubmissionStatus(self.status))

    @property
    def points(self) -> float:
        """Points earned over all questions."""
        return round(sum(q.points for q in self.questions), 4)

    @property
    def max_points(self) -> float:
        """Points available over all questions."""
        return round(sum(q.max_points for q in self.questions), 4)

    def to_json(self, lang: str) -> dict[str, Any]:
        """The one JSON form of a result (``results/<student>.json``), every message rendered in ``lang``
        next to its key."""
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
        counted_weight = sum(c.weight for c in checks if not c.skipped)
        # skipped checks (not runnable here, e.g. no pretrained weights) leave the maximum too
        available = float(points[question]) * counted_weight / total_weight if total_weight else float(points[question])
        earned = sum(worth for check, worth in zip(checks, _worth(checks, available), strict=True) if check.passed)
        scores.append(QuestionScore(question, round(earned, 4), round(available, 4), tuple(checks)))
    return tuple(scores)


def invalid(student: str, source: str, key: str, params: Mapping[str, Any],
            points: Mapping[str, float]) -> SubmissionResult:
    """The row of a submission that could not be graded at all."""
    questions = tuple(QuestionScore(q, 0.0, float(p), ()) for q, p in points.items())
    return SubmissionResult(student, source, SubmissionStatus.INVALID, questions,
                            (Reason(key, tuple((k, str(v)) for k, v in params.items())),))
