"""Inside the sandbox: turn Keras objects in a reply into data the protocol can carry.

A model becomes the bytes of its ``.keras`` file (saved to the sandbox's own
``/tmp``, size-capped) and a training ``History`` becomes its plain
``history`` dict of per-epoch floats. Runs in the student's interpreter, so the
grader trusts none of it: it loads the bytes itself, in safe mode.
"""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Any

from autograder.sandbox.protocol import KerasFile, Unsupported

ENV_MODEL_BYTES = "AUTOGRADER_MODEL_BYTES"
_MAX_DEPTH = 8


def _type_name(value: object) -> str:
    cls = type(value)
    return f"{cls.__module__}.{cls.__qualname__}"


def _save(model: Any, limit: int) -> KerasFile | Unsupported:
    with tempfile.TemporaryDirectory(prefix="model-") as folder:
        path = os.path.join(folder, "model.keras")
        try:
            model.save(path)
        except Exception as error:  # noqa: BLE001  (the student's model decides what fails)
            return Unsupported(f"{_type_name(model)} that Keras could not save ({type(error).__name__}: "
                               f"{str(error)[:300]})")
        size = os.path.getsize(path)
        if size > limit:
            return Unsupported(f"{_type_name(model)} saved as {size / 2**20:.1f} MB, over the "
                               f"{limit / 2**20:.0f} MB limit for a model")
        with open(path, "rb") as stream:
            return KerasFile(stream.read(), _type_name(model))


def _history(history: Any) -> dict[str, list[float]] | Unsupported:
    record = getattr(history, "history", None)
    if not isinstance(record, dict):
        return Unsupported(_type_name(history))
    try:
        return {str(k): [float(v) for v in values] for k, values in record.items()}
    except (TypeError, ValueError):
        return Unsupported(f"{_type_name(history)} with non-numeric entries")


def to_data(value: Any, depth: int = 0) -> Any:
    """Replace Keras models and histories in ``value`` (and its lists, tuples, dicts)."""
    keras = sys.modules.get("keras")
    if keras is None or depth > _MAX_DEPTH:
        return value
    if isinstance(value, keras.Model):
        return _save(value, int(os.environ.get(ENV_MODEL_BYTES, str(256 * 1024**2))))
    if isinstance(value, keras.callbacks.History):
        return _history(value)
    if type(value) in (list, tuple):
        return type(value)(to_data(v, depth + 1) for v in value)
    if type(value) is dict:
        return {k: to_data(v, depth + 1) for k, v in value.items()}
    return value
