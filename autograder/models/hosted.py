"""Grader-side stand-ins for a model loaded in the model host (see :mod:`autograder.models.host`).

Checks written against a live ``keras.Model`` keep working on these: ``.layers``
(nested models too), ``.name``, ``.trainable``, ``.built``, ``.weights``,
``count_params()``, ``get_weights()`` (fetched from the host as arrays),
``.optimizer.iterations``, ``predict_on_batch``, calling the model, and
``evaluate(..., return_dict=True)``; ``type(layer).__name__`` is the Keras class
name (each proxy's class is made on the fly and named after it), and
:func:`autograder.models.describe.describe` returns the facts the host computed.

Everything here is built from a reply of the host, which parsed the student's
bytes: each field is checked for its type and size before a proxy holds it, and
a reply that does not fit is a :class:`~autograder.errors.ProtocolError`.
"""

from __future__ import annotations

import keyword
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from autograder.errors import ProtocolError
from autograder.models.describe import CompileInfo, LayerInfo, ModelInfo

MAX_SHAPE = 32


class Slot(Protocol):
    """What a proxy asks the host for: one request about its model."""

    def request(self, op: str, args: dict[str, Any], what: str) -> Any:
        """Send ``op`` about this model; return the reply's value (or raise the check's failure)."""
        ...


class ModelError(Exception):
    """Keras' own error in the host (a model that cannot take the input): named after Keras' class."""


_ERRORS: dict[str, type[ModelError]] = {}
_CLASSES: dict[tuple[str, type], type] = {}


def error_class(name: str) -> type[ModelError]:
    """A :class:`ModelError` subclass called ``name`` (``ValueError``...), so ``type(error).__name__`` reads
    as it would in the grader."""
    clean = name if name.isidentifier() and not keyword.iskeyword(name) else "ModelError"
    if clean not in _ERRORS:
        _ERRORS[clean] = type(clean, (ModelError,), {"__module__": __name__})
    return _ERRORS[clean]


def _fail(what: str) -> ProtocolError:
    return ProtocolError(f"malformed model description from the model host: {what}")


def _text(value: Any, what: str, limit: int = 200) -> str:
    if not isinstance(value, str):
        raise _fail(what)
    return value[:limit]


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(what)
    return value


def _optional(value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) and kind is not bool:
        raise _fail(what)
    if not isinstance(value, kind):
        raise _fail(what)
    return value


def _shape(value: Any, what: str) -> tuple[int | None, ...] | None:
    if value is None:
        return None
    if not isinstance(value, tuple | list) or len(value) > MAX_SHAPE:
        raise _fail(what)
    return tuple(None if d is None else _int(d, what) for d in value)


def _layer_info(value: Any) -> LayerInfo:
    if not isinstance(value, Mapping):
        raise _fail("layer")
    kernel = value.get("kernel_size")
    rate = _optional(value.get("rate"), (int, float), "rate")
    return LayerInfo(
        index=_int(value.get("index"), "index"), name=_text(value.get("name"), "name"),
        kind=_text(value.get("kind"), "kind", 100), output_shape=_shape(value.get("output_shape"), "output_shape"),
        params=_int(value.get("params"), "params"), trainable_params=_int(value.get("trainable_params"), "params"),
        trainable=bool(_optional(value.get("trainable"), bool, "trainable")),
        activation=_optional(value.get("activation"), str, "activation"),
        units=_optional(value.get("units"), int, "units"), filters=_optional(value.get("filters"), int, "filters"),
        kernel_size=None if kernel is None else tuple(_int(k, "kernel_size") for k in _shape(kernel, "kernel") or ()),
        rate=None if rate is None else float(rate))


def model_info(value: Any) -> ModelInfo:
    """A :class:`ModelInfo` from the host's ``dataclasses.asdict`` of one, every field checked."""
    if not isinstance(value, Mapping) or not isinstance(value.get("layers"), tuple | list):
        raise _fail("model")
    compiled = value.get("compile")
    if not isinstance(compiled, Mapping):
        raise _fail("compile")
    metrics = compiled.get("metrics", ())
    if not isinstance(metrics, tuple | list) or len(metrics) > 100:
        raise _fail("metrics")
    rate = _optional(compiled.get("learning_rate"), (int, float), "learning_rate")
    info = CompileInfo(compiled=bool(_optional(compiled.get("compiled"), bool, "compiled")),
                       loss=_optional(compiled.get("loss"), str, "loss"),
                       from_logits=bool(_optional(compiled.get("from_logits"), bool, "from_logits")),
                       optimizer=_optional(compiled.get("optimizer"), str, "optimizer"),
                       learning_rate=None if rate is None else float(rate),
                       metrics=tuple(_text(m, "metric", 100) for m in metrics))
    return ModelInfo(layers=tuple(_layer_info(layer) for layer in value["layers"]),
                     input_shape=_shape(value.get("input_shape"), "input_shape"),
                     output_shape=_shape(value.get("output_shape"), "output_shape"),
                     total_params=_int(value.get("total_params"), "total_params"),
                     trainable_params=_int(value.get("trainable_params"), "trainable_params"), compile=info)


