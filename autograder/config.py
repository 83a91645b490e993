"""``grading_config.yaml``: one validated schema, read once.

Every key has a type, a default and a description (``autograder config`` can
print them). Errors name the file and the dotted key, and suggest the closest
valid key for a typo.
"""

from __future__ import annotations

import difflib
import math
import os
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from autograder.assignment_files import PUBLIC_CHECKS
from autograder.errors import ConfigError

DATA_DIR_ENV = "AUTOGRADER_DATA_DIR"
ASSIGNMENT_FILE = "assignment.yaml"  # an assignment's own defaults, in its folder: points, limits, workers
_FOLDER_KEYS = ("points", "limits", "workers")
_MAX_ASSIGNMENT_FILE_BYTES = 64 * 1024


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LimitsConfig(_Strict):
    """Resource limits for one submission's sandbox."""

    wall_time_s: float = Field(600, gt=0, description="Wall-clock limit for a whole submission, in seconds.")
    cell_time_s: float = Field(120, gt=0, description="Wall-clock limit for one notebook cell, in seconds.")
    call_time_s: float = Field(10, gt=0, description="Wall-clock limit for one function call made by a check.")
    memory_mb: int = Field(2048, ge=64, description="Memory limit of the sandbox (all its processes), in MiB.")
    cpu_time_s: int = Field(900, gt=0, description="CPU-time limit of the sandbox process, in seconds.")
    file_size_mb: int = Field(64, gt=0, description="Largest file the student's code may write, in MiB.")
    tmp_mb: int = Field(512, gt=0, description="Size of the sandbox's private /tmp (working folder), in MiB.")
    processes: int = Field(256, ge=8, description="Most processes and threads the student's code may run.")
    output_kb: int = Field(256, gt=0, description="Captured stdout/stderr kept per submission, in KiB.")
    model_mb: int = Field(64, gt=0, description="Largest Keras model (.keras file) a check may fetch, in MiB; "
                                                "also bounded by file_size_mb and tmp_mb.")
    threads: int = Field(2, ge=1, le=256, description="Threads of each sandbox's TensorFlow and BLAS pools (and of "
                                                    "the grader's model checks), whatever --workers is, so that a "
                                                    "grade does not depend on it; 2: the CPU budgets were measured "
                                                    "on 2 cores.")


class AssignmentConfig(_Strict):
    """One assignment's grading settings."""

    points: dict[str, float] = Field(description="Points per question, e.g. {q1: 4, q2: 4}.")
    handouts: list[str] = Field(default_factory=list,
                                description="Files (relative to the assignment folder) copied into the sandbox.")
    limits: LimitsConfig | None = Field(None, description="Limits for this assignment instead of the course's.")
    workers: int | None = Field(None, ge=1, description="Most submissions of this assignment graded at once "
                                                        "(e.g. 1 when each needs much of the memory).")
    due: datetime | None = Field(None, description="Due date and time with its time zone, e.g. "
                                                   "2026-12-01T23:59:00+09:00; none: no late penalty.")
    grace_minutes: float = Field(0, ge=0, description="Minutes after the due time still counted on time.")
    late_penalty_per_day: float = Field(0, ge=0, le=1, description="Fraction of the points removed per started "
                                                                   "day late (0.1 = 10% a day), at most all.")
    canvas_column: str | None = Field(
        None, min_length=1, description="The assignment's column header in canvas.csv, as Canvas' own gradebook "
                                        "export writes it, e.g. 'Homework 1 (123456)': Canvas' import matches the "
                                        "column to the assignment by the id in parentheses; none: the course and "
                                        "assignment name, which Canvas offers to import as a new assignment.")

    def late_penalty(self, submitted_at: str | None) -> float:
        """The fraction of points removed for a submission made at ``submitted_at`` (ISO 8601)."""
        if self.due is None or submitted_at is None or self.late_penalty_per_day == 0:
            return 0.0
        moment = datetime.fromisoformat(submitted_at)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        due = self.due if self.due.tzinfo is not None else self.due.replace(tzinfo=UTC)
        late = (moment - due - timedelta(minutes=self.grace_minutes)).total_seconds()
        if late <= 0:
            return 0.0
        return min(1.0, math.ceil(late / 86400) * self.late_penalty_per_day)


class ClusterConfig(_Strict):
    """A Dask distributed cluster to grade on (``executor: dask``, or ``autograder grade --cluster``)."""

    address: str | None = Field(None, description="The Dask scheduler, e.g. tcp://HOST:8786.")
    memory_resource: str | None = Field(
        "MEMORY_MB", description="Dask resource tag each task requests its memory in (the assignment's "
                                 "limits.memory_mb, twice when its checks load models); start workers with "
                                 "--resources MEMORY_MB=<their MiB>; none: not requested.")
    resources: dict[str, float] = Field(default_factory=dict, description="Further Dask resources every task "
                                                                          "requests, e.g. {GPU: 1}.")
    retries: int = Field(2, ge=0, le=20, description="Times a task that failed for the machine's sake is retried.")
    connect_timeout_s: float = Field(30, gt=0, description="How long to wait for the scheduler and a first worker.")


