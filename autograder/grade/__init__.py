"""The grade stage: every submission of an assignment, one row each, results on disk."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from autograder.config import load_config
from autograder.errors import ConfigError
from autograder.grade import calibration
from autograder.grade.assignment import load_assignment
from autograder.grade.calibration import MetricCalibration
from autograder.grade.output import print_summary, write_grades_csv, write_result
from autograder.grade.results import SubmissionResult
from autograder.grade.runner import grade_submission
from autograder.grade.submissions import Submission, collect
from autograder.notebook import load_notebook
from autograder.sandbox.process import isolation_mode


@dataclass(frozen=True)
class RunSummary:
    """What a grading run produced."""

    results: tuple[SubmissionResult, ...]
    output_dir: Path
    isolation: str


def secret_paths(config_dir: Path, solutions: Path, output: Path, inputs: Sequence[Path]) -> list[Path]:
    """Paths the sandbox must never see: checks and solutions, results, every submission input."""
    hidden = {solutions.resolve(), output.resolve()}
    for path in inputs:
        resolved = path.resolve()
        hidden.add(resolved if resolved.is_dir() else resolved.parent)
    hidden.add((config_dir / ".git").resolve())
    return sorted(hidden)


def main(*, assignment: str, inputs: Sequence[Path], config_path: Path, output: Path | None = None,
         lang: str | None = None, console: Console | None = None) -> RunSummary:
    """Grade every submission in ``inputs``; write results; print progress and a summary."""
    console = console or Console(stderr=True)
    config = load_config(config_path)
    lang = lang or config.language
    task = load_assignment(config, assignment, str(config_path))
    output_dir = (output or config.results_dir / assignment).resolve()
    submissions = collect(list(inputs), max_cells=config.max_cells)
    hide = secret_paths(config_path.resolve().parent, task.solution_dir, output_dir, inputs)
    isolation = config.isolation if config.isolation != "auto" else isolation_mode()
    if isolation == "none":
        console.print("[yellow]warning: no namespaces on this machine; the sandbox has resource limits only "
                      "(see README: what is defended)[/]")
    results = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        bar = progress.add_task(f"grading {assignment}", total=len(submissions))
        for submission in submissions:
            progress.update(bar, description=f"grading {submission.student}")
            result = grade_submission(submission, task, hide=hide, seed=config.seed, lang=lang,
                                      isolation=isolation)
            write_result(result, output_dir, lang)
            results.append(result)
            progress.advance(bar)
    write_grades_csv(results, output_dir / "grades.csv", lang)
    print_summary(results, lang, console)
    console.print(f"results: {output_dir}", highlight=False)
    return RunSummary(tuple(results), output_dir, isolation)


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
    config = load_config(config_path)
    task = load_assignment(config, assignment, str(config_path))
    reference = task.solution_dir / f"{assignment}.ipynb"
    if not reference.is_file():
        raise ConfigError(str(reference), "no reference notebook to calibrate from")
    notebook = load_notebook(reference.read_bytes(), str(reference), max_cells=config.max_cells)
    submission = Submission("reference", str(reference), notebook, None)
    hide = secret_paths(config_path.resolve().parent, task.solution_dir, config.results_dir.resolve(), [])
    isolation = config.isolation if config.isolation != "auto" else isolation_mode()
    results = []
    for seed in seeds:
        console.print(f"calibrating {assignment}: reference solution, seed {seed}", highlight=False)
        result = grade_submission(submission, task, hide=hide, seed=seed, lang=config.language,
                                  isolation=isolation, calibrating=True)
        if result.status != "graded":
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
