"""Practice without the clock: ``grader.check("category2")`` in a category's practice notebook.

``grader.check_all()`` there checks every category whose folder in the exam holds a saved model (each folder's
``mymodel.keras`` or ``.h5``, where that category's notebook saves it), one report each after a summary line.

The candidate's own machine, their own file: no sandbox and no model host (as ``grader.check`` for an assignment),
but the same checks an exam submission gets, with the same messages: the saved ``mymodel.keras`` (or ``.h5``) is
read under the exam's size cap, its archive vetted (no Lambda, no custom or disguised class) and loaded in safe
mode, its input shape and last layer compared with the category's, and it is scored with the category's rule on
the **public** validation data (what the starter validates on), never the hidden split the exam scores.

``linear``: other points of the same line (another seed); ``fashion_mnist``: the test file's images before the
hidden ones; ``imdb``: the first test reviews (the starter's validation reviews); ``image_folder``: the first
``skip`` images of each class (the starter's validation images); ``daily_sports``: the public subjects' windows
(the candidate trains on them: the exam's score on the hidden subjects is lower).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from html import escape
from pathlib import Path

import numpy as np

from autograder.exam.artifact import _shape, check_architecture, measure, read_file
from autograder.exam.catalogue import (
    EXAM_FILE,
    Category,
    DailySportsData,
    Exam,
    ExamConfigError,
    FashionMnistData,
    ImageFolderData,
    ImdbData,
    LinearData,
    load_exam,
)
from autograder.exam.hidden import Hidden, HiddenDataMissing, daily_sports, image_folder, imdb, linear
from autograder.exam.outcome import Outcome, refused
from autograder.i18n import message
from autograder.models.loading import ModelRefused

ASSIGNMENT = "exam"  # grader = Notebook("exam"); grader.check("category2")
EXAM_DIR_ENV = "AUTOGRADER_EXAM_DIR"
MODEL_FILES = ("mymodel.keras", "mymodel.h5")
SUBJECTS = tuple(range(1, 9))  # the UCI Daily and Sports Activities recordings: subjects p1 ... p8
_PUBLIC_FASHION = 10_000  # images in Fashion-MNIST's test file
_PUBLIC_IMDB = 5_000  # the starter validates on the first 5000 test reviews


def find_exam(start: Path, explicit: str | Path | None = None) -> Path | None:
    """The exam folder: ``explicit``, else ``AUTOGRADER_EXAM_DIR``, else the first of ``start`` and its parents
    (three levels) holding ``exam.yaml`` or an ``exam/exam.yaml``."""
    chosen = explicit if explicit is not None else os.environ.get(EXAM_DIR_ENV)
    if chosen:
        return Path(chosen)
    for folder in (start, *list(start.resolve().parents)[:3]):
        for candidate in (folder, folder / "exam"):
            if (candidate / EXAM_FILE).is_file():
                return candidate
    return None


def course_data(exam: Exam, explicit: str | Path | None) -> Path | None:
    """The course data folder: ``explicit``, else ``AUTOGRADER_DATA_DIR``, else the grading config beside the exam
    folder (``grading_config.yaml`` in its parent)."""
    from autograder.data import USER_DATA_ENV

    if explicit is not None:
        return Path(explicit)
    if os.environ.get(USER_DATA_ENV):
        return Path(os.environ[USER_DATA_ENV])
    config = exam.folder.resolve().parent / "grading_config.yaml"
    if config.is_file():
        from autograder.config import load_config
        from autograder.errors import ConfigError

        try:
            return load_config(config).data_dir
        except ConfigError:
            return None
    return None


def _fashion_public(data: FashionMnistData, data_dir: Path | None) -> Hidden:
    from autograder.exam.hidden import _idx, fashion_sources

    for folder in fashion_sources(data_dir):
        images_path, labels_path = folder / "t10k-images-idx3-ubyte.gz", folder / "t10k-labels-idx1-ubyte.gz"
        if images_path.is_file() and labels_path.is_file():
            kept = _PUBLIC_FASHION - data.count
            images = _idx(images_path, 3, _PUBLIC_FASHION * 28 * 28 + 16)[:kept]
            labels = _idx(labels_path, 1, _PUBLIC_FASHION + 8)[:kept]
            return Hidden((images / 255.0).astype(np.float32), labels.astype(np.int64))
    raise HiddenDataMissing("Fashion-MNIST's test files are in none of: "
                            + ", ".join(str(f) for f in fashion_sources(data_dir))
                            + "; run `autograder data fetch fashion_mnist`")


def public_validation(category: Category, data_dir: Path | None) -> Hidden:
    """The public validation data of ``category`` (see the module docstring); never the hidden split."""
    data = category.data
    if isinstance(data, LinearData):
        return linear(data.model_copy(update={"seed": data.seed + 1}))
    if isinstance(data, FashionMnistData):
        return _fashion_public(data, data_dir)
    if isinstance(data, ImdbData):
        whole = imdb(data.model_copy(update={"count": 25_000}), data_dir)  # the whole test split, in order
        public = min(_PUBLIC_IMDB, 25_000 - data.count)
        return Hidden(whole.x[:public], whole.y[:public])
    if isinstance(data, ImageFolderData):
        return image_folder(data, data_dir, public=True)
    if isinstance(data, DailySportsData):
        if data_dir is None:
            raise HiddenDataMissing("the course data folder is not set (data_dir= or AUTOGRADER_DATA_DIR); the "
                                    "time-series category reads data/daily_sports.zip")
        subjects = tuple(s for s in SUBJECTS if s not in data.hidden_subjects)
        return daily_sports(data.model_copy(update={"hidden_subjects": subjects}), data_dir)
    raise HiddenDataMissing(f"no public data for a category of kind {type(data).__name__}")


@dataclass(frozen=True)
class PracticeReport:
    """What ``grader.check("categoryN")`` shows: the file, the public checks and the public score, or why not."""

    lang: str
    lines_: tuple[str, ...]
    outcome: Outcome | None = None

    @property
    def score(self) -> int | None:
        return self.outcome.score if self.outcome is not None and self.outcome.status == "scored" else None

    def lines(self) -> list[str]:
        return list(self.lines_)

    def __repr__(self) -> str:
        return "\n".join(self.lines_)

    def _repr_html_(self) -> str:
        return "<pre>" + escape("\n".join(self.lines_)) + "</pre>"


def _model_file(folder: Path) -> Path | None:
    found = [folder / name for name in MODEL_FILES if (folder / name).is_file()]
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


def _checked(path: Path, category: Category, exam: Exam, data: Hidden) -> Outcome:
    """The exam's checks of the file at ``path``, in this process, scored on ``data``."""
    file = read_file(path, exam.max_bytes)
    if isinstance(file, Outcome):
        return file
    from autograder.models.describe import describe
    from autograder.models.loading import load_model
    from autograder.sandbox.protocol import KerasFile

    try:
        if path.suffix.lower() == ".h5":
            from autograder.exam.h5_worker import convert

            file = KerasFile(convert(file.data, exam.max_bytes))
        model = load_model(file, max_bytes=exam.max_bytes)
        wrong = check_architecture(describe(model), category)
        if wrong is not None:
            return wrong
        metric = measure(model, category, data)
    except ModelRefused as refusal:
        return refused(refusal.key, **{"what": "mymodel", **refusal.params})
    except Exception as error:  # noqa: BLE001  (Keras failing on the candidate's model: said, not raised)
        return refused("exam.predict_failed", detail=f"{type(error).__name__}: {str(error)[:200]}")
    if not math.isfinite(metric):
        return Outcome("scored", score=0, metric=metric)
    return Outcome("scored", score=category.rule.score(metric), metric=metric)