class GradingConfig(_Strict):
    """The course's grading configuration."""

    course: str = Field("", description="Course name shown in reports.")
    language: Literal["ko", "en"] = Field("ko", description="Language of student feedback: ko or en.")
    seed: int = Field(0, description="Seed for Python, NumPy and Keras/TensorFlow in every sandbox.")
    data_dir: Path | None = Field(None, description="Course data folder: keras/datasets/ (a Keras cache) and data/ "
                                                    "(rebuilt IMDB/Reuters...); the AUTOGRADER_DATA_DIR environment "
                                                    "variable overrides it.")
    solutions_dir: Path = Field(Path("solutions"), description="Instructor sources: reference notebooks, checks.")
    assignments_dir: Path = Field(Path("assignments"), description="Where generated student notebooks go.")
    results_dir: Path = Field(Path("results"), description="Where grading results are written.")
    isolation: Literal["auto", "root", "userns", "none"] = Field(
        "auto", description="Sandbox isolation; auto picks the strongest this machine allows.")
    sandbox_start: Literal["auto", "cold"] = Field(
        "auto", description="auto: sandboxes are forked from a warm template process that has imported "
                            "TensorFlow (as root, no GPU; otherwise cold); cold: a fresh interpreter each time.")
    max_cells: int = Field(1000, gt=0, description="Notebooks with more cells are refused as invalid.")
    gradebook: str = Field("gradebook.sqlite", description="The gradebook: an SQLite file (relative to this file) "
                                                           "or a postgresql:// URL.")
    workers: int = Field(0, ge=0, description="Submissions graded in parallel; 0: one per CPU core.")
    timezone: str | None = Field(
        None, description="The course's time zone (IANA name, e.g. Asia/Seoul), in which times written without "
                          "one are read: zip entry times, LMS time stamps without an offset, a due without an "
                          "offset; none: the due's own offset, else UTC.")
    late_from_mtime: bool = Field(
        False, description="Also take submission times (late penalties) from file modification times: folders, "
                           "zips that are not LMS exports. Off: only LMS time stamps count, since copying or "
                           "extracting a folder changes mtimes (the --late-from-mtime option turns it on).")
    pretrained_weights: str = Field(
        "keras_cache", description="Where keras.applications weights (VGG16 ImageNet) come from: keras_cache (the "
                                   "grading user's ~/.keras/models, hash-checked), none, or a file or folder path "
                                   "(Keras' own files only). Without them, accuracy checks that need them are "
                                   "skipped and leave the maximum.")
    canvas_id_column: Literal["auto", "ID", "SIS User ID", "SIS Login ID"] = Field(
        "auto", description="The canvas.csv column that holds each student's id. auto: ID (Canvas' own user id, "
                            "which its import matches) for an id taken from a Canvas 'Download submissions' file, "
                            "SIS User ID for every other id (a roster's, a file name's); or always that column.")
    limits: LimitsConfig = Field(default_factory=LimitsConfig, description="Default sandbox limits.")
    assignments: dict[str, AssignmentConfig] = Field(default_factory=dict, description="Per-assignment settings.")
    executor: Literal["local", "dask"] = Field("local", description="Where submissions are graded: local (grader "
                                                                     "processes here) or dask (cluster.address).")
    cluster: ClusterConfig = Field(default_factory=ClusterConfig, description="The Dask cluster (executor: dask).")
    portal: dict[str, Any] | None = Field(None, description="The submission portal (`autograder serve`): its keys "
                                                            "are validated by autograder.portal.settings; see "
                                                            "docs/portal.md.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Asia/Seoul or UTC") from None
        return value

    def zone(self) -> tzinfo | None:
        """The configured course time zone, if any."""
        return ZoneInfo(self.timezone) if self.timezone else None

    def assignment(self, name: str, source: str = "grading_config.yaml") -> AssignmentConfig:
        """The settings of assignment ``name`` (a due without an offset in the course's time zone)."""
        if name not in self.assignments:
            known = ", ".join(sorted(self.assignments)) or "none"
            folder = self.solutions_dir / name
            if is_assignment_folder(folder):
                raise ConfigError(str(folder / ASSIGNMENT_FILE), f"assignment {name!r} has no points: write them "
                                  f"here (points: {{q1: 4, ...}}) or under assignments.{name}.points in {source}",
                                  "points")
            raise ConfigError(source, f"no assignment {name!r} (configured: {known})",
                              f"assignments.{name}")
        settings = self.assignments[name]
        zone = self.zone()
        if settings.due is not None and settings.due.tzinfo is None and zone is not None:
            settings = settings.model_copy(update={"due": settings.due.replace(tzinfo=zone)})
        return settings

    def limits_for(self, name: str) -> LimitsConfig:
        """The limits that apply to assignment ``name``."""
        override = self.assignments[name].limits if name in self.assignments else None
        return override or self.limits


