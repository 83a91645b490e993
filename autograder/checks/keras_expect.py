"""Assertions about Keras models, training histories and label encodings, for checks.

Every model is loaded from the bytes the sandbox sent, in the model host while a
submission is graded (see :mod:`autograder.models.host`), and described as plain
facts (see :mod:`autograder.models.describe`), so messages can name the layer, what was
expected, what was found, and the fix, without revealing hidden data.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Collection, Sequence
from typing import Any

import numpy as np

from autograder.checks.expect import describe as describe_value
from autograder.checks.expect import returned
from autograder.errors import CheckFailed, CheckSkipped
from autograder.models.compare import ARCHITECTURE, LayerSpec, first_difference, shape_text
from autograder.models.describe import ModelInfo, canonical, describe
from autograder.models.host import active_host
from autograder.models.loading import ModelRefused, load_model, oversized
from autograder.sandbox.protocol import KerasFile
from autograder.sandbox.session import Reply

# Losses that fit each label encoding (see label_encoding).
LOSSES_FOR_LABELS = {
    "integer": ("sparse_categorical_crossentropy",),
    "one_hot": ("categorical_crossentropy",),
    "binary": ("binary_crossentropy",),
    "multi_hot": ("binary_crossentropy",),
    "continuous": ("mean_squared_error", "mean_absolute_error", "huber", "log_cosh"),
    "unit_interval": ("mean_squared_error", "mean_absolute_error", "binary_crossentropy", "huber", "log_cosh"),
}


def model(reply: Reply, what: str, *, max_bytes: int = 256 * 2**20, weights: bool = True) -> Any:
    """The Keras model a call or value produced, loaded safely; otherwise fail with why.

    While a submission is graded the model is loaded, described and evaluated in the model host, a
    locked-down child process (see :mod:`autograder.models.host`), and this returns its proxy; without one
    (``grader.check`` on the student's own machine) it is loaded here. ``weights=False`` for checks of the
    architecture and compile settings only: a model whose ``fit`` failed after building it still has them
    (see :func:`autograder.models.loading.load_model`).
    """
    value = returned(reply, what)
    refused_size = oversized(value)  # saved over the sandbox's cap: the size message, not "not a model"
    if refused_size is not None:
        raise CheckFailed(refused_size.key, what=what, **refused_size.params)
    if not isinstance(value, KerasFile):
        raise CheckFailed("model.not_a_model", what=what, found=describe_value(value))
    host = active_host()
    try:
        if host is not None:
            return host.load(value, what=what, max_bytes=max_bytes, weights=weights)
        return _load_here(value, max_bytes, weights)
    except ModelRefused as refused:
        raise CheckFailed(refused.key, what=what, **refused.params) from refused


_LOADED_HERE: OrderedDict[tuple[str, int, bool], Any] = OrderedDict()


def _load_here(file: KerasFile, max_bytes: int, weights: bool) -> Any:
    """Load in this process (the student's own machine); the last few loads are kept, checks share them."""
    key = (hashlib.sha256(file.data).hexdigest(), max_bytes, weights)
    if key in _LOADED_HERE:
        _LOADED_HERE.move_to_end(key)
        return _LOADED_HERE[key]
    loaded = load_model(file, max_bytes=max_bytes, weights=weights)
    _LOADED_HERE[key] = loaded
    while len(_LOADED_HERE) > 4:
        _LOADED_HERE.popitem(last=False)
    return loaded


def history(reply: Reply, what: str, *, metrics: Collection[str] = ("loss",)) -> dict[str, list[float]]:
    """A training history (``History.history``: per-epoch floats) with at least ``metrics``."""
    value = returned(reply, what)
    if not isinstance(value, dict) or not all(isinstance(v, list) for v in value.values()):
        raise CheckFailed("model.not_a_history", what=what, found=describe_value(value))
    missing = [m for m in metrics if m not in value]
    if missing:
        raise CheckFailed("model.history_lacks", what=what, missing=", ".join(missing),
                          found=", ".join(sorted(value)) or "-")
    return value


def _text(value: Any) -> str:
    if isinstance(value, tuple) and all(v is None or isinstance(v, int) for v in value):
        return shape_text(value)
    return "-" if value is None else str(value)


def architecture(found: Any, expected: Any | Sequence[LayerSpec], what: str,
                 compared: Sequence[str] = ARCHITECTURE) -> ModelInfo:
    """Fail at the first layer that differs from ``expected`` (a reference model or layer specs)."""
    info = found if isinstance(found, ModelInfo) else describe(found)
    reference = expected if isinstance(expected, ModelInfo | Sequence) else describe(expected)
    difference = first_difference(info, reference, compared)
    if difference is None:
        return info
    if difference.field == "missing":
        raise CheckFailed("model.layer_missing", what=what, position=difference.position,
                          expected=difference.expected)
    if difference.field == "extra":
        raise CheckFailed("model.layer_extra", what=what, position=difference.position, layer=difference.layer,
                          found=difference.found)
    raise CheckFailed(f"model.layer_{difference.field}", what=what, position=difference.position,
                      layer=difference.layer, expected=_text(difference.expected), found=_text(difference.found))


def parameters(info: ModelInfo, what: str, *, total: int | None = None, trainable: int | None = None,
               non_trainable: int | None = None) -> None:
    """Fail unless the parameter counts are the given ones."""
    for kind, want, got in (("total", total, info.total_params), ("trainable", trainable, info.trainable_params),
                            ("non_trainable", non_trainable, info.non_trainable_params)):
        if want is not None and want != got:
            raise CheckFailed(f"model.params_{kind}", what=what, expected=f"{want:,}", found=f"{got:,}")


def last_activation(info: ModelInfo, allowed: Collection[str], what: str, task: str) -> None:
    """Fail unless the output layer's activation is one of ``allowed``.

    ``task`` names the problem in the message: plain text, or ``"@key"`` of a
    catalogue entry so it is translated (``"@task.binary"``...).
    """
    last = info.last
    found = last.activation if last is not None else None
    if found not in {canonical(a) for a in allowed}:
        raise CheckFailed("model.last_activation", what=what, expected=" / ".join(allowed), found=found or "-",
                          task=task)


def compiled(info: ModelInfo, what: str) -> None:
    """Fail unless the model was compiled (it has a loss and an optimizer)."""
    if not info.compile.compiled:
        raise CheckFailed("model.not_compiled", what=what)


def loss(info: ModelInfo, allowed: Collection[str], what: str, task: str) -> None:
    """Fail unless the model was compiled with one of the ``allowed`` losses."""
    compiled(info, what)
    if info.compile.loss not in {canonical(a) for a in allowed}:
        raise CheckFailed("model.loss", what=what, expected=" / ".join(allowed), found=info.compile.loss or "-",
                          task=task)


def optimizer(info: ModelInfo, what: str, *, name: str | None = None, max_learning_rate: float | None = None) -> None:
    """Fail unless the optimizer is ``name`` and its learning rate at most ``max_learning_rate``."""
    compiled(info, what)
    if name is not None and info.compile.optimizer != canonical(name):
        raise CheckFailed("model.optimizer", what=what, expected=name, found=info.compile.optimizer or "-")
    rate = info.compile.learning_rate
    if max_learning_rate is not None and (rate is None or rate > max_learning_rate * (1 + 1e-6)):
        raise CheckFailed("model.learning_rate", what=what, expected=f"{max_learning_rate:g}",
                          found="-" if rate is None else f"{rate:g}")


def metrics(info: ModelInfo, required: Collection[str], what: str) -> None:
    """Fail unless every metric in ``required`` was passed to ``compile``."""
    compiled(info, what)
    missing = [m for m in required if canonical(m) not in info.compile.metrics]
    if missing:
        raise CheckFailed("model.metrics", what=what, expected=", ".join(required),
                          found=", ".join(info.compile.metrics) or "-")


def label_encoding(labels: Any) -> str:
    """How labels are encoded: integer, one_hot, binary, multi_hot, unit_interval or continuous."""
    array = np.asarray(labels)
    if array.size == 0:
        return "continuous"
    values = np.unique(array)
    whole = bool(np.all(np.mod(values, 1) == 0)) if array.dtype.kind in "biuf" else False
    if array.ndim == 2 and array.shape[1] > 1 and whole and set(values.tolist()) <= {0, 1}:
        return "one_hot" if bool(np.all(array.sum(axis=1) == 1)) else "multi_hot"
    if whole and set(values.tolist()) <= {0, 1}:
        return "binary"
    if whole and array.ndim <= 2 and (array.ndim == 1 or array.shape[1] == 1):
        return "integer"
    if values.min() >= 0 and values.max() <= 1:
        return "unit_interval"
    return "continuous"


def loss_fits_labels(info: ModelInfo, labels: Any, what: str, *, labels_name: str | None = None,
                     message: str = "model.loss_labels") -> None:
    """Fail when the compiled loss does not fit how the student's labels are encoded, naming both.

    An assignment can say it in its own words: ``message`` is the catalogue key of the mismatch (fields
    ``what``, ``loss``, ``encoding``, ``expected``, and ``labels`` when ``labels_name`` names the variable).
    """
    compiled(info, what)
    encoding = label_encoding(labels)
    allowed = LOSSES_FOR_LABELS[encoding]
    outputs = info.output_shape[-1] if info.output_shape else None
    if encoding == "binary" and outputs is not None and outputs >= 2:
        # 0/1 integer labels are also two classes for a two-unit softmax (the unit count is the output
        # layer's own check)
        allowed = (*allowed, "sparse_categorical_crossentropy")
    if info.compile.loss not in allowed:
        named = {} if labels_name is None else {"labels": labels_name}
        raise CheckFailed(message, what=what, loss=info.compile.loss or "-", encoding=encoding,
                          expected=" / ".join(allowed), **named)
    last = info.last
    if encoding in ("integer", "one_hot") and last is not None and last.activation == "softmax" \
            and info.compile.from_logits:
        raise CheckFailed("model.from_logits", what=what)


def frozen(found: Any, what: str, *, frozen_layers: Collection[str] = (), trainable_layers: Collection[str] = ()
           ) -> None:
    """Fail unless the named layers are frozen (``trainable=False``) and the others named are trainable."""
    layers = {layer.name: layer for layer in found.layers}
    for name in frozen_layers:
        layer = layers.get(name)
        if layer is None:
            raise CheckFailed("model.no_such_layer", what=what, layer=name)
        if layer.trainable:
            raise CheckFailed("model.should_be_frozen", what=what, layer=name)
    for name in trainable_layers:
        layer = layers.get(name)
        if layer is None:
            raise CheckFailed("model.no_such_layer", what=what, layer=name)
        if not layer.trainable:
            raise CheckFailed("model.should_be_trainable", what=what, layer=name)


def require_pretrained(data_files: Collection[str], name: str, what: str) -> None:
    """Skip the calling check (it leaves the maximum) when the pretrained weights ``name`` are not here."""
    if name not in data_files:
        raise CheckSkipped("check.no_pretrained_weights", name=name, what=what)
