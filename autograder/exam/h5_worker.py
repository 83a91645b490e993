"""The legacy-HDF5 converter's child: turns a candidate's ``.h5`` model into ``.keras`` bytes, in a sandbox.

Started like the model host (:mod:`autograder.exam.h5_convert`: its own namespaces, an unprivileged uid, memory
and CPU limits, dies with the grader). The ``.h5`` bytes are the candidate's: before Keras reads them, every
dataset's declared size is summed (a file can declare gigabytes and store nothing), ``model_config`` is
capped and parsed, and every object in it must be a Keras class: ``Lambda`` (code) is refused by name, an
object naming a module must be exactly what Keras writes for one of its own classes
(:func:`autograder.models.loading.keras_writes`), and one without a module (the legacy format writes layers so)
must name a layer, model or other public class of Keras' own. Then Keras loads it in safe mode, uncompiled
(the legacy ``training_config`` is never read), and saves it as ``.keras``; those bytes go to the model host,
which vets them again like any submission.

One request: ``{"op": "convert", "id": n}`` with ``{"data": KerasFile, "max_bytes": int}``; the reply is
``ok`` with the ``.keras`` bytes as a :class:`~autograder.sandbox.protocol.KerasFile`, ``refused`` (``key``,
``params``), ``memory`` or ``error`` (``ename``, ``evalue``).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from autograder.models.loading import ModelRefused, inspect_config, keras_writes, too_large
from autograder.sandbox.channel import Channel, ChannelClosed
from autograder.sandbox.protocol import KerasFile

_MAX_CONFIG_BYTES = 8 * 2**20
_MAX_EXPANSION = 4
_CODE_CLASSES = frozenset({"Lambda", "__lambda__", "function", "TFOpLambda", "SlicingOpLambda"})
_PUBLIC = ("keras.layers", "keras.models", "keras", "keras.initializers", "keras.regularizers",
           "keras.constraints", "keras.activations", "keras.optimizers", "keras.losses", "keras.metrics")


def declared_bytes(path: Path) -> int:
    """The bytes every dataset of the HDF5 file declares (what reading it would allocate)."""
    import h5py
    import numpy as np

    total = 0

    def visit(_: str, item: Any) -> None:
        nonlocal total
        if isinstance(item, h5py.Dataset):
            total += int(np.prod(item.shape, dtype=np.int64)) * item.dtype.itemsize

    with h5py.File(path, "r") as store:
        store.visititems(visit)
    return total


def _legacy_class(name: str) -> bool:
    """Whether ``name`` (an object without a module) is a public Keras class of its own."""
    return any(keras_writes(module, name) is not None for module in _PUBLIC)


def inspect_legacy(config: Any, depth: int = 0) -> None:
    """Refuse code, and any object that is not a Keras class, in a legacy ``model_config``."""
    if depth > 200:
        raise ModelRefused("model.config_unreadable", detail="nested too deeply")
    if isinstance(config, dict):
        name = config.get("class_name")
        if isinstance(name, str):
            if name in _CODE_CLASSES:
                inner = config.get("config")
                layer = inner.get("name", name) if isinstance(inner, dict) else name
                raise ModelRefused("model.lambda_refused", layer=str(layer)[:100])
            if "module" in config or "registered_name" in config:
                inspect_config({k: v for k, v in config.items() if k != "config"})
            elif not _legacy_class(name):
                raise ModelRefused("model.custom_refused", name=name[:100], module="", origin="@model.no_module")
        for value in config.values():
            inspect_legacy(value, depth + 1)
    elif isinstance(config, list):
        for value in config:
            inspect_legacy(value, depth + 1)


def convert(data: bytes, max_bytes: int) -> bytes:
    """The ``.keras`` bytes of the ``.h5`` model in ``data``, or :class:`ModelRefused`."""
    if len(data) > max_bytes:
        raise too_large(len(data), max_bytes)
    import h5py

    with tempfile.TemporaryDirectory(prefix="autograder-h5-") as folder:
        source = Path(folder) / "mymodel.h5"
        source.write_bytes(data)
        try:
            declared = declared_bytes(source)
            with h5py.File(source, "r") as store:
                raw = store.attrs.get("model_config")
        except (OSError, ValueError, TypeError) as error:
            raise ModelRefused("model.not_keras_file", detail=f"not an HDF5 Keras model ({error})"[:300]) from None
        if declared > max_bytes * _MAX_EXPANSION:
            raise too_large(declared, max_bytes * _MAX_EXPANSION)
        if raw is None:
            raise ModelRefused("model.not_keras_file", detail="an HDF5 file without a model_config (weights only?)")
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        if len(text) > _MAX_CONFIG_BYTES:
            raise ModelRefused("model.config_unreadable", detail=f"model_config is {len(text) / 2**20:.1f} MB")
        try:
            config = json.loads(text)
        except ValueError as error:
            raise ModelRefused("model.config_unreadable", detail=str(error)[:200]) from None
        inspect_legacy(config)
        import keras

        try:
            # compile=False: the legacy training config restores losses as Python functions, which the exam
            # does not need (only predictions are scored) and the model host would rightly refuse as code
            model = keras.saving.load_model(source, safe_mode=True, compile=False)
        except Exception as error:  # noqa: BLE001  (Keras' refusal is the answer)
            raise ModelRefused("model.load_failed", detail=f"{type(error).__name__}: {str(error)[:300]}") from None
        target = Path(folder) / "mymodel.keras"
        model.save(target)
        return target.read_bytes()


def main() -> None:
    """Import Keras, say ready, answer conversion requests until the grader closes the channel."""
    read_fd, write_fd = (int(fd) for fd in os.environ["AUTOGRADER_FDS"].split(","))
    channel = Channel(read_fd, write_fd, max_bytes=2 * 1024**3)
    import keras  # noqa: F401  (before "ready")

    channel.send({"status": "ready", "pid": os.getpid()})
    while True:
        try:
            header, args = channel.receive()
        except ChannelClosed:
            return
        reply: dict[str, Any]
        value: Any = None
        try:
            if header.get("op") != "convert" or not isinstance(args, dict) or not isinstance(args.get("data"),
                                                                                             KerasFile):
                raise TypeError("expected a convert request with the file's bytes")
            value = KerasFile(convert(args["data"].data, int(args.get("max_bytes", 0))))
            reply = {"status": "ok"}
        except ModelRefused as refused:
            reply = {"status": "refused", "key": refused.key,
                     "params": {k: str(v)[:300] for k, v in refused.params.items()}}
        except MemoryError:
            reply = {"status": "memory"}
        except Exception as error:  # noqa: BLE001
            reply = {"status": "error", "ename": type(error).__name__[:100], "evalue": str(error)[:1000]}
        reply["id"] = header.get("id")
        channel.send(reply, value)


if __name__ == "__main__":
    main()
