"""The data each category is scored on, built in the grader from files the candidate is not given.

``linear``: points generated from a seed in the exam folder; ``daily_sports``: the held-out subjects' windows of
one sensor channel of the course zip (found under ``data_dir`` as the course data rules say); ``fashion_mnist``:
the last images of Fashion-MNIST's test file (Debian's ``dataset-fashion-mnist``, else the Keras cache). None of
it is ever sent to a sandbox: only the model host sees the inputs, never the targets.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autograder.data.catalogue import FASHION_MNIST_SUBDIR, FASHION_MNIST_SYSTEM
from autograder.errors import AutograderError
from autograder.exam.catalogue import (
    Category,
    DailySportsData,
    FashionMnistData,
    ImageFolderData,
    ImdbData,
    LinearData,
)

_IMAGES = "t10k-images-idx3-ubyte.gz"
_LABELS = "t10k-labels-idx1-ubyte.gz"


class HiddenDataMissing(AutograderError):
    """A category's hidden data is not on this machine; the message names the file and how to get it."""


@dataclass(frozen=True)
class Hidden:
    """Model inputs ``x`` and targets ``y`` (regression values or integer labels)."""

    x: np.ndarray
    y: np.ndarray


def linear(data: LinearData) -> Hidden:
    rng = np.random.default_rng(data.seed)
    x = rng.uniform(data.low, data.high, size=(data.count, 1)).astype(np.float32)
    return Hidden(x, (data.slope * x[:, 0] + data.intercept).astype(np.float32))


def series(data: DailySportsData, data_dir: Path, subjects: tuple[int, ...]) -> list[np.ndarray]:
    """The scaled channel of each subject in ``subjects`` (one recording each, in time order)."""
    from autograder.data.daily_sports import load_unit

    path = data_dir / data.file
    if not path.is_file():
        raise HiddenDataMissing(f"{path}: not found; the time-series category reads the course's UCI Daily and "
                                "Sports zip there (data_dir in grading_config.yaml or AUTOGRADER_DATA_DIR)")
    table = load_unit(path, data.unit)
    picked = table.activity == data.activity
    values = (table.features[:, data.channel] - data.low) / (data.high - data.low)
    return [values[picked & (table.subject == s)].astype(np.float32) for s in subjects]


def windows(values: np.ndarray, window: int) -> Hidden:
    """Every window of ``window`` readings, shaped (n, window, 1), and the reading after it."""
    if len(values) <= window:
        return Hidden(np.zeros((0, window, 1), np.float32), np.zeros((0,), np.float32))
    x = np.lib.stride_tricks.sliding_window_view(values[:-1], window)[..., np.newaxis]
    return Hidden(np.ascontiguousarray(x, dtype=np.float32), values[window:].astype(np.float32))


def daily_sports(data: DailySportsData, data_dir: Path) -> Hidden:
    parts = [windows(v, data.window) for v in series(data, data_dir, data.hidden_subjects)]
    return Hidden(np.concatenate([p.x for p in parts]), np.concatenate([p.y for p in parts]))


def fashion_sources(data_dir: Path | None) -> list[Path]:
    """Where the test files may be, in order: Debian's package, the Keras cache, the course data folder."""
    keras_home = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")
    found = [FASHION_MNIST_SYSTEM, keras_home / FASHION_MNIST_SUBDIR]
    if data_dir is not None:
        found.append(data_dir / "keras" / FASHION_MNIST_SUBDIR)
    return found


def _idx(path: Path, dims: int, limit: int) -> np.ndarray:
    """An IDX file (gzip) of unsigned bytes with ``dims`` dimensions, at most ``limit`` bytes unpacked."""
    with gzip.open(path, "rb") as stream:
        raw = stream.read(limit + 1)
    if len(raw) > limit or len(raw) < 4 + 4 * dims or raw[:4] != bytes((0, 0, 8, dims)):
        raise HiddenDataMissing(f"{path}: not an IDX file of unsigned bytes with {dims} dimensions")
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims))
    body = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims)
    if body.size != int(np.prod(shape)):
        raise HiddenDataMissing(f"{path}: holds {body.size} bytes, its header says {shape}")
    return body.reshape(shape)