def check(name: str, *, lang: str, data_dir: str | Path | None = None, exam_dir: str | Path | None = None,
          folder: str | Path | None = None) -> PracticeReport:
    """The public part of category ``name`` for the model file saved in ``folder`` (default: the working
    directory, the notebook's)."""
    here = Path(folder) if folder is not None else Path.cwd()
    found = find_exam(here, exam_dir)
    if found is None:
        return PracticeReport(lang, (message("exam.practice_no_exam", lang, folder=str(here.resolve()),
                                             env=EXAM_DIR_ENV),))
    try:
        exam = load_exam(found)
    except ExamConfigError as error:
        return PracticeReport(lang, (message("exam.practice_bad_exam", lang, detail=str(error)[:400]),))
    try:
        category = exam.category(str(name))
    except ExamConfigError:
        return PracticeReport(lang, (message("exam.practice_unknown", lang, name=str(name)[:100],
                                             known=", ".join(exam.categories)),))
    title = message("exam.practice_header", lang, number=category.number, title=category.title[lang],
                    name=category.id)
    path = _model_file(here)
    if path is None:
        return PracticeReport(lang, (title, message("exam.practice_no_file", lang, folder=str(here.resolve()),
                                                    files=" / ".join(MODEL_FILES))))
    try:
        data = public_validation(category, course_data(exam, data_dir))
    except HiddenDataMissing as error:
        return PracticeReport(lang, (title, message("exam.practice_no_data", lang, detail=str(error)[:400])))
    outcome = _checked(path, category, exam, data)
    lines = [title, message("exam.practice_file", lang, file=path.name,
                            size_mb=f"{path.stat().st_size / 2**20:.2f}", cap_mb=f"{exam.config.max_model_mb:g}")]
    if outcome.status != "scored":
        said = message(outcome.key or "exam.grader_error", lang, **outcome.params)
        lines.append(message("exam.practice_refused", lang, reason=said))
        return PracticeReport(lang, tuple(lines), outcome)
    output = category.output
    lines.append(message("exam.practice_passed", lang, shape=_shape((None, *category.input_shape)),
                         layer=f"{output.layer}({output.units}, {output.activation})"))
    lines.append(message("exam.practice_score", lang, score=outcome.score, metric=category.metric,
                         value=f"{outcome.metric:.4f}", count=len(data.y),
                         data=message(f"exam.practice_data_{category.data.kind}", lang)))
    return PracticeReport(lang, tuple(lines), outcome)