def _did_you_mean(error: dict[str, Any], model: type[BaseModel]) -> str:
    location = [str(p) for p in error["loc"]]
    if error["type"] != "extra_forbidden":
        return ""
    target: Any = model
    for part in location[:-1]:
        field = getattr(target, "model_fields", {}).get(part)
        annotation = field.annotation if field is not None else None
        target = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
        if target is None:
            return ""
    names = list(getattr(target, "model_fields", {}))
    close = difflib.get_close_matches(location[-1], names, n=1)
    return f" (did you mean {close[0]!r}?)" if close else f" (valid keys: {', '.join(names)})"


def is_assignment_folder(folder: Path) -> bool:
    """Whether ``folder`` holds an assignment: its reference notebook ``<id>.ipynb`` and its public checks."""
    return (folder / f"{folder.name}.ipynb").is_file() and (folder / PUBLIC_CHECKS).is_file()


_Model = TypeVar("_Model", bound=BaseModel)


def _validate(data: dict[str, Any], source: str, model: type[_Model]) -> _Model:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or None
        raise ConfigError(source, first["msg"] + _did_you_mean(dict(first), model), key) from None


class _FolderDefaults(_Strict):
    """``solutions/<id>/assignment.yaml``: the assignment's own defaults, which the course config overrides."""

    points: dict[str, float] | None = Field(None, description="Points per question, e.g. {q1: 4, q2: 4}.")
    limits: dict[str, Any] | None = Field(None, description="Limits this assignment needs (keys of limits).")
    workers: int | None = Field(None, ge=1, description="Most submissions of this assignment graded at once.")


def folder_defaults(folder: Path) -> dict[str, Any]:
    """The keys of ``folder/assignment.yaml`` (none: ``{}``), checked; errors name the file and the key."""
    path = folder / ASSIGNMENT_FILE
    if not path.is_file():
        return {}
    try:
        if path.stat().st_size > _MAX_ASSIGNMENT_FILE_BYTES:
            raise ConfigError(str(path), f"larger than {_MAX_ASSIGNMENT_FILE_BYTES // 1024} KiB")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
        raise ConfigError(str(path), f"not valid YAML: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(str(path), f"the top level must be a mapping of {', '.join(_FOLDER_KEYS)}")
    checked = _validate(data, str(path), _FolderDefaults)
    if checked.limits is not None:
        _validate(checked.limits, str(path), LimitsConfig)  # a typo in a limit is named here, not later
    return {key: value for key, value in checked.model_dump().items() if value is not None}


def _with_folders(data: dict[str, Any], solutions: Path) -> dict[str, Any]:
    """``data`` with the assignments found in ``solutions`` and their folder defaults; a course key wins."""
    course = data.get("assignments") or {}
    if not isinstance(course, dict):
        return data
    found = sorted(p for p in solutions.iterdir() if is_assignment_folder(p)) if solutions.is_dir() else []
    merged = dict(course)
    for folder in found:
        defaults = folder_defaults(folder)
        given = course.get(folder.name)
        if given is not None and not isinstance(given, dict):
            continue  # reported by the validation of the course config
        given = dict(given or {})
        if not defaults or (folder.name not in course and "points" not in defaults):
            continue
        settings = {**defaults, **given}
        if "limits" in defaults:  # like an assignment's limits in the course config, they stand instead of the
            own = given.get("limits")  # course's (unnamed keys: the defaults); the course's keys for it win
            settings["limits"] = {**defaults["limits"], **(own if isinstance(own, dict) else {})}
        merged[folder.name] = settings
    return {**data, "assignments": merged} if merged != course else data


def parse_config(data: Any, source: str, base: Path) -> GradingConfig:
    """Validate already-parsed YAML; relative paths are resolved against ``base``.

    Each folder of ``solutions_dir`` holding an assignment (``<id>.ipynb`` and ``public_checks.py``) is one,
    configured or not; its ``assignment.yaml`` gives defaults (points, limits, workers) and a key under
    ``assignments.<id>`` in the course config wins over the folder's (a limit: key by key; the folder's limits,
    like an assignment's limits in the course config, stand instead of the course's ``limits``).
    """
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(source, "the top level must be a mapping of keys to values")
    if "assignments" in data and data["assignments"] is None:  # `assignments:` with every one in its folder
        data = {key: value for key, value in data.items() if key != "assignments"}
    config = _validate(data, source, GradingConfig)
    solutions = config.solutions_dir if config.solutions_dir.is_absolute() else base / config.solutions_dir
    folders = _with_folders(data, solutions)
    if folders is not data:
        config = _validate(folders, source, GradingConfig)
    resolved = {name: (base / value if value is not None and not Path(value).is_absolute() else value)
                for name in ("data_dir", "solutions_dir", "assignments_dir", "results_dir")
                for value in [getattr(config, name)]}
    if "://" not in config.gradebook and not Path(config.gradebook).is_absolute():
        resolved["gradebook"] = str(base / config.gradebook)
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        resolved["data_dir"] = Path(override).resolve()
    return config.model_copy(update=resolved)


def load_config(path: Path) -> GradingConfig:
    """Read and validate ``path``; a missing file gives the defaults with paths relative to the cwd."""
    if not path.exists():
        raise ConfigError(str(path), "file not found; run from the course folder or pass --config")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ConfigError(str(path), f"not valid YAML: {error}") from None
    return parse_config(data, str(path), path.resolve().parent)
