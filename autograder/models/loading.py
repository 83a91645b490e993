"""Loading a student's ``.keras`` file in the grader, refusing anything that could run code.

The bytes come from the sandbox and are hostile until proven otherwise. Before
Keras sees them: the size is capped, the archive must hold only what Keras
writes (``config.json``, ``metadata.json``, the weights, ``assets/``) with a
bounded uncompressed size, and the configuration may name only Keras' own
classes: a ``Lambda`` layer (marshalled Python bytecode) or a custom class
(whose module Keras would import) is refused by name. Then Keras loads it with
``safe_mode=True``, which refuses code-carrying configs a second time.
"""

from __future__ import annotations

import io
import json
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from autograder.sandbox.protocol import KerasFile

_ALLOWED_MEMBERS = ("config.json", "metadata.json", "model.weights.h5", "model.weights.npz")
_MAX_EXPANSION = 4  # uncompressed bytes allowed per byte of the cap (weights compress poorly)
# Keras writes a configuration of a few hundred KB for the largest models of a course (VGG16: ~40 KB)
_MAX_CONFIG_BYTES = 8 * 2**20
_CODE_CLASSES = frozenset({"Lambda", "__lambda__", "function", "TFOpLambda", "SlicingOpLambda"})


class ModelRefused(Exception):
    """A model the grader will not load; ``key`` and ``params`` make the student's message."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _objects(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every serialised object (a dict with ``class_name``) in a Keras config, depth first."""
    if depth > 200:
        raise ModelRefused("model.config_unreadable", detail="nested too deeply")
    if isinstance(value, dict):
        if "class_name" in value:
            yield value
        for item in value.values():
            yield from _objects(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item, depth + 1)


def _is_keras_module(module: Any, class_name: str) -> bool:
    # Keras writes no module only for its own containers (``__keras_tensor__``, ``__tuple__``...); a class
    # defined in a notebook and never registered is saved without one too, and is refused.
    if module is None:
        return class_name.startswith("__") and class_name.endswith("__")
    return isinstance(module, str) and (module == "keras" or module.startswith("keras."))


def inspect_config(config: Any) -> None:
    """Refuse a model configuration that names code or a class from outside Keras."""
    for obj in _objects(config):
        name = str(obj.get("class_name"))
        if name in _CODE_CLASSES:
            raise ModelRefused("model.lambda_refused", layer=str(obj.get("config", {}).get("name", name))
                               if isinstance(obj.get("config"), dict) else name)
        registered = obj.get("registered_name")
        custom_registration = isinstance(registered, str) and ">" in registered
        if not _is_keras_module(obj.get("module"), name) or custom_registration:
            raise ModelRefused("model.custom_refused", name=name, module=str(obj.get("module")))


def check_archive(data: bytes, max_bytes: int) -> dict[str, Any]:
    """Validate the ``.keras`` archive; return its parsed ``config.json``."""
    if len(data) > max_bytes:
        raise ModelRefused("model.too_large", size_mb=f"{len(data) / 2**20:.1f}", limit_mb=f"{max_bytes / 2**20:.0f}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ModelRefused("model.not_keras_file", detail=str(error)) from error
    with archive:
        infos = archive.infolist()
        unpacked = sum(info.file_size for info in infos)
        if unpacked > max_bytes * _MAX_EXPANSION:
            raise ModelRefused("model.too_large", size_mb=f"{unpacked / 2**20:.1f}",
                               limit_mb=f"{max_bytes * _MAX_EXPANSION / 2**20:.0f}")
        for info in infos:
            name = info.filename
            if name not in _ALLOWED_MEMBERS and not (name.startswith("assets/") and ".." not in name):
                raise ModelRefused("model.not_keras_file", detail=f"unexpected member {name!r}")
        if "config.json" not in archive.namelist():
            raise ModelRefused("model.not_keras_file", detail="no config.json")
        size = archive.getinfo("config.json").file_size
        if size > _MAX_CONFIG_BYTES:
            raise ModelRefused("model.config_unreadable",
                               detail=f"config.json is {size / 2**20:.1f} MB; Keras writes a few hundred KB at most")
        try:
            config = json.loads(archive.read("config.json"))
        except ValueError as error:
            raise ModelRefused("model.config_unreadable", detail=str(error)[:200]) from error
    if not isinstance(config, dict):
        raise ModelRefused("model.config_unreadable", detail="config.json is not an object")
    inspect_config(config)
    return config


def load_model(file: KerasFile, *, max_bytes: int = 256 * 2**20, weights: bool = True) -> Any:
    """Load ``file`` as a Keras model in safe mode, or raise :class:`ModelRefused`.

    Keras writes a ``.keras`` file whose weights it cannot read back when the model was built by a ``fit``
    that then failed (one-hot labels with ``sparse_categorical_crossentropy``, say); its configuration is
    still what the student wrote. Such a file raises ``model.weights_unreadable``, or, with
    ``weights=False`` (checks of the architecture and compile settings only), comes back as the model
    rebuilt from its vetted configuration, untrained.
    """
    config = check_archive(file.data, max_bytes)
    import keras

    with tempfile.TemporaryDirectory(prefix="autograder-model-") as folder:
        path = Path(folder) / "model.keras"
        path.write_bytes(file.data)
        try:
            with warnings.catch_warnings():  # optimizer slots not restored: irrelevant to checks
                warnings.simplefilter("ignore", UserWarning)
                model = keras.saving.load_model(path, safe_mode=True, compile=True)
        except Exception as error:
            detail = f"{type(error).__name__}: {str(error)[:300]}"
            rebuilt = _from_config(config)
            if rebuilt is None:
                raise ModelRefused("model.load_failed", detail=detail) from error
            if weights:
                raise ModelRefused("model.weights_unreadable", detail=detail) from error
            model = rebuilt
    if not isinstance(model, keras.Model):
        raise ModelRefused("model.not_keras_file", detail=f"loaded a {type(model).__name__}, not a model")
    return model


def _from_config(config: dict[str, Any]) -> Any:
    """The model built from its (already vetted) configuration alone, or None when Keras cannot build it."""
    import keras

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return keras.saving.deserialize_keras_object(config, safe_mode=True)
    except Exception:  # noqa: BLE001  (Keras' own error: the load failure stands)
        return None
