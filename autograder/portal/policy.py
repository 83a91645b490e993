"""Whether a student may upload now, when their assignment is due and closes, and when hidden checks show.

The assignment's own ``due``, ``grace_minutes`` and ``late_penalty_per_day`` (the same the bulk grader uses) with
the portal's policy (:class:`~autograder.portal.settings.AssignmentPolicy`) and the student's extension, which
replaces the due time for that student.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from autograder.config import AssignmentConfig
from autograder.portal.settings import AssignmentPolicy
from autograder.portal.store import Upload


@dataclass(frozen=True)
class Decision:
    """Accepted, or refused with a catalogue message (``key`` and ``params``)."""

    accepted: bool
    key: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def due_of(settings: AssignmentConfig, extension: datetime | None) -> datetime | None:
    """The student's due time: their extension, else the assignment's."""
    if extension is not None:
        return _aware(extension)
    return None if settings.due is None else _aware(settings.due)


def for_student(settings: AssignmentConfig, extension: datetime | None) -> AssignmentConfig:
    """The assignment's settings as they apply to one student (their extension as the due time)."""
    if extension is None:
        return settings
    return settings.model_copy(update={"due": _aware(extension)})


def closes_at(settings: AssignmentConfig, policy: AssignmentPolicy, extension: datetime | None) -> datetime | None:
    """When the student's uploads stop being accepted (``None``: never): due + grace + the late days."""
    due = due_of(settings, extension)
    if due is None:
        return None
    return due + timedelta(minutes=settings.grace_minutes, days=policy.late_days)


def decide(settings: AssignmentConfig, policy: AssignmentPolicy, *, moment: datetime, extension: datetime | None,
           uploads: Sequence[Upload]) -> Decision:
    """May a student with these earlier ``uploads`` upload at ``moment``?"""
    moment = _aware(moment)
    if not policy.open:
        return Decision(False, "portal.refused.not_open")
    close = closes_at(settings, policy, extension)
    if close is not None and moment > close:
        return Decision(False, "portal.refused.closed", {"close": close.isoformat()})
    if policy.max_total is not None and len(uploads) >= policy.max_total:
        return Decision(False, "portal.refused.total_limit", {"limit": policy.max_total})
    if policy.max_per_day is not None:
        today = moment.astimezone(UTC).date()
        same_day = [u for u in uploads if _aware(datetime.fromisoformat(u.received_at)).astimezone(UTC).date()
                    == today]
        if len(same_day) >= policy.max_per_day:
            return Decision(False, "portal.refused.day_limit", {"limit": policy.max_per_day})
    return Decision(True)


def hidden_visible(settings: AssignmentConfig, policy: AssignmentPolicy, *, moment: datetime,
                   extension: datetime | None) -> bool:
    """Whether the student may see their hidden checks' results now (``after_due_date``: after their due + grace)."""
    if policy.hidden_visibility == "visible":
        return True
    if policy.hidden_visibility == "hidden":
        return False
    due = due_of(settings, extension)
    return due is not None and _aware(moment) > due + timedelta(minutes=settings.grace_minutes)
