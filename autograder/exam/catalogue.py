"""The exam folder: ``exam.yaml`` (window, what counts, pass line, caps, category weights) and one folder per
category (``category.yaml``: fixed input shape and output layer, the hidden data, the metric and its rule; the
task statement ``task.ko.md`` / ``task.en.md``; ``starter.py`` and ``starter.ipynb``; ``reference.py``).

Everything is validated when read; a mistake names the file and the key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from autograder.errors import AutograderError
from autograder.exam.scoring import Rule

CATEGORY_FILE = "category.yaml"
EXAM_FILE = "exam.yaml"
FILES = ("task.ko.md", "task.en.md", "starter.py", "starter.ipynb", "reference.py")


T = TypeVar("T", bound=BaseModel)


class ExamConfigError(AutograderError):
    """The exam folder is not usable; the message names the file and what to fix."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Output(_Strict):
    """The fixed last layer: its Keras class, units and activation."""

    layer: str = "Dense"
    units: int = Field(gt=0)
    activation: str


class LinearData(_Strict):
    """Generated points of ``y = slope * x + intercept`` for x uniform in [low, high]."""

    kind: Literal["linear"]
    slope: float
    intercept: float
    low: float
    high: float
    count: int = Field(gt=0, le=100_000)
    seed: int


class DailySportsData(_Strict):
    """One sensor channel of the course's UCI Daily and Sports zip, scaled to [0, 1] with fixed constants,
    cut into windows of ``window`` readings; the target is the next reading. Hidden: ``hidden_subjects``."""

    kind: Literal["daily_sports"]
    file: str = "data/daily_sports.zip"
    unit: str
    channel: int = Field(ge=0, lt=9)
    activity: int = Field(ge=1, le=19)
    hidden_subjects: tuple[int, ...]
    window: int = Field(gt=0, le=1000)
    low: float
    high: float


class FashionMnistData(_Strict):
    """The last ``count`` images of Fashion-MNIST's test file, pixels divided by 255."""

    kind: Literal["fashion_mnist"]
    count: int = Field(gt=0, le=10_000)


class ImdbData(_Strict):
    """The last ``count`` reviews of IMDB's test split as ``keras.datasets.imdb.load_data(num_words=...)`` gives
    them (the course data rules find the file), cut or padded at the end to ``maxlen`` word indices."""

    kind: Literal["imdb"]
    num_words: int = Field(gt=0, le=100_000)
    maxlen: int = Field(gt=0, le=10_000)
    count: int = Field(gt=0, le=25_000)


class ImageFolderData(_Strict):
    """Images of the course's folder (``folder/<class>/*.jpg``, classes in order = labels 0, 1, ...), each after
    the first ``skip`` of its class (those are the candidate's validation images), loaded with
    ``keras.utils.load_img(path, target_size=(size, size))``, RGB, pixels divided by 255."""

    kind: Literal["image_folder"]
    folder: str
    classes: tuple[str, ...]
    skip: int = Field(ge=0)
    size: int = Field(gt=0, le=512)


HiddenData = Annotated[LinearData | DailySportsData | FashionMnistData | ImdbData | ImageFolderData,
                       Field(discriminator="kind")]


class Budget(_Strict):
    """What a starter script submitted instead of a model file may use in the sandbox (stated in the task)."""

    cpu_s: int = Field(900, gt=0)
    wall_s: float = Field(900.0, gt=0)
    memory_mb: int = Field(2048, ge=256)


class Category(_Strict):
    """One category as ``category.yaml`` declares it (``id`` and ``folder`` are filled in from the folder)."""

    id: str = ""
    folder: Path = Path()
    number: int = Field(ge=1, le=5)
    title: dict[str, str]
    input_shape: tuple[int, ...]
    output: Output
    metric: Literal["mae", "accuracy"]
    rule: Rule
    data: HiddenData
    budget: Budget = Budget()

    @model_validator(mode="after")
    def _both_languages(self) -> Category:
        if set(self.title) != {"ko", "en"}:
            raise ValueError("title needs exactly `ko` and `en`")
        return self


class CategoryWeight(_Strict):
    weight: float = Field(1.0, gt=0)


class HostSettings(_Strict):
    """The model host's limits for one submission."""

    memory_mb: int = Field(2048, gt=0)
    request_s: float = Field(60.0, gt=0)
    total_s: float = Field(300.0, gt=0)


class ExamConfig(_Strict):
    """``exam.yaml``."""

    name: str
    window_hours: float = Field(5.0, gt=0)
    counts: Literal["best", "last"] = "best"
    pass_percent: float = Field(80.0, ge=0, le=100)
    max_model_mb: float = Field(32.0, gt=0)
    host: HostSettings = HostSettings()
    categories: dict[str, CategoryWeight]


class Exam:
    """An exam folder, read and validated."""

    def __init__(self, folder: Path, config: ExamConfig, categories: dict[str, Category]) -> None:
        self.folder = folder
        self.config = config
        self.categories = categories

    @property
    def max_bytes(self) -> int:
        return int(self.config.max_model_mb * 2**20)

    def category(self, name: str) -> Category:
        """The category called ``name`` (``category2``, or its number ``2``)."""
        if name in self.categories:
            return self.categories[name]
        for category in self.categories.values():
            if name == str(category.number):
                return category
        raise ExamConfigError(f"no category {name!r} in {self.folder / EXAM_FILE}; choose one of "
                              f"{', '.join(self.categories)} (or its number)")

    def weight(self, name: str) -> float:
        return self.config.categories[name].weight


def _read_yaml(path: Path) -> object:
    if not path.is_file():
        raise ExamConfigError(f"{path}: file not found; an exam folder holds {EXAM_FILE} and one folder per category")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ExamConfigError(f"{path}: not valid YAML: {error}") from None


def _validated(kind: type[T], data: object, path: Path) -> T:
    try:
        return kind.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        raise ExamConfigError(f"{path}: {key}: {first['msg']}") from None


def load_exam(folder: Path) -> Exam:
    """Read ``folder/exam.yaml`` and each category it lists; raise :class:`ExamConfigError` naming the file."""
    config = _validated(ExamConfig, _read_yaml(folder / EXAM_FILE), folder / EXAM_FILE)
    categories: dict[str, Category] = {}
    for name in config.categories:
        path = folder / name / CATEGORY_FILE
        category = _validated(Category, _read_yaml(path), path)
        missing = [f for f in FILES if not (folder / name / f).is_file()]
        if missing:
            raise ExamConfigError(f"{folder / name}: missing {', '.join(missing)} (each category folder holds "
                                  f"{CATEGORY_FILE}, {', '.join(FILES)})")
        categories[name] = category.model_copy(update={"id": name, "folder": folder / name})
    return Exam(folder, config, categories)
