"""An assignment as the grader sees it: its checks, points, hand-outs and limits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from autograder.assignment_files import HIDDEN_CHECKS, PUBLIC_CHECKS
from autograder.checks.core import CheckContext, CheckSpec, Threshold, load_checks
from autograder.config import GradingConfig, LimitsConfig
from autograder.data import keras_files
from autograder.errors import ConfigError
from autograder.grade.calibration import load_thresholds
from autograder.i18n import register_assignment


@dataclass(frozen=True)
class Assignment:
    """What grading one assignment needs; loaded once per run."""

    name: str
    solution_dir: Path
    checks: tuple[CheckSpec, ...]
    points: dict[str, float]
    handouts: tuple[Path, ...]
    limits: LimitsConfig
    data_files: tuple[tuple[str, str], ...] = ()
    data_dir: str | None = None
    thresholds: tuple[tuple[str, Threshold], ...] = ()

    def context(self, lang: str, *, calibrating: bool = False) -> CheckContext:
        """What this assignment's checks may use besides the notebook."""
        return CheckContext(lang=lang, data_files=dict(self.data_files), data_dir=self.data_dir,
                            thresholds=dict(self.thresholds),
                            calibrating=calibrating, model_bytes=self.limits.model_mb * 2**20)


def load_assignment(config: GradingConfig, name: str, config_path: str = "grading_config.yaml") -> Assignment:
    """Load assignment ``name``'s checks and settings; every mismatch is a ConfigError."""
    settings = config.assignment(name, config_path)
    solution_dir = config.solutions_dir / name
    if not solution_dir.is_dir():
        raise ConfigError(str(solution_dir), f"no solution folder for assignment {name!r}")
    register_assignment(solution_dir, name)  # its messages.py: its checks' results render in this process
    checks = [*load_checks(solution_dir / PUBLIC_CHECKS)]
    if (solution_dir / HIDDEN_CHECKS).exists():
        checks += load_checks(solution_dir / HIDDEN_CHECKS)
    questions = {c.question for c in checks}
    unpointed = sorted(questions - set(settings.points))
    if unpointed:
        raise ConfigError(config_path, f"questions {unpointed} have checks but no points",
                          f"assignments.{name}.points")
    unchecked = sorted(set(settings.points) - questions)
    if unchecked:
        raise ConfigError(config_path, f"questions {unchecked} have points but no checks",
                          f"assignments.{name}.points")
    handouts = []
    for item in settings.handouts:
        path = config.assignments_dir / name / item
        if not path.exists():
            raise ConfigError(config_path, f"hand-out {item!r} not found at {path}", f"assignments.{name}.handouts")
        handouts.append(path)
    files = keras_files.resolve(config.data_dir)
    data_dir = str(config.data_dir.resolve()) if config.data_dir is not None and config.data_dir.is_dir() else None
    try:
        files.update(keras_files.resolve_weights(config.pretrained_weights, Path(config_path).resolve().parent))
    except ValueError as error:
        raise ConfigError(config_path, str(error), "pretrained_weights") from error
    metrics = {c.metric.name: c.metric for c in checks if c.metric is not None}
    thresholds = load_thresholds(solution_dir, metrics)
    return Assignment(name, solution_dir, tuple(checks), dict(settings.points), tuple(handouts),
                      config.limits_for(name), tuple(sorted((k, str(v)) for k, v in files.items())),
                      data_dir, tuple(sorted(thresholds.items())))


def secret_paths(config_dir: Path, solutions: Path, output: Path, inputs: Sequence[Path]) -> list[Path]:
    """Paths the sandbox must never see: checks and solutions, results, every submission input."""
    hidden = {solutions.resolve(), output.resolve()}
    for path in inputs:
        resolved = path.resolve()
        hidden.add(resolved if resolved.is_dir() else resolved.parent)
    hidden.add((config_dir / ".git").resolve())
    return sorted(hidden)