class HostedWeight:
    """A weight's name, shape, dtype and whether it trains; its values stay in the host."""

    def __init__(self, name: str, shape: tuple[int, ...], dtype: str, trainable: bool) -> None:
        self.name = self.path = name
        self.shape = shape
        self.dtype = dtype
        self.trainable = trainable

    def __repr__(self) -> str:
        return f"<HostedWeight {self.name} shape={self.shape} dtype={self.dtype}>"


class HostedFunction:
    """An activation function, by name (``layer.activation.__name__``)."""

    def __init__(self, name: str) -> None:
        self.__name__ = name

    def __repr__(self) -> str:
        return f"<function {self.__name__}>"


class HostedOptimizer:
    """A compiled model's optimizer: its class, step count and learning rate, as the host read them."""

    def __init__(self, value: Mapping[str, Any]) -> None:
        self.name = _text(value.get("class", ""), "optimizer")
        iterations = _optional(value.get("iterations"), int, "iterations")
        if iterations is not None:
            self.iterations = iterations
        rate = _optional(value.get("learning_rate"), (int, float), "learning_rate")
        if rate is not None:
            self.learning_rate = float(rate)


class HostedLayer:
    """One layer of a hosted model."""

    def __init__(self, slot: Slot, what: str, path: tuple[int, ...], node: Mapping[str, Any]) -> None:
        self._slot = slot
        self._what = what
        self._path = path
        self.name = _text(node.get("name"), "name")
        self.trainable = bool(_optional(node.get("trainable"), bool, "trainable"))
        self.built = bool(_optional(node.get("built"), bool, "built"))
        self._params = _optional(node.get("params"), int, "params")
        weights = node.get("weights")
        if not isinstance(weights, list | tuple):
            raise _fail("weights")
        self.weights = [self._weight(w) for w in weights]
        self.trainable_weights = [w for w in self.weights if w.trainable]
        self.non_trainable_weights = [w for w in self.weights if not w.trainable]
        self.variables = self.weights
        attributes = node.get("attributes")
        if not isinstance(attributes, Mapping):
            raise _fail("attributes")
        for key, value in attributes.items():
            if not key.isidentifier() or key.startswith("_") or key in vars(self) or hasattr(type(self), key):
                raise _fail(f"attribute {key!r}")
            setattr(self, key, self._attribute(value))

    @staticmethod
    def _weight(value: Any) -> HostedWeight:
        if not isinstance(value, list | tuple) or len(value) != 4:
            raise _fail("weight")
        name, shape, dtype, trainable = value
        dims = _shape(shape, "weight shape") or ()
        if any(d is None or d < 0 for d in dims):
            raise _fail("weight shape")
        return HostedWeight(_text(name, "weight name"), tuple(int(d) for d in dims if d is not None),
                            _text(dtype, "dtype", 40), bool(_optional(trainable, bool, "trainable")))

    @staticmethod
    def _attribute(value: Any, depth: int = 0) -> Any:
        if isinstance(value, Mapping):
            if set(value) != {"$function"}:
                raise _fail("attribute")
            return HostedFunction(_text(value["$function"], "activation", 100))
        if value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, str):
            return value[:200]
        if isinstance(value, tuple | list) and depth < 2 and len(value) <= 16:
            items = [HostedLayer._attribute(v, depth + 1) for v in value]
            return tuple(items) if isinstance(value, tuple) else items
        raise _fail("attribute")

    def count_params(self) -> int:
        """The layer's parameter count (Keras raises for a layer that was never built; so does this)."""
        if not self.built or self._params is None:
            raise ValueError(f"You tried to call `count_params` on layer '{self.name}', but the layer isn't built.")
        return int(self._params)

    def get_weights(self) -> list[np.ndarray]:
        """The layer's weights as arrays, fetched from the host."""
        value = self._slot.request("weights", {"path": list(self._path)}, self._what)
        if not isinstance(value, list) or len(value) != len(self.weights) or not all(
                isinstance(v, np.ndarray) for v in value):
            raise ProtocolError("the model host sent weights that do not match the layer")
        return value

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, hosted>"


class HostedNestedModel(HostedLayer):
    """A model used as a layer (a VGG16 base, a Sequential block): its own layers and facts."""

    layers: list[HostedLayer]
    __model_info__: ModelInfo

    @property
    def optimizer(self) -> HostedOptimizer | None:
        """A model used as a layer has no optimizer of its own (Keras: None)."""
        return None


