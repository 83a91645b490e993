"""What a starter script running in the sandbox may read of a category's data: only the public part.

The grader stages a copy without the hidden split under a folder of its own, shown read-only in the sandbox;
the course data folder itself is never shown and the machine's copies (Debian's Fashion-MNIST) are hidden.
``linear``: nothing (the candidate generates its points); ``fashion_mnist``: the training files and the test
file's first images (``KERAS_HOME`` points at the copy, so ``keras.datasets.fashion_mnist.load_data()`` works
unchanged: the copy is read-only there and Keras downloads into a writable home instead, so the grader's first
cell, :data:`autograder.exam.starter_run.PROLOGUE`, links it into one, named by :data:`KERAS_COPY_ENV`);
``daily_sports``: the zip without the hidden subjects of the category's activity
(``DAILY_SPORTS_ZIP``); ``imdb``: ``imdb.npz`` without its last test reviews; ``image_folder``: the folder's
sibling training images and the first ``skip`` images of each class (``CATS_AND_DOGS``).
"""

from __future__ import annotations

import gzip
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autograder.data.catalogue import FASHION_MNIST_SYSTEM
from autograder.exam.catalogue import Category, DailySportsData, FashionMnistData, ImageFolderData, ImdbData
from autograder.exam.hidden import HiddenDataMissing, fashion_sources

KERAS_COPY_ENV = "AUTOGRADER_EXAM_KERAS_COPY"  # the read-only Keras datasets copy the prologue links


@dataclass(frozen=True)
class PublicView:
    folder: Path | None = None
    env: tuple[tuple[str, str], ...] = ()
    data_files: tuple[tuple[str, str], ...] = ()


def machine_copies() -> tuple[Path, ...]:
    """Copies of the datasets outside the course folder a sandbox could otherwise read (system folders)."""
    return (FASHION_MNIST_SYSTEM,) if FASHION_MNIST_SYSTEM.exists() else ()


def _fashion(data: FashionMnistData, data_dir: Path | None, folder: Path) -> PublicView:
    target = folder / "keras" / "datasets" / "fashion-mnist"
    target.mkdir(parents=True)
    for source in fashion_sources(data_dir):
        if (source / "t10k-images-idx3-ubyte.gz").is_file():
            break
    else:
        raise HiddenDataMissing("Fashion-MNIST's files are not on this machine; run `autograder data fetch "
                                "fashion_mnist`")
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"):
        shutil.copyfile(source / name, target / name)
    for name, dims, item in (("t10k-images-idx3-ubyte.gz", 3, 28 * 28), ("t10k-labels-idx1-ubyte.gz", 1, 1)):
        with gzip.open(source / name, "rb") as stream:
            raw = stream.read(16 + 10_000 * item)
        header = 4 + 4 * dims
        total = int.from_bytes(raw[4:8], "big")
        kept = max(0, total - data.count)
        with gzip.open(target / name, "wb") as out:
            out.write(raw[:4] + kept.to_bytes(4, "big") + raw[8:header] + raw[header:header + kept * item])
    home = str(folder / "keras")
    return PublicView(folder, env=(("KERAS_HOME", home), (KERAS_COPY_ENV, home)))


def _daily_sports(data: DailySportsData, data_dir: Path, folder: Path) -> PublicView:
    hidden = re.compile(rf"(?:.*/)?a{data.activity:02d}/p({'|'.join(str(s) for s in data.hidden_subjects)})/")
    target = folder / "daily_sports.zip"
    with zipfile.ZipFile(data_dir / data.file) as source, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in source.infolist():
            if not hidden.match(info.filename):
                out.writestr(info.filename, source.read(info))
    return PublicView(folder, env=(("DAILY_SPORTS_ZIP", str(target)),))


def _imdb(data: ImdbData, data_dir: Path | None, folder: Path) -> PublicView:
    from autograder.data import keras_files

    found = keras_files.resolve(data_dir).get("imdb.npz")
    if found is None:
        raise HiddenDataMissing("imdb.npz is not on this machine; run `autograder data fetch imdb`")
    with np.load(found, allow_pickle=True) as archive:  # the grader's own data file
        parts = {k: archive[k] for k in archive.files}
    cut = len(parts["x_test"]) - data.count
    parts["x_test"], parts["y_test"] = parts["x_test"][:cut], parts["y_test"][:cut]
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(folder / "imdb.npz", **parts)
    return PublicView(folder, data_files=(("imdb.npz", str(folder / "imdb.npz")),))


def _image_folder(data: ImageFolderData, data_dir: Path | None, folder: Path) -> PublicView:
    if data_dir is None:
        raise HiddenDataMissing("the course data folder is not set (data_dir in grading_config.yaml)")
    shown = data_dir / data.folder
    root = shown.parent
    target = folder / root.name
    for child in sorted(root.iterdir()):
        if child.is_dir() and child != shown:
            shutil.copytree(child, target / child.name)
    for name in data.classes:
        (target / shown.name / name).mkdir(parents=True)
        files = sorted(p for p in (shown / name).iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
        for path in files[:data.skip]:
            shutil.copyfile(path, target / shown.name / name / path.name)
    return PublicView(folder, env=(("CATS_AND_DOGS", str(target)),))


def public_view(category: Category, data_dir: Path | None, folder: Path) -> PublicView:
    """Stage the public part of ``category``'s data under ``folder`` (new); what the sandbox is given."""
    folder.mkdir(parents=True)
    data = category.data
    if isinstance(data, FashionMnistData):
        return _fashion(data, data_dir, folder)
    if isinstance(data, DailySportsData):
        if data_dir is None:
            raise HiddenDataMissing("the course data folder is not set (data_dir in grading_config.yaml)")
        return _daily_sports(data, data_dir, folder)
    if isinstance(data, ImdbData):
        return _imdb(data, data_dir, folder)
    if isinstance(data, ImageFolderData):
        return _image_folder(data, data_dir, folder)
    return PublicView()
