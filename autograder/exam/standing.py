"""Where a candidate stands: each category's counted submission and score, time left, pass or fail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from autograder.exam import store
from autograder.exam.catalogue import Category
from autograder.exam.scoring import MAX_SCORE


@dataclass(frozen=True)
class CategoryStanding:
    category: Category
    weight: float
    score: int
    attempts: int
    counted: store.SubmissionRow | None
    last: store.SubmissionRow | None


@dataclass(frozen=True)
class Standing:
    session: store.SessionRow
    now: datetime
    categories: tuple[CategoryStanding, ...]
    pass_percent: float

    @property
    def seconds_left(self) -> float:
        return max(0.0, (self.session.deadline - self.now).total_seconds())

    @property
    def open(self) -> bool:
        return self.session.finished_at is None and self.now < self.session.deadline

    @property
    def percent(self) -> float:
        total = sum(c.weight * MAX_SCORE for c in self.categories)
        return round(100.0 * sum(c.weight * c.score for c in self.categories) / total, 1) if total else 0.0

    @property
    def passed(self) -> bool:
        return self.percent >= self.pass_percent


def text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
