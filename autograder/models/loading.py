"""Loading a student's ``.keras`` file in the grader, refusing anything that could run code.

The bytes come from the sandbox and are hostile until proven otherwise. Before
Keras sees them: the size is capped, the archive must hold only what Keras
writes (``config.json``, ``metadata.json``, the weights, ``assets/``) with a
bounded uncompressed size, and every serialised object of the configuration
must be exactly what Keras itself writes for one of its own classes: a
``Lambda`` layer (marshalled Python bytecode) is refused by name, and any other
object is refused unless its ``module``, ``class_name`` and ``registered_name``
are what Keras' serialiser writes for the class they name (see
:func:`keras_writes`). A notebook subclass of ``Dense`` whose ``__module__``
says ``keras...`` is saved as ``Dense`` with ``registered_name`` ``"Dense"``
(or under a module Keras never writes), which a real ``Dense`` never is; it
is refused, instead of being rebuilt as a real ``Dense`` and graded as another
model than the notebook ran. Then Keras loads it with ``safe_mode=True``,
which refuses code-carrying configs a second time.
"""

from __future__ import annotations

import io
import json
import re
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from autograder.sandbox.protocol import KerasFile, Unsupported

_ALLOWED_MEMBERS = ("config.json", "metadata.json", "model.weights.h5", "model.weights.npz")
_MAX_EXPANSION = 4  # uncompressed bytes allowed per byte of the cap (weights compress poorly)
# Keras writes a configuration of a few hundred KB for the largest models of a course (VGG16: ~40 KB)
_MAX_CONFIG_BYTES = 8 * 2**20
_CODE_CLASSES = frozenset({"Lambda", "__lambda__", "function", "TFOpLambda", "SlicingOpLambda"})
# the values Keras' serialiser writes as a tagged dict with no module (``serialize_keras_object``, special cases);
# ``__lambda__`` (code) and ``__typespec__`` (a TensorFlow module) are not among them
_CONTAINERS = frozenset({"__keras_tensor__", "__tensor__", "__numpy__", "__bytes__", "__slice__", "__ellipsis__"})
# what the sandbox sends for a model whose .keras file is over the cap (see autograder.sandbox.keras_values)
_OVERSIZED = re.compile(r" saved as (\d{1,7}(?:\.\d)?) MB, over the (\d{1,7}) MB limit for a model$")
_BYTES_PER_PARAMETER = 4  # float32 weights


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


def too_large(size_bytes: float, limit_bytes: float) -> ModelRefused:
    """``model.too_large`` for a file of ``size_bytes`` over ``limit_bytes``, with the parameter budget."""
    return ModelRefused("model.too_large", size_mb=f"{size_bytes / 2**20:.1f}", limit_mb=f"{limit_bytes / 2**20:.0f}",
                        budget=f"{int(limit_bytes) // _BYTES_PER_PARAMETER:,}")


def oversized(value: Any) -> ModelRefused | None:
    """The size refusal for the sandbox's marker of a model saved over the cap, else None."""
    if not isinstance(value, Unsupported):
        return None
    found = _OVERSIZED.search(value.type_name)
    if found is None:
        return None
    refused = too_large(0, float(found.group(2)) * 2**20)
    refused.params["size_mb"] = found.group(1)
    return refused


def keras_writes(module: Any, class_name: Any) -> tuple[str, str, str | None] | None:
    """What Keras' serialiser writes (``module``, ``class_name``, ``registered_name``) for the Keras class a
    configuration names with ``module`` and ``class_name``; None when they name no class of Keras.

    The class is looked up as Keras' deserialiser would, in Keras' own registry only: the public export
    (``keras.layers.Dense``), else a Keras module already imported (``keras.src.models.functional``; nothing
    is imported for the config). Then Keras' own serialisation of that class gives what a real instance
    writes: its public name with no ``registered_name`` for an exported class, its module and its class name
    for one Keras does not export (``Functional``).
    """
    if not isinstance(module, str) or not isinstance(class_name, str) or len(module) + len(class_name) > 300:
        return None
    if not (module == "keras" or module.startswith("keras.")) or not class_name.isidentifier():
        return None
    from keras.src import api_export
    from keras.src.saving import object_registration, serialization_lib
    from keras.src.saving.keras_saveable import KerasSaveable

    found = api_export.get_symbol_from_name(f"{module}.{class_name}")
    if found is None:  # as Keras: a class found in its module must be saveable (exported ones need not be)
        loaded = sys.modules.get(module)
        found = vars(loaded).get(class_name) if loaded is not None else None
        if not isinstance(found, type) or not issubclass(found, KerasSaveable):
            return None
    if not isinstance(found, type):
        return None
    if not (found.__module__ == "keras" or found.__module__.startswith("keras.")):
        return None  # a class registered into Keras' export from elsewhere
    public = serialization_lib.serialize_with_public_class(found)
    if public is not None:
        return str(public["module"]), str(public["class_name"]), public["registered_name"]
    return found.__module__, found.__name__, object_registration.get_registered_name(found)


def inspect_config(config: Any) -> None:
    """Refuse a model configuration that names code, or any object other than what Keras writes for its own."""
    for obj in _objects(config):
        name = obj.get("class_name")
        text = str(name)[:100]
        if isinstance(name, str) and name in _CODE_CLASSES:
            raise ModelRefused("model.lambda_refused", layer=str(obj.get("config", {}).get("name", text))[:100]
                               if isinstance(obj.get("config"), dict) else text)
        module, registered = obj.get("module"), obj.get("registered_name")
        if "module" not in obj and "registered_name" not in obj and isinstance(name, str) and name in _CONTAINERS:
            continue
        if keras_writes(module, name) != (module, name, registered):
            raise ModelRefused("model.custom_refused", name=text, module="" if module is None else str(module)[:200],
                               origin="@model.no_module" if module is None else f"`{str(module)[:200]}`")


def check_archive(data: bytes, max_bytes: int) -> dict[str, Any]:
    """Validate the ``.keras`` archive; return its parsed ``config.json``."""
    if len(data) > max_bytes:
        raise too_large(len(data), max_bytes)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ModelRefused("model.not_keras_file", detail=str(error)) from error
    with archive:
        infos = archive.infolist()
        unpacked = sum(info.file_size for info in infos)
        if unpacked > max_bytes * _MAX_EXPANSION:
            raise too_large(unpacked, max_bytes * _MAX_EXPANSION)
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
