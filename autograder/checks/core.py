"""Check definitions, check results, and running checks against a submission.

A check is a plain function decorated with :func:`check`; it receives a
:class:`Handle` on the student's notebook and raises
:class:`~autograder.errors.CheckFailed` (through the ``expect`` helpers) when
the answer is wrong. Definitions and results are immutable; the decorator only
tags the function, so loading the same checks twice gives the same checks.
"""

from __future__ import annotations

import importlib.util
import sys
import time
import traceback
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, TypeVar

from autograder.assignment_files import HIDDEN_CHECKS, PUBLIC_CHECKS
from autograder.checks.source import SourceInfo
from autograder.errors import CheckFailed, CheckSkipped, ConfigError
from autograder.i18n import LANGUAGES
from autograder.results import CheckResult, CheckStatus
from autograder.sandbox.session import Reply

_TAG = "__autograder_check__"
_TITLE = "__autograder_check_title__"
Title = tuple[tuple[str, str], ...]  # (language, title) for every language
T = TypeVar("T")


@dataclass(frozen=True)
class Metric:
    """A performance check's measure: its name, direction, and the margin below the reference it allows."""

    name: str
    goal: str  # "max" (accuracy) or "min" (MAE)
    margin: float

    def threshold(self, reference: float) -> float:
        """The pass mark derived from the reference solution's (worst calibrated) result."""
        return reference - self.margin if self.goal == "max" else reference + self.margin

    def meets(self, measured: float, threshold: float) -> bool:
        """Whether ``measured`` is at least as good as ``threshold``."""
        return measured >= threshold if self.goal == "max" else measured <= threshold


@dataclass(frozen=True)
class Threshold:
    """A calibrated pass mark (see :mod:`autograder.grade.calibrate`)."""

    metric: str
    reference: float
    threshold: float


@dataclass(frozen=True)
class CheckContext:
    """What the grader lends checks besides the notebook: language, data files, calibrated thresholds.

    ``calibrating`` is set while ``autograder calibrate`` runs the reference
    solution: performance checks then only measure.
    """

    lang: str = "en"
    data_files: Mapping[str, str] = field(default_factory=dict)
    data_dir: str | None = None
    thresholds: Mapping[str, Threshold] = field(default_factory=dict)
    calibrating: bool = False
    model_bytes: int = 256 * 2**20


class Handle(Protocol):
    """What a check may do with one submission: call its functions with inputs the check chooses, read its
    globals as data (a Keras model arrives as a file: load it with ``keras_expect.model``), read its source, know
    the grader's context, and keep what it computed for the other checks of the same submission (``memo``)."""

    source: SourceInfo
    context: CheckContext

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``'s value, computed once per submission under ``key`` and shared by its checks."""
        ...

    def call(self, name: str, *args: Any, **kwargs: Any) -> Reply:
        """Call the student's function ``name``; inputs and outputs cross as data."""
        ...

    def value(self, name: str) -> Reply:
        """Fetch the student's global ``name`` as data."""
        ...

    def info(self, name: str) -> Reply:
        """Type, shape, dtype and length of the student's global ``name``, without its data."""
        ...


class Memo:
    """The per-submission memo of a handle (a base class of every :class:`Handle`).

    Checks keep here what several of them need (a loaded model, a training run the grader set up), instead of
    in their module, which lives as long as the grader process and sees every submission it grades: the memo
    lives and dies with the handle, and the grader makes one handle per submission. A ``compute`` that raises
    stores nothing (the next check asks again).
    """

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``'s value, computed once per submission under ``key`` and shared by its checks."""
        store: dict[Hashable, Any] = self.__dict__.setdefault("_memo", {})
        if key not in store:
            store[key] = compute()
        value: T = store[key]
        return value


@dataclass(frozen=True)
class CheckSpec:
    """A check's definition: its question, weight within the question, and visibility."""

    question: str
    name: str
    weight: float
    hidden: bool
    function: Callable[[Handle], Any]
    metric: Metric | None = None
    title: Title = ()

    def title_in(self, lang: str) -> str | None:
        """The check's title as people read it in ``lang`` (``None`` when it has none: show its name)."""
        return dict(self.title).get(lang)


def _title(title: Mapping[str, str] | None) -> Title:
    """A check's title in every language (``{"ko": ..., "en": ...}``), or none."""
    if title is None:
        return ()
    missing = [lang for lang in LANGUAGES if not isinstance(title.get(lang), str) or not title[lang].strip()]
    if missing or set(title) - set(LANGUAGES):
        raise ValueError(f"a check's title is a mapping with one non-empty text per language {LANGUAGES}; "
                         f"got {sorted(title)}")
    return tuple((lang, " ".join(title[lang].split())) for lang in LANGUAGES)


def check(question: str, *, weight: float = 1.0, hidden: bool = False,
          title: Mapping[str, str] | None = None) -> Callable[[Callable[[Handle], None]], Callable[[Handle], None]]:
    """Mark a function as a check of ``question``.

    ``weight`` is the check's share of the question's points relative to its
    other checks; ``hidden`` checks run only in the grader, never on the
    student's machine, and their inputs are never shown. ``title`` is what
    students read instead of the function's name, in every language
    (``title={"ko": "책의 예제", "en": "the book's example"}``).
    """
    if weight <= 0:
        raise ValueError("a check's weight must be positive")
    titles = _title(title)

    def tag(function: Callable[[Handle], None]) -> Callable[[Handle], None]:
        setattr(function, _TAG, (question, weight, hidden))
        setattr(function, _TITLE, titles)
        return function

    return tag


