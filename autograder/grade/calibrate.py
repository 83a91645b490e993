"""The ``calibrate`` command: the reference solution, once per seed under the grading budget; thresholds stored.

Performance checks pass when a student's model is not worse than the
reference's by more than their margin; this measures the reference (in the
sandbox, under the assignment's limits, with the assignment's thread count)
and writes ``calibration.json`` beside the checks
(:mod:`autograder.grade.calibration` reads and writes that file).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from autograder.config import load_config
from autograder.data import provision
from autograder.errors import ConfigError
from autograder.grade import calibration
from autograder.grade.assignment import load_assignment, secret_paths
from autograder.grade.calibration import MetricCalibration
from autograder.grade.runner import grade_submission
from autograder.intake.submissions import Submission
from autograder.notebook import check_notebook
from autograder.results import SubmissionResult, SubmissionStatus
from autograder.sandbox import zygote
from autograder.sandbox.process import isolation_mode


@dataclass(frozen=True)
class CalibrationRun:
    """What ``autograder calibrate`` measured and wrote."""

    path: Path
    metrics: dict[str, MetricCalibration]
    results: tuple[SubmissionResult, ...]

    def failed_checks(self) -> list[str]:
        """Non-performance checks the reference solution failed (each is a bug in the checks or reference)."""
        return sorted({f"{c.question}/{c.name}" for r in self.results for q in r.questions for c in q.checks
                       if not c.passed and c.metric is None})


def calibrate(*, assignment: str, config_path: Path, seeds: Sequence[int],
              console: Console | None = None) -> CalibrationRun:
    """Run the reference solution once per seed under the grading budget; store the thresholds."""
    console = console or Console(stderr=True)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # checks here run in this process: no TensorFlow banners
    config = load_config(config_path)
    provision.require(config, assignment, config_path)  # missing data: refused before any sandbox starts
    task = load_assignment(config, assignment, str(config_path))
    reference = task.solution_dir / f"{assignment}.ipynb"
    if not reference.is_file():
        raise ConfigError(str(reference), "no reference notebook to calibrate from")
    notebook = check_notebook(reference.read_bytes(), str(reference), max_cells=config.max_cells)
    submission = Submission("reference", str(reference), notebook, None)
    hide = secret_paths(config_path.resolve().parent, task.solution_dir, config.results_dir.resolve(), [])
    isolation = config.isolation if config.isolation != "auto" else isolation_mode()
    os.environ[zygote.START_ENV] = config.sandbox_start  # read where sandboxes start, in grader processes too
    results = []
    for seed in seeds:
        console.print(f"calibrating {assignment}: reference solution, seed {seed}", highlight=False)
        result = grade_submission(submission, task, hide=hide, seed=seed, lang=config.language,
                                  isolation=isolation, calibrating=True, threads=task.limits.threads)
        if result.status != SubmissionStatus.GRADED:
            raise ConfigError(str(reference), f"the reference solution was {result.status} with seed {seed}: "
                              + "; ".join(r.render("en") for r in result.reasons))
        results.append(result)
    measured = [{c.metric: c.measured for q in r.questions for c in q.checks
                 if c.metric is not None and c.measured is not None} for r in results]
    metrics = {c.metric.name: c.metric for c in task.checks if c.metric is not None}
    combined = calibration.summarise(metrics, measured)
    path = task.solution_dir / calibration.CALIBRATION_FILE
    calibration.write(path, assignment, seeds, task.limits.model_dump(), combined, [r.seconds for r in results])
    return CalibrationRun(path, combined, tuple(results))
