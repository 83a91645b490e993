"""The ``portal:`` section of ``grading_config.yaml``: how ``autograder serve`` runs and each assignment's policy.

Validated here, with the same rules as the rest of the file: unknown keys are refused with the dotted key
and the closest valid one.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from autograder.config import GradingConfig
from autograder.errors import ConfigError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AssignmentPolicy(_Strict):
    """What the portal accepts for one assignment (its due, grace and late penalty are the assignment's own)."""

    open: bool = Field(True, description="Whether students may upload to this assignment at all.")
    max_per_day: int | None = Field(None, ge=1, description="Uploads a student may make per day (UTC); none: no "
                                                           "limit.")
    max_total: int | None = Field(None, ge=1, description="Uploads a student may make in all; none: no limit.")
    late_days: float = Field(0, ge=0, description="Days after the due time (plus grace, plus the student's "
                                                  "extension) that uploads are still accepted, with the late "
                                                  "penalty; after that the assignment is closed.")
    counts: Literal["last", "chosen"] = Field("last", description="Which upload counts: the last one graded, or "
                                                                 "the one the student chooses (default their last).")
    hidden_visibility: Literal["after_due_date", "visible", "hidden"] = Field(
        "after_due_date", description="When students see the hidden checks' results: after their due date "
                                      "(with their extension), at once, or never in the portal.")


class PortalConfig(_Strict):
    """The ``portal:`` section."""

    host: str = Field("127.0.0.1", description="Address `autograder serve` listens on (behind a reverse proxy: "
                                               "keep 127.0.0.1).")
    port: int = Field(8000, ge=1, le=65535, description="Port `autograder serve` listens on.")
    base_url: str = Field("", description="The portal's public address for the sign-in links `autograder portal "
                                          "tokens` prints, e.g. https://grader.example.edu; none: "
                                          "http://host:port.")
    uploads_dir: Path = Field(Path("portal_uploads"), description="Where uploaded notebooks are kept (relative to "
                                                                  "the config file); hidden from every sandbox.")
    workers: int = Field(1, ge=1, description="Submissions graded at once by the portal's grading loop.")
    cookie_secure: bool | None = Field(None, description="Mark the session cookie Secure; none: when the request "
                                                         "came over https (behind a proxy: uvicorn's forwarded "
                                                         "headers).")
    session_hours: float = Field(12, gt=0, description="How long a sign-in lasts.")
    upload_limit: int = Field(6, ge=1, description="Uploads per token per upload_window_s (rate limit).")
    upload_window_s: float = Field(60, gt=0, description="Window of the upload rate limit, in seconds.")
    signin_limit: int = Field(10, ge=1, description="Failed sign-in attempts per client address (and per token) "
                                                    "per signin_window_s; then every attempt waits.")
    signin_window_s: float = Field(300, gt=0, description="Window of the sign-in rate limit, in seconds.")
    language: Literal["ko", "en"] | None = Field(None, description="Language of the portal's pages; none: the "
                                                                   "course's `language`.")
    exam_dir: Path | None = Field(None, description="The exam-practice folder whose categories students may upload "
                                                    "a model file for (relative to the config file); none: exam/ "
                                                    "beside the config when it holds exam.yaml, else no exam.")
    assignments: dict[str, AssignmentPolicy] = Field(
        default_factory=dict, description="Per-assignment policy; an assignment of the course not named here is "
                                          "offered with the defaults.")


def portal_config(config: GradingConfig, source: str, base: Path) -> PortalConfig:
    """The validated ``portal:`` section of ``config`` (read from ``source``), paths resolved against ``base``."""
    data: Any = config.portal or {}
    if not isinstance(data, dict):
        raise ConfigError(source, "must be a mapping of keys to values", "portal")
    try:
        portal = PortalConfig.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        location = [str(p) for p in first["loc"]]
        hint = ""
        if first["type"] == "extra_forbidden":
            model: type[BaseModel] = AssignmentPolicy if len(location) == 3 else PortalConfig
            close = difflib.get_close_matches(location[-1], list(model.model_fields), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (valid keys: {', '.join(model.model_fields)})"
        raise ConfigError(source, first["msg"] + hint, ".".join(["portal", *location])) from None
    unknown = sorted(set(portal.assignments) - set(config.assignments))
    if unknown:
        raise ConfigError(source, f"no assignment {unknown[0]!r} in the course (configured: "
                          f"{', '.join(sorted(config.assignments)) or 'none'})", f"portal.assignments.{unknown[0]}")
    uploads = portal.uploads_dir if portal.uploads_dir.is_absolute() else base / portal.uploads_dir
    return portal.model_copy(update={"uploads_dir": uploads.resolve()})


def policy_of(portal: PortalConfig, assignment: str) -> AssignmentPolicy:
    """The policy of ``assignment`` (the defaults when the section does not name it)."""
    return portal.assignments.get(assignment) or AssignmentPolicy()
