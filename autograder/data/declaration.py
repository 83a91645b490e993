"""``solutions/<id>/data.yaml``: the datasets and weights one assignment needs, declared beside its checks.

::

    keras:                 # Keras' own files, as keras.datasets / keras.applications fetch them
      - name: mnist.npz
        origin: https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz
        hash: 731c5ac6...  # Keras' file_hash (sha256; md5 when 32 hex digits); omit where Keras has none
        cache_subdir: datasets          # default; `models` for keras.applications weights
        required: true                  # default; false: grading goes on without it (its checks skip)
    course:                # files or folders in the course data folder (`data_dir`)
      - path: data/daily_sports.zip
        sha256: aac4dfbf...             # optional, for a file
      - path: data/cats_and_dogs_filtered
        files: 3000                     # optional, for a folder: at least this many files in it

An assignment without ``data.yaml`` needs no data. A Keras file the
catalogue knows (:mod:`autograder.data.catalogue`) must be declared with
Keras' own origin, hash and cache folder.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from autograder.data.catalogue import KNOWN
from autograder.errors import ConfigError

DATA_FILE = "data.yaml"
_HEX = re.compile(r"^[0-9a-f]{32}$|^[0-9a-f]{64}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KerasNeed(_Strict):
    """A file Keras fetches with ``get_file`` into its cache (``KERAS_HOME`` or ``~/.keras``)."""

    name: str = Field(description="Keras' file name, e.g. mnist.npz.")
    origin: str = Field(description="Where Keras downloads it from.")
    hash: str | None = Field(None, description="Keras' file_hash: sha256 (64 hex digits) or md5 (32); none where "
                                               "Keras checks none.")
    cache_subdir: str = Field("datasets", description="Folder inside the Keras cache: datasets, models, "
                                                      "datasets/fashion-mnist...")
    required: bool = Field(True, description="false: grading goes on without it and the checks that need it skip.")

    @field_validator("name")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if not value or "/" in value or "\\" in value or value in (".", ".."):
            raise ValueError("a plain file name (Keras' fname), without folders")
        return value

    @field_validator("cache_subdir")
    @classmethod
    def _relative_subdir(cls, value: str) -> str:
        return _relative(value)

    @field_validator("hash")
    @classmethod
    def _hex_hash(cls, value: str | None) -> str | None:
        if value is not None and not _HEX.match(value):
            raise ValueError("32 (md5) or 64 (sha256) lowercase hex digits")
        return value

    @property
    def kind(self) -> str:
        """How people call it."""
        return "Keras weights" if self.cache_subdir == "models" else "Keras dataset"


class CourseNeed(_Strict):
    """A file or folder in the course data folder (``data_dir``), read with ``course_path``."""

    path: str = Field(description="Path inside the course data folder, e.g. data/daily_sports.zip.")
    sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$", description="The file's sha256.")
    files: int | None = Field(None, ge=1, description="A folder: at least this many files in it.")
    required: bool = Field(True, description="false: grading goes on without it.")

    @field_validator("path")
    @classmethod
    def _relative_path(cls, value: str) -> str:
        return _relative(value)


class _Declaration(_Strict):
    keras: list[KerasNeed] = Field(default_factory=list)
    course: list[CourseNeed] = Field(default_factory=list)


def _relative(value: str) -> str:
    parts = PurePosixPath(value).parts
    if not parts or value.startswith("/") or ".." in parts or "\\" in value:
        raise ValueError("a relative path without '..'")
    return str(PurePosixPath(*parts))


@dataclass(frozen=True)
class DataNeeds:
    """What one assignment needs; ``source`` is its data.yaml (None: it declares nothing)."""

    assignment: str
    source: Path | None
    keras: tuple[KerasNeed, ...] = ()
    course: tuple[CourseNeed, ...] = ()


def load_needs(solution_dir: Path, assignment: str) -> DataNeeds:
    """Read ``solution_dir/data.yaml``; every mistake is a ConfigError naming the file and the key."""
    path = solution_dir / DATA_FILE
    if not path.is_file():
        return DataNeeds(assignment, None)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ConfigError(str(path), f"not valid YAML: {error}") from None
    try:
        declared = _Declaration.model_validate(data if data is not None else {})
    except ValidationError as error:
        errors = error.errors()
        first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])  # a typo explains the rest
        key = ".".join(str(p) for p in first["loc"]) or None
        problem = first["msg"]
        if first["type"] == "extra_forbidden" and first["loc"]:
            names = list((KerasNeed if first["loc"][0] == "keras" else CourseNeed).model_fields)
            if len(first["loc"]) == 1:
                names = list(_Declaration.model_fields)
            close = difflib.get_close_matches(str(first["loc"][-1]), names, n=1)
            problem += f" (did you mean {close[0]!r}?)" if close else f" (valid keys: {', '.join(names)})"
        raise ConfigError(str(path), problem, key) from None
    for index, need in enumerate(declared.keras):
        known = KNOWN.get((need.cache_subdir, need.name))
        if known is None:
            continue
        for field, value, keras_value in (("origin", need.origin, known.origin), ("hash", need.hash, known.file_hash)):
            if value != keras_value:
                raise ConfigError(str(path), f"{need.name}: Keras fetches it with {field} {keras_value!r}, "
                                             f"not {value!r}", f"keras.{index}.{field}")
    return DataNeeds(assignment, path, tuple(declared.keras), tuple(declared.course))
