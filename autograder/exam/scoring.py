"""A category's scoring rule: a metric measured by the grader becomes a score of 0-5.

Two kinds. ``levels``: five thresholds, the score is how many the metric reaches (at or below each for a
``min`` metric such as MAE, at or above for a ``max`` metric such as accuracy); the thresholds are derived from
the reference solution's measured value (:func:`derive_levels`), so the reference scores 5 with a margin.
``linear``: the exam's published sunspots rule, ``score = min(5, ceil(a - b * metric))`` (a=17, b=100),
never below 0.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_SCORE = 5


class Rule(BaseModel):
    """How a category's metric becomes its score (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["levels", "linear"]
    goal: Literal["min", "max"]
    # levels: the reference's measured value, the margin it keeps at 5 and the step between levels
    reference: float | None = None
    margin: float = Field(0.0, ge=0.0)
    step: float = Field(0.0, ge=0.0)
    floor: float = Field(0.0, ge=0.0)  # min goal: the top threshold is at least this (a reference error near 0)
    # linear: score = ceil(a - b * metric) (goal min) or ceil(a + b * metric) (goal max)
    a: float | None = None
    b: float | None = None

    @model_validator(mode="after")
    def _complete(self) -> Rule:
        if self.kind == "levels" and (self.reference is None or self.step <= 0):
            raise ValueError("a `levels` rule needs `reference` and a positive `step`")
        if self.kind == "linear" and (self.a is None or self.b is None):
            raise ValueError("a `linear` rule needs `a` and `b`")
        return self

    @property
    def thresholds(self) -> tuple[float, ...]:
        """The five thresholds of a ``levels`` rule, for scores 1 to 5."""
        assert self.reference is not None
        return derive_levels(self.reference, self.goal, self.margin, self.step, self.floor)

    def score(self, metric: float) -> int:
        """The score 0-5 of ``metric`` (a NaN or infinite metric scores 0)."""
        if not math.isfinite(metric):
            return 0
        if self.kind == "linear":
            assert self.a is not None and self.b is not None
            raw = self.a - self.b * metric if self.goal == "min" else self.a + self.b * metric
            return max(0, min(MAX_SCORE, math.ceil(round(raw, 9))))
        if self.goal == "min":
            return sum(1 for limit in self.thresholds if metric <= limit)
        return sum(1 for limit in self.thresholds if metric >= limit)


def derive_levels(reference: float, goal: str, margin: float, step: float,
                  floor: float = 0.0) -> tuple[float, ...]:
    """Five thresholds (for scores 1..5) from the reference's value.

    ``min`` metrics (errors): score 5 up to ``reference * (1 + margin)`` (at least ``floor``), each lower score
    allows ``step`` times more error. ``max`` metrics (accuracy): score 5 from ``reference - margin``, each lower
    score ``step`` less.
    Rounded to 4 decimals, as stated to the candidate.
    """
    if goal == "min":
        top = max(reference * (1 + margin), floor)
        return tuple(round(top * step ** (MAX_SCORE - k), 4) for k in range(1, MAX_SCORE + 1))
    top = reference - margin
    return tuple(round(top - step * (MAX_SCORE - k), 4) for k in range(1, MAX_SCORE + 1))


def describe_rule(rule: Rule, metric: str, lang: str) -> str:
    """The rule as the candidate reads it (the task statement carries the same thresholds)."""
    from autograder.i18n import message

    name = message(f"exam.metric_{metric}", lang)
    if rule.kind == "linear":
        return message("exam.rule_linear", lang, a=rule.a, b=rule.b, metric_name=name)
    return message(f"exam.rule_levels_{rule.goal}", lang, metric_name=name,
                   thresholds=", ".join(f"{t:g}" for t in rule.thresholds), reference=f"{rule.reference:g}")
