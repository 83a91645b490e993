"""One submitted model file, checked and scored: only its size and name are looked at in the grader.

The bytes go to a bounded model host (:class:`~autograder.models.host.ModelHost`: its own namespaces, memory
and CPU limits, a deadline per request); there the archive is vetted (no Lambda, no custom or disguised class,
bounded sizes) and Keras loads it in safe mode. The grader reads back the model's description, checks the fixed
input shape and last layer, sends the hidden inputs and computes the metric from the predictions it gets back.
Every way a file can fail is an :class:`Outcome` with a catalogue key, never an exception out of here, except
the instructor's own problems (hidden data missing).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from autograder.errors import CheckFailed, ProtocolError, SandboxError
from autograder.exam.catalogue import Category, Exam
from autograder.exam.h5_convert import to_keras
from autograder.exam.hidden import Hidden, hidden_data
from autograder.exam.outcome import Outcome, refused
from autograder.models import evaluate
from autograder.models.describe import ModelInfo, canonical, describe
from autograder.models.host import HostLimits, ModelHost
from autograder.models.hosted import ModelError
from autograder.models.loading import ModelRefused, too_large
from autograder.sandbox.protocol import KerasFile

WHAT = "mymodel"
STARTER_SUFFIXES = (".py", ".ipynb")


def _shape(shape: tuple[int | None, ...] | None) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")" \
        if shape is not None else "?"


def _layer(kind: str, units: int | None, activation: str | None) -> str:
    return f"{kind}({units}, activation=\"{activation or 'linear'}\")" if units is not None else kind


def check_architecture(info: ModelInfo, category: Category) -> Outcome | None:
    """The refusal for a model whose input shape or last layer is not the category's, else None."""
    expected = (None, *category.input_shape)
    if info.input_shape != expected:
        return refused("exam.input_shape", found=_shape(info.input_shape), expected=_shape(expected),
                       shape=_shape(tuple(category.input_shape)))
    want = category.output
    last = info.layers[-1] if info.layers else None
    found_activation = canonical(last.activation) if last is not None and last.activation else "linear"
    if (last is None or last.kind != want.layer or last.units != want.units
            or found_activation != canonical(want.activation)):
        found = _layer(last.kind, last.units, found_activation) if last is not None else "none"
        return refused("exam.output_layer", found=found, expected=_layer(want.layer, want.units, want.activation))
    return None


def measure(model: Any, category: Category, hidden: Hidden) -> float:
    """The category's metric of ``model`` (a hosted proxy) on the hidden data."""
    if category.metric == "mae":
        return evaluate.mean_absolute_error(model, hidden.x, hidden.y)
    return evaluate.accuracy(model, hidden.x, hidden.y)


def read_file(path: Path, max_bytes: int) -> KerasFile | Outcome:
    """The file's bytes (at most ``max_bytes``, never parsed here), or why it is refused."""
    name = path.name[:200]
    suffix = path.suffix.lower()
    if suffix not in (".keras", ".h5"):
        return refused("exam.file_kind", name=name)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            refusal = too_large(size, max_bytes)
            return refused(refusal.key, what=WHAT, **refusal.params)
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    except OSError as error:
        return refused("exam.file_unreadable", name=name, detail=type(error).__name__)
    if len(data) > max_bytes:  # grew while being read
        refusal = too_large(len(data), max_bytes)
        return refused(refusal.key, what=WHAT, **refusal.params)
    return KerasFile(data)


def score_file(path: Path, category: Category, hidden: Hidden, *, max_bytes: int, limits: HostLimits,
               hide: tuple[Path, ...] = ()) -> Outcome:
    """Check and score the model file at ``path`` for ``category`` (an ``.h5`` file is first made ``.keras`` in a
    sandboxed converter); ``hide`` are paths neither child may see (the exam folder)."""
    file = read_file(path, max_bytes)
    if isinstance(file, Outcome):
        return file
    try:
        if path.suffix.lower() == ".h5":
            file = to_keras(file.data, max_bytes, limits, hide)
        with ModelHost(limits, hide=hide) as host:
            model = host.load(file, what=WHAT, max_bytes=max_bytes)
            wrong = check_architecture(describe(model), category)
            if wrong is not None:
                return wrong
            metric = measure(model, category, hidden)
    except ModelRefused as refusal:
        return refused(refusal.key, **{"what": WHAT, **refusal.params})
    except CheckFailed as failure:  # the host ran out of time or memory, or died
        return refused(failure.key, **{"what": WHAT, **failure.params})
    except ModelError as error:
        return refused("exam.predict_failed", detail=f"{type(error).__name__}: {str(error)[:200]}")
    except (SandboxError, ProtocolError) as error:
        return Outcome("error", key="exam.grader_error", params={"detail": str(error)[:300]})
    if not math.isfinite(metric):
        return Outcome("scored", score=0, metric=metric)
    return Outcome("scored", score=category.rule.score(metric), metric=metric)


def host_limits(exam: Exam) -> HostLimits:
    """The model host's limits for one submission, from ``exam.yaml``'s ``host``."""
    settings = exam.config.host
    return HostLimits(memory_bytes=settings.memory_mb * 2**20, request_s=settings.request_s,
                      total_s=settings.total_s, tmp_bytes=max(512 * 2**20, 6 * exam.max_bytes))


def scorer(exam: Exam, data_dir: Path | None) -> Callable[[Path, Category], Outcome]:
    """Score a file for a category of ``exam`` (its hidden data built once per category)."""
    built: dict[str, Hidden] = {}

    def score(path: Path, category: Category) -> Outcome:
        if category.id not in built:
            built[category.id] = hidden_data(category, data_dir)
        if path.suffix.lower() in STARTER_SUFFIXES:  # the starter script: run in the sandbox, its file scored
            import tempfile

            from autograder.exam.starter_run import run_starter

            with tempfile.TemporaryDirectory(prefix="autograder-exam-run-") as staging:
                made = run_starter(path, category, exam, data_dir, Path(staging))
                if isinstance(made, Outcome):
                    return made
                return score_file(made, category, built[category.id], max_bytes=exam.max_bytes,
                                  limits=host_limits(exam), hide=(exam.folder.resolve(),))
        return score_file(path, category, built[category.id], max_bytes=exam.max_bytes, limits=host_limits(exam),
                          hide=(exam.folder.resolve(),))

    return score