class HostedModel(HostedNestedModel):
    """The model a check loaded; predictions and evaluations run in the host."""

    _optimizer: HostedOptimizer | None = None

    @property
    def optimizer(self) -> HostedOptimizer | None:
        """The compiled model's optimizer (None when it was not compiled)."""
        return self._optimizer

    def predict_on_batch(self, x: Any) -> Any:
        """``model.predict_on_batch(x)`` in the host."""
        return self._output(self._slot.request("predict", {"x": _input(x)}, self._what))

    def __call__(self, x: Any, training: bool = False) -> Any:
        """``model(x, training=False)`` in the host (an eager call: no traced function)."""
        if training:
            raise ValueError("a hosted model is called for inference only")
        return self._output(self._slot.request("call", {"x": _input(x)}, self._what))

    def evaluate(self, x: Any, y: Any, batch_size: int | None = None, verbose: Any = "auto",
                 return_dict: bool = False, **_: Any) -> Any:
        """``model.evaluate(x, y, batch_size=...)`` in the host: the loss and metrics it compiled with."""
        del verbose
        value = self._slot.request("evaluate", {"x": _input(x), "y": _input(y), "batch_size": int(batch_size or 32)},
                                   self._what)
        if not isinstance(value, dict) or not all(isinstance(v, float) for v in value.values()):
            raise ProtocolError("the model host sent an evaluation that is not a dict of numbers")
        if return_dict:
            return value
        values = list(value.values())
        return values[0] if len(values) == 1 else values

    @staticmethod
    def _output(value: Any) -> Any:
        if isinstance(value, np.ndarray):
            return value
        if isinstance(value, list) and value and all(isinstance(v, np.ndarray) for v in value):
            return value
        raise ProtocolError("the model host sent predictions that are not arrays")


def _input(x: Any) -> np.ndarray:
    array = np.asarray(x)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"model input must be numbers, not {array.dtype}")
    return array


def proxy_class(name: str, base: type[HostedLayer]) -> type[HostedLayer]:
    """``base`` subclassed under the Keras class name ``name`` (``Dense``, ``Sequential``...)."""
    clean = name if name.isidentifier() and not keyword.iskeyword(name) else "Layer"
    key = (clean, base)
    if key not in _CLASSES:
        _CLASSES[key] = type(clean, (base,), {"__module__": __name__, "__qualname__": clean})
    made: type[HostedLayer] = _CLASSES[key]
    return made


def build(slot: Slot, what: str, description: Any) -> HostedModel:
    """The proxy tree of a loaded model from the host's :func:`~autograder.models.host_worker.tree` reply."""
    if not isinstance(description, Mapping) or not isinstance(description.get("nodes"), list):
        raise _fail("tree")
    nodes: Sequence[Any] = description["nodes"]
    if not nodes:
        raise _fail("no layers")
    made: list[HostedLayer] = []
    for position, node in enumerate(nodes):
        if not isinstance(node, Mapping):
            raise _fail("node")
        parent = _int(node.get("parent"), "parent")
        if (position == 0) != (parent == -1) or parent >= position:
            raise _fail("parent")
        path = () if parent < 0 else (*made[parent]._path, len(made[parent].layers))  # type: ignore[attr-defined]
        if parent >= 0 and not isinstance(made[parent], HostedNestedModel):
            raise _fail("a layer inside a layer that is not a model")
        base: type[HostedLayer] = HostedModel if parent < 0 else (
            HostedNestedModel if "info" in node else HostedLayer)
        layer = proxy_class(_text(node.get("class"), "class", 100), base)(slot, what, path, node)
        if isinstance(layer, HostedNestedModel):
            layer.layers = []
            layer.__model_info__ = model_info(node.get("info"))
        if parent >= 0:
            made[parent].layers.append(layer)  # type: ignore[attr-defined]
        made.append(layer)
    model = made[0]
    if not isinstance(model, HostedModel):
        raise _fail("the top node is not a model")
    optimizer = description.get("optimizer")
    if optimizer is not None:
        if not isinstance(optimizer, Mapping):
            raise _fail("optimizer")
        model._optimizer = HostedOptimizer(optimizer)
    return model


def rename(model: HostedModel, what: str) -> HostedModel:
    """The same hosted model as seen under another name (messages say ``what``)."""
    def walk(layer: HostedLayer) -> None:
        layer._what = what
        for sub in getattr(layer, "layers", ()):
            walk(sub)

    copy: HostedModel = _copy_tree(model)
    walk(copy)
    return copy


def _copy_tree(layer: HostedLayer) -> Any:
    clone: Any = object.__new__(type(layer))
    clone.__dict__.update(layer.__dict__)
    if isinstance(layer, HostedNestedModel):
        clone.layers = [_copy_tree(sub) for sub in layer.layers]
    return clone
