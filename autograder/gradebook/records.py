"""What the gradebook stores per graded submission, as the rest of the program reads it back."""

from __future__ import annotations

from dataclasses import dataclass

from autograder.results import SubmissionResult


@dataclass(frozen=True)
class SubmissionKey:
    """Which submission a result belongs to.

    ``content_hash``: sha256 of the notebook bytes as submitted; ``submitted_at``:
    the LMS timestamp (ISO 8601, UTC) when the input carries one, else ``None``;
    ``source``: the display path (``class.zip:kim/hw1.ipynb``).
    """

    student: str
    content_hash: str
    source: str
    submitted_at: str | None = None


@dataclass(frozen=True)
class StoredResult:
    """The latest grade of one student's submission to one assignment, as recorded.

    ``fingerprint`` identifies everything the grade depends on (notebook
    content, the assignment's checks, the configuration): a run skips a
    submission whose stored fingerprint matches. ``late_penalty`` is the
    fraction of the points removed for lateness (0.0 to 1.0); ``final_points``
    applies it.
    """

    assignment: str
    key: SubmissionKey
    result: SubmissionResult
    fingerprint: str
    run_id: int
    graded_at: str
    late_penalty: float = 0.0
    name: str | None = None
    email: str | None = None

    @property
    def final_points(self) -> float:
        """Points after the late penalty."""
        return round(self.result.points * (1.0 - self.late_penalty), 4)