def performance(question: str, *, metric: str, goal: str = "max", margin: float, weight: float = 1.0,
                hidden: bool = True, title: Mapping[str, str] | None = None) -> Callable[
                    [Callable[[Handle], float]], Callable[[Handle], float]]:
    """Mark a function that *measures* ``metric`` (accuracy, MAE...) on data the grader owns.

    The function returns the measured value; it passes when the value is at
    least as good as the threshold calibrated from the reference solution
    (``autograder calibrate``): the reference's worst result over the
    calibration seeds, minus ``margin`` for ``goal="max"`` (plus for "min").
    ``title`` as for :func:`check`.
    """
    if goal not in ("max", "min") or margin < 0:
        raise ValueError("goal is 'max' or 'min' and margin is not negative")
    if weight <= 0:
        raise ValueError("a check's weight must be positive")
    titles = _title(title)

    def tag(function: Callable[[Handle], float]) -> Callable[[Handle], float]:
        setattr(function, _TAG, (question, weight, hidden, Metric(metric, goal, float(margin))))
        setattr(function, _TITLE, titles)
        return function

    return tag


def _import_file(path: Path, name: str) -> ModuleType:
    """Import the Python file ``path`` as a module called ``name``; errors name the file."""
    if not path.is_file():
        raise ConfigError(str(path), "checks file not found")
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ConfigError(str(path), "cannot be imported as Python")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and typing look their module up while it executes
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        del sys.modules[spec.name]
        raise ConfigError(str(path), f"failed to import: {error!r}") from error
    return module


def load_checks(path: Path) -> list[CheckSpec]:
    """Import a checks file and return its checks in definition order."""
    module = _import_file(path, f"autograder_checks_{abs(hash(path))}")
    found = []
    for name, value in vars(module).items():
        tag = getattr(value, _TAG, None)
        if callable(value) and tag is not None and getattr(value, "__module__", None) == module.__name__:
            question, weight, hidden, *metric = tag
            found.append(CheckSpec(question, name, float(weight), bool(hidden), value,
                                   metric[0] if metric else None, tuple(getattr(value, _TITLE, ()))))
    return found


def check_titles(specs: Sequence[CheckSpec]) -> dict[str, dict[str, str]]:
    """Each titled check's title per language, by check name (what feedback pages show instead of names)."""
    return {spec.name: dict(spec.title) for spec in specs if spec.title}


def titles_in(folder: Path, files: Sequence[str] = (PUBLIC_CHECKS, HIDDEN_CHECKS)) -> dict[
        str, dict[str, str]]:
    """The check titles of an assignment's checks files in ``folder`` (``solutions/<id>/``); a file that is missing
    or fails to import gives none (reports are rebuilt all the same, with the checks' names)."""
    titles: dict[str, dict[str, str]] = {}
    for name in files:
        if (folder / name).is_file():
            try:
                titles.update(check_titles(load_checks(folder / name)))
            except ConfigError:
                continue
    return titles


def sibling(checks_file: str, file_name: str = PUBLIC_CHECKS) -> ModuleType:
    """The checks file ``file_name`` beside ``checks_file``, imported for its helpers.

    Hidden checks share the diagnosing code of the public ones this way
    (``public = sibling(__file__)``); the checks defined there are collected
    from their own file only, never a second time through this module.
    """
    path = Path(checks_file).with_name(file_name)
    return _import_file(path, f"autograder_helpers_{abs(hash(path))}")


def _param_text(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


def _number(value: float) -> str:
    return f"{value:.4g}"


def run_check(spec: CheckSpec, handle: Handle) -> CheckResult:
    """Run one check; a failure is a result, and so is a fault in the check itself."""
    start = time.perf_counter()
    metric = spec.metric

    def result(status: CheckStatus, key: str | None = None, params: tuple[tuple[str, str], ...] = (),
               measured: float | None = None) -> CheckResult:
        return CheckResult(spec.question, spec.name, spec.weight, spec.hidden, status, key, params,
                           time.perf_counter() - start, measured, metric.name if metric else None)

    try:
        value = spec.function(handle)
    except CheckFailed as failed:
        return result(CheckStatus.FAILED, failed.key,
                      tuple(sorted((k, _param_text(v)) for k, v in failed.params.items())))
    except CheckSkipped as skipped:
        return result(CheckStatus.SKIPPED, skipped.key,
                      tuple(sorted((k, _param_text(v)) for k, v in skipped.params.items())))
    except Exception as error:  # noqa: BLE001  (a bug in a check must not crash the run)
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()[:500]
        return result(CheckStatus.ERROR, "check.internal_error", (("check", spec.name), ("detail", detail)))
    if metric is None:
        return result(CheckStatus.PASSED)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return result(CheckStatus.ERROR, "check.internal_error",
                      (("check", spec.name), ("detail", f"a performance check returned {value!r}")))
    measured = float(value)
    if handle.context.calibrating:
        return result(CheckStatus.PASSED, measured=measured)
    threshold = handle.context.thresholds.get(metric.name)
    if threshold is None:
        return result(CheckStatus.ERROR, "check.not_calibrated", (("metric", metric.name),), measured)
    if metric.meets(measured, threshold.threshold):
        return result(CheckStatus.PASSED, measured=measured)
    key = "check.metric_too_low" if metric.goal == "max" else "check.metric_too_high"
    params = (("measured", _number(measured)), ("metric", metric.name), ("reference", _number(threshold.reference)),
              ("threshold", _number(threshold.threshold)))
    return result(CheckStatus.FAILED, key, params, measured)


def run_checks(specs: Sequence[CheckSpec], handle: Handle,
               questions: Sequence[str] | None = None) -> list[CheckResult]:
    """Run ``specs`` (only those of ``questions`` when given) in order."""
    wanted = set(questions) if questions is not None else None
    return [run_check(spec, handle) for spec in specs if wanted is None or spec.question in wanted]
