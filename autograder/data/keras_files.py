"""Which file answers each ``keras.datasets`` download, on a machine that cannot download.

Student notebooks keep the book's idiom (``imdb.load_data(num_words=10000)``).
Keras' loaders fetch their file with ``get_file(fname, origin, file_hash)``;
here that call is answered from the course's data folder or the user's own
Keras cache, so the loaders run unchanged (their own code, their semantics)
on files that are already on disk:

- a genuine file in the user's Keras cache (its hash matches Keras') first;
- then the course data folder's Keras cache layout, ``<data_dir>/keras/datasets/``;
- then the rebuilt copies a course keeps beside it (``<data_dir>/data/imdb/imdb.npz``...),
  which have Keras' layout but not its bytes, so Keras' hash check would
  reject them and, offline, delete them.

Nothing is written to the data folder and nothing is downloaded. This module
is imported inside the sandbox too, so it must stay free of Keras imports.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

# Keras' own file hashes (keras/src/datasets/*.py), to tell genuine files apart.
KERAS_FILES: dict[str, str] = {
    "mnist.npz": "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    "boston_housing.npz": "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5",
    "imdb.npz": "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
    "imdb_word_index.json": "bfafd718b763782e994055a2d397834f",
    "reuters.npz": "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916",
    "reuters_word_index.json": "4d44cc38712099c9e383dc6e5f11a921",
}

# Pretrained weights keras.applications fetches into the cache's ``models/`` folder, with Keras' hashes.
# Only genuine files are ever used under these names: nothing may pretend to be pretrained.
WEIGHT_FILES: dict[str, str] = {
    "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5": "6d6bbae143d832006294945121d1f1fc",
    "vgg16_weights_tf_dim_ordering_tf_kernels.h5": "64373286793e3c8b2b4e3219cbf3544b",
}

# Rebuilt copies: same layout and semantics as Keras' files, different bytes.
REBUILT: dict[str, str] = {
    "imdb.npz": "data/imdb/imdb.npz",
    "reuters.npz": "data/reuters/reuters.npz",
    "reuters_word_index.json": "data/reuters/reuters_word_index.json",
}

ENV_FILES = "AUTOGRADER_KERAS_FILES"


@functools.cache
def _digest(path: Path, size: int, mtime: float, algorithm: str) -> str:
    hasher = hashlib.new(algorithm)
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def is_genuine(path: Path, name: str) -> bool:
    """Whether ``path`` holds the very bytes Keras would download for ``name``."""
    expected = KERAS_FILES.get(name) or WEIGHT_FILES.get(name)
    if expected is None or not path.is_file():
        return False
    info = path.stat()
    algorithm = "md5" if len(expected) == 32 else "sha256"
    return _digest(path.resolve(), info.st_size, info.st_mtime, algorithm) == expected


def user_keras_cache() -> Path:
    """The Keras cache folder of the user running the grader (``KERAS_HOME`` or ``~/.keras``)."""
    home = os.environ.get("KERAS_HOME")
    return Path(home) if home else Path.home() / ".keras"


def resolve(data_dir: Path | None, keras_cache: Path | None = None) -> dict[str, Path]:
    """Map each Keras dataset file name to the file on disk that answers it (real paths)."""
    cache = keras_cache if keras_cache is not None else user_keras_cache()
    found: dict[str, Path] = {}
    for name in KERAS_FILES:
        candidates = [cache / "datasets" / name]
        if data_dir is not None:
            candidates += [data_dir / "keras" / "datasets" / name]
            if name in REBUILT:
                candidates.append(data_dir / REBUILT[name])
        genuine = [c for c in candidates[:1] if is_genuine(c, name)]
        course = [c for c in candidates[1:] if c.is_file()]
        for candidate in genuine + course:
            found[name] = candidate.resolve()
            break
    return found


def resolve_weights(source: str, base: Path, keras_cache: Path | None = None) -> dict[str, Path]:
    """Pretrained weight files from ``source``: ``keras_cache``, ``none``, or a file or folder path.

    A file given by path must be Keras' own (hash-checked); anything else is a
    configuration error rather than weights that would pretend to be pretrained.
    """
    if source == "none":
        return {}
    if source == "keras_cache":
        folder = (keras_cache if keras_cache is not None else user_keras_cache()) / "models"
        return {name: (folder / name).resolve() for name in WEIGHT_FILES if is_genuine(folder / name, name)}
    path = Path(source) if Path(source).is_absolute() else base / source
    candidates = [path / name for name in WEIGHT_FILES] if path.is_dir() else [path]
    found = {}
    for candidate in candidates:
        if not candidate.exists():
            continue
        if candidate.name not in WEIGHT_FILES or not is_genuine(candidate, candidate.name):
            raise ValueError(f"{candidate} is not one of Keras' pretrained weight files "
                             f"({', '.join(WEIGHT_FILES)}) with Keras' hash")
        found[candidate.name] = candidate.resolve()
    if not found:
        raise ValueError(f"no pretrained weight files found at {path}")
    return found


def encode(files: Mapping[str, Path]) -> str:
    """The sandbox's view of ``files``, for its environment."""
    return json.dumps({name: str(path) for name, path in sorted(files.items())})


def decode(text: str) -> dict[str, str]:
    """Inverse of :func:`encode`; anything malformed means no files."""
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}


class MissingDataset(OSError):
    """A ``keras.datasets`` file that is neither on disk nor downloadable here."""


def offline_get_file(original: Callable[..., Any], files: Mapping[str, str],
                     missing: Callable[[str], str]) -> Callable[..., Any]:
    """Wrap Keras' ``get_file`` so that known dataset files come from ``files``.

    ``missing(name)`` builds the message for a Keras dataset file that is not
    available; any other file goes to the original ``get_file``.
    """

    @functools.wraps(original)
    def get_file(fname: str | None = None, origin: str | None = None, *args: Any, **kwargs: Any) -> Any:
        name = os.path.basename(fname or (origin or "").rstrip("/"))
        subdir = kwargs.get("cache_subdir", "datasets")
        known = (subdir == "datasets" and name in KERAS_FILES) or (subdir == "models" and name in WEIGHT_FILES)
        if known and name in files:
            return files[name]
        if known:
            raise MissingDataset(missing(name))
        return original(fname, origin, *args, **kwargs)

    get_file.__autograder_offline__ = True  # type: ignore[attr-defined]
    return get_file
