"""An assignment as the grader sees it: its checks, points, hand-outs and limits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autograder.checks.core import CheckSpec, load_checks
from autograder.config import GradingConfig, LimitsConfig
from autograder.errors import ConfigError

PUBLIC_CHECKS = "public_checks.py"
HIDDEN_CHECKS = "hidden_checks.py"


@dataclass(frozen=True)
class Assignment:
    """What grading one assignment needs; loaded once per run."""

    name: str
    solution_dir: Path
    checks: tuple[CheckSpec, ...]
    points: dict[str, float]
    handouts: tuple[Path, ...]
    limits: LimitsConfig


def load_assignment(config: GradingConfig, name: str, config_path: str = "grading_config.yaml") -> Assignment:
    """Load assignment ``name``'s checks and settings; every mismatch is a ConfigError."""
    settings = config.assignment(name, config_path)
    solution_dir = config.solutions_dir / name
    if not solution_dir.is_dir():
        raise ConfigError(str(solution_dir), f"no solution folder for assignment {name!r}")
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
    return Assignment(name, solution_dir, tuple(checks), dict(settings.points), tuple(handouts),
                      config.limits_for(name))
