"""Policy: the close (due + grace + late days, an extension's due instead), limits per day and in all, visibility."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from autograder.config import AssignmentConfig
from autograder.portal.policy import closes_at, decide, for_student, hidden_visible
from autograder.portal.settings import AssignmentPolicy
from autograder.portal.store import Upload

DUE = datetime(2026, 12, 1, 23, 59, tzinfo=UTC)
SETTINGS = AssignmentConfig(points={"q1": 4}, due=DUE, grace_minutes=10, late_penalty_per_day=0.1)


def uploads(*times: datetime) -> list[Upload]:
    return [Upload(i, "demo", "kim", "a.ipynb", "/x", "h", 1, t.isoformat()) for i, t in enumerate(times)]


def test_the_close_is_due_plus_grace_plus_late_days_and_an_extension_moves_it() -> None:
    rules = AssignmentPolicy(late_days=2)
    close = DUE + timedelta(minutes=10, days=2)
    assert closes_at(SETTINGS, rules, None) == close
    assert decide(SETTINGS, rules, moment=close, extension=None, uploads=[]).accepted
    late = decide(SETTINGS, rules, moment=close + timedelta(seconds=1), extension=None, uploads=[])
    assert not late.accepted and late.key == "portal.refused.closed"
    extension = DUE + timedelta(days=7)
    assert decide(SETTINGS, rules, moment=close + timedelta(days=1), extension=extension, uploads=[]).accepted
    assert for_student(SETTINGS, extension).late_penalty((extension + timedelta(hours=1)).isoformat()) == 0.1
    assert SETTINGS.late_penalty((DUE + timedelta(hours=1)).isoformat()) == 0.1
    assert for_student(SETTINGS, extension).late_penalty((DUE + timedelta(hours=1)).isoformat()) == 0.0


def test_limits_per_day_and_in_all() -> None:
    moment = DUE - timedelta(days=1)
    today = uploads(moment - timedelta(hours=1), moment - timedelta(minutes=5))
    day = decide(SETTINGS, AssignmentPolicy(max_per_day=2), moment=moment, extension=None, uploads=today)
    assert (day.accepted, day.key, day.params) == (False, "portal.refused.day_limit", {"limit": 2})
    tomorrow = moment + timedelta(days=1) - timedelta(hours=moment.hour)
    assert decide(SETTINGS, AssignmentPolicy(max_per_day=2), moment=tomorrow, extension=None, uploads=today).accepted
    total = decide(SETTINGS, AssignmentPolicy(max_total=2), moment=moment, extension=None, uploads=today)
    assert total.key == "portal.refused.total_limit"
    assert decide(SETTINGS, AssignmentPolicy(open=False), moment=moment, extension=None,
                  uploads=[]).key == "portal.refused.not_open"


def test_hidden_checks_show_after_the_students_own_due_and_grace() -> None:
    rules = AssignmentPolicy()
    after = DUE + timedelta(minutes=11)
    assert not hidden_visible(SETTINGS, rules, moment=DUE + timedelta(minutes=9), extension=None)
    assert hidden_visible(SETTINGS, rules, moment=after, extension=None)
    assert not hidden_visible(SETTINGS, rules, moment=after, extension=DUE + timedelta(days=3))
    assert hidden_visible(SETTINGS, AssignmentPolicy(hidden_visibility="visible"), moment=DUE, extension=None)
    assert not hidden_visible(SETTINGS, AssignmentPolicy(hidden_visibility="hidden"), moment=after, extension=None)
    no_due = AssignmentConfig(points={"q1": 4})
    assert not hidden_visible(no_due, rules, moment=after, extension=None)
