"""What scoring one exam file gave: :class:`Outcome`, at the bottom of the exam stage (artifact scoring, the
starter-script run, the session and calibration all speak it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Outcome:
    """``scored`` (score, metric), ``refused`` (the candidate's file: 0, with why) or ``error`` (the grader's
    problem: not counted)."""

    status: str
    score: int = 0
    metric: float | None = None
    key: str | None = None
    params: dict[str, str] = field(default_factory=dict)

    @property
    def counted(self) -> bool:
        return self.status in ("scored", "refused")


def refused(key: str, **params: Any) -> Outcome:
    return Outcome("refused", key=key, params={str(k): str(v)[:300] for k, v in params.items()})