@dataclass(frozen=True)
class PracticeAllReport:
    """What ``grader.check_all()`` shows in a practice notebook: a summary line, then each category's report."""

    lang: str
    summary: str
    reports: tuple[PracticeReport, ...] = ()

    def lines(self) -> list[str]:
        found = [self.summary]
        for report in self.reports:
            found += report.lines()
        return found

    def __repr__(self) -> str:
        return "\n".join(self.lines())

    def _repr_html_(self) -> str:
        return "<pre>" + escape("\n".join(self.lines())) + "</pre>"


def check_all(*, lang: str, data_dir: str | Path | None = None, exam_dir: str | Path | None = None,
              folder: str | Path | None = None) -> PracticeAllReport:
    """:func:`check` for every category whose folder in the exam (found from ``folder``, default the working
    directory) holds a saved model; a line saying what check_all checks when none does."""
    here = Path(folder) if folder is not None else Path.cwd()
    found = find_exam(here, exam_dir)
    if found is None:
        return PracticeAllReport(lang, message("exam.practice_no_exam", lang, folder=str(here.resolve()),
                                               env=EXAM_DIR_ENV))
    try:
        exam = load_exam(found)
    except ExamConfigError as error:
        return PracticeAllReport(lang, message("exam.practice_bad_exam", lang, detail=str(error)[:400]))
    saved = [name for name in exam.categories if _model_file(exam.folder / name) is not None]
    if not saved:
        return PracticeAllReport(lang, message("exam.practice_all_none", lang, files=" / ".join(MODEL_FILES),
                                               exam=str(exam.folder.resolve())))
    reports = tuple(check(name, lang=lang, data_dir=data_dir, exam_dir=exam.folder, folder=exam.folder / name)
                    for name in saved)
    score = sum(r.score or 0 for r in reports)
    summary = message("exam.practice_all_summary", lang, done=len(saved), total=len(exam.categories),
                      names=", ".join(saved), score=score, maximum=5 * len(saved))
    return PracticeAllReport(lang, summary, reports)