def fashion_mnist(data: FashionMnistData, data_dir: Path | None) -> Hidden:
    for folder in fashion_sources(data_dir):
        if (folder / _IMAGES).is_file() and (folder / _LABELS).is_file():
            images = _idx(folder / _IMAGES, 3, 10_000 * 28 * 28 + 16)
            labels = _idx(folder / _LABELS, 1, 10_000 + 8)
            return Hidden((images[-data.count:] / 255.0).astype(np.float32), labels[-data.count:].astype(np.int64))
    tried = ", ".join(str(f) for f in fashion_sources(data_dir))
    raise HiddenDataMissing(f"Fashion-MNIST's test files ({_IMAGES}, {_LABELS}) are in none of: {tried}; install "
                            "Debian's dataset-fashion-mnist (`make system-deps`) or run "
                            "`autograder data fetch fashion_mnist`")


def pad_post(sequences: Sequence[Sequence[int]], maxlen: int) -> np.ndarray:
    """Each sequence cut after ``maxlen`` indices or padded with 0 after its end (``padding="post"``,
    ``truncating="post"``), as int32 rows."""
    rows = np.zeros((len(sequences), maxlen), dtype=np.int32)
    for i, sequence in enumerate(sequences):
        kept = np.asarray(sequence[:maxlen], dtype=np.int32)
        rows[i, :len(kept)] = kept
    return rows


def imdb(data: ImdbData, data_dir: Path | None) -> Hidden:
    from autograder.data import datasets, keras_files

    files = {name: str(path) for name, path in keras_files.resolve(data_dir).items()}
    if "imdb.npz" not in files:
        raise HiddenDataMissing("imdb.npz is in neither the Keras cache nor the course data folder (data_dir in "
                                "grading_config.yaml: data/imdb/imdb.npz); run `autograder data fetch imdb`")
    _, (x_test, y_test) = datasets.load("imdb", files, num_words=data.num_words)
    return Hidden(pad_post(list(x_test[-data.count:]), data.maxlen), np.asarray(y_test[-data.count:], np.int64))


_MAX_IMAGES = 20_000


def image_folder(data: ImageFolderData, data_dir: Path | None, *, public: bool = False) -> Hidden:
    """The course images after the candidate's validation ones, as ``keras.utils.load_img`` resizes them
    (``public``: the candidate's validation ones, the first ``skip`` of each class, instead)."""
    folder = data_dir / data.folder if data_dir is not None else None
    if folder is None or not all((folder / name).is_dir() for name in data.classes):
        raise HiddenDataMissing(f"{folder}: not found with the folders {', '.join(data.classes)}; the category "
                                "reads the course's images there (data_dir in grading_config.yaml)")
    import keras

    start, stop = (0, data.skip) if public else (data.skip, data.skip + _MAX_IMAGES)
    images, labels = [], []
    for label, name in enumerate(data.classes):
        files = sorted(p for p in (folder / name).iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
        for path in files[start:stop]:
            image = keras.utils.load_img(path, target_size=(data.size, data.size), color_mode="rgb")
            images.append(np.asarray(keras.utils.img_to_array(image), dtype=np.float32) / 255.0)
            labels.append(label)
    if not images:
        raise HiddenDataMissing(f"{folder}: no images " + (f"in the first {data.skip}" if public else
                                                           f"after the first {data.skip}") + " of each class")
    return Hidden(np.stack(images), np.asarray(labels, dtype=np.int64))


def hidden_data(category: Category, data_dir: Path | None) -> Hidden:
    """The data ``category`` is scored on."""
    data = category.data
    if isinstance(data, LinearData):
        return linear(data)
    if isinstance(data, DailySportsData):
        if data_dir is None:
            raise HiddenDataMissing("the course data folder is not set (data_dir in grading_config.yaml or "
                                    "AUTOGRADER_DATA_DIR); the time-series category reads data/daily_sports.zip")
        return daily_sports(data, data_dir)
    if isinstance(data, ImdbData):
        return imdb(data, data_dir)
    if isinstance(data, ImageFolderData):
        return image_folder(data, data_dir)
    return fashion_mnist(data, data_dir)
