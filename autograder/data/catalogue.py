"""What Keras itself downloads: each file's name, cache folder, origin and hash, and local sources for some.

The names and hashes are Keras' own (``keras/src/datasets/*.py``,
``keras/src/applications/vgg16.py``); ``tests/data/test_data_provision.py`` checks
them against the installed Keras. An assignment's ``data.yaml`` that names one
of these files must say the same thing about it (a typo there would otherwise
send a download to the wrong place or accept the wrong bytes).

Keras checks no hash for Fashion-MNIST; Debian's ``dataset-fashion-mnist``
package installs the same four files under ``/usr/share/datasets/fashion-mnist/``
(decompressed content identical to Zalando's release), so they are a local
source for Keras' cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autograder.data.keras_files import KERAS_FILES, WEIGHT_FILES

DATASETS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
VGG16_ORIGIN = "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
FASHION_MNIST_SUBDIR = "datasets/fashion-mnist"
FASHION_MNIST_SYSTEM = Path("/usr/share/datasets/fashion-mnist")
FASHION_MNIST_PACKAGE = "dataset-fashion-mnist"


@dataclass(frozen=True)
class KnownFile:
    """One file as Keras fetches it: ``get_file(name, origin, file_hash=..., cache_subdir=...)``."""

    name: str
    cache_subdir: str
    origin: str
    file_hash: str | None


def _dataset(name: str) -> KnownFile:
    return KnownFile(name, "datasets", DATASETS_ORIGIN + name, KERAS_FILES[name])


def _weights(name: str) -> KnownFile:
    return KnownFile(name, "models", VGG16_ORIGIN + name, WEIGHT_FILES[name])


_FASHION = ("train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz")

# keras.datasets module (and keras.applications model) -> the files its loader fetches
DATASETS: dict[str, tuple[KnownFile, ...]] = {
    "mnist": (_dataset("mnist.npz"),),
    "boston_housing": (_dataset("boston_housing.npz"),),
    "imdb": (_dataset("imdb.npz"), _dataset("imdb_word_index.json")),
    "reuters": (_dataset("reuters.npz"), _dataset("reuters_word_index.json")),
    "fashion_mnist": tuple(KnownFile(name, FASHION_MNIST_SUBDIR, DATASETS_ORIGIN + name, None) for name in _FASHION),
    "vgg16": tuple(_weights(name) for name in WEIGHT_FILES),
}

KNOWN: dict[tuple[str, str], KnownFile] = {(f.cache_subdir, f.name): f for files in DATASETS.values() for f in files}

# Files a system package installs, by (cache_subdir, name): a source for the Keras cache without a download.
SYSTEM_SOURCES: dict[tuple[str, str], tuple[Path, str]] = {
    (FASHION_MNIST_SUBDIR, name): (FASHION_MNIST_SYSTEM / name, FASHION_MNIST_PACKAGE) for name in _FASHION
}


def hash_algorithm(file_hash: str) -> str:
    """The algorithm Keras' ``validate_file`` uses for ``file_hash``: sha256 for 64 hex digits, else md5."""
    return "sha256" if len(file_hash) == 64 else "md5"
