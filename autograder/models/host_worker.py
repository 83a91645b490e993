"""The model host's child: loads a student's ``.keras`` bytes and answers questions about the model.

Runs in a sandbox of its own (see :mod:`autograder.models.host`): its own
namespaces (no network), an unprivileged uid when the grader is root, a memory
cgroup or ``RLIMIT_AS``, ``RLIMIT_CPU``, and it dies with the grader. No student
code runs here, but the bytes it parses (the zip archive, ``config.json``, the
HDF5 weights) are the student's, so the grader treats every reply as hostile.

Requests (one frame each; ``op`` in the header, the arguments as the value):

``load``      ``{"data": KerasFile, "max_bytes": int, "weights": bool}``: the archive checks of
              :mod:`autograder.models.loading`, a safe-mode load; the reply is the model as plain
              data (:func:`tree`) under a new ``model`` number.
``weights``   ``{"model": n, "path": [i, j, ...]}``: the weights of the model (``[]``) or of a
              (nested) layer, as arrays.
``predict``   ``{"model": n, "x": array}``: ``model.predict_on_batch(x)``.
``call``      ``{"model": n, "x": array}``: ``model(x, training=False)``.
``evaluate``  ``{"model": n, "x": array, "y": array, "batch_size": int}``: ``model.evaluate``'s dict.
``release``   ``{"model": n}``.

Replies: ``{"status": "ok"}`` with the value; ``refused`` (``key``, ``params``: a
:class:`~autograder.models.loading.ModelRefused`); ``error`` (``ename``, ``evalue``:
Keras' own error, the student's answer); ``memory`` (an allocation failed);
``too_large`` (``size``, ``limit``: a reply over its cap).
"""

from __future__ import annotations

import gc
import os
from dataclasses import asdict
from typing import Any

import numpy as np

from autograder.models.describe import _count, describe
from autograder.models.loading import ModelRefused, load_model
from autograder.sandbox.channel import Channel, ChannelClosed
from autograder.sandbox.protocol import KerasFile

# replies the grader reads: predictions and weights capped below the grader's channel cap
OUTPUT_BYTES = 64 * 2**20
WEIGHT_BYTES = 128 * 2**20
MAX_NODES = 20_000
# layer attributes a check may read (getattr(layer, "units")...); only plain values cross
ATTRIBUTES = ("units", "filters", "kernel_size", "strides", "padding", "rate", "pool_size", "return_sequences",
              "return_state", "input_dim", "output_dim", "axis", "size", "target_shape", "data_format", "use_bias",
              "dilation_rate", "mask_zero", "factor", "height", "width", "scale", "offset", "momentum", "epsilon",
              "dropout", "recurrent_dropout", "go_backwards", "interpolation", "dims", "n")
_MEMORY_ERRORS = ("MemoryError", "ResourceExhaustedError", "OutOfMemoryError")


def _plain(value: Any, depth: int = 0) -> Any:
    """``value`` when it is plain data (numbers, strings, short tuples or lists of them), else None."""
    if value is None or isinstance(value, bool | int | float | str):
        return value[:200] if isinstance(value, str) else value
    if isinstance(value, np.integer | np.floating | np.bool_):
        return value.item()
    if isinstance(value, tuple | list) and depth < 2 and len(value) <= 16:
        items = [_plain(v, depth + 1) for v in value]
        return tuple(items) if isinstance(value, tuple) else items
    return None


def _weights(layer: Any) -> list[list[Any]]:
    trainable = {id(w) for w in getattr(layer, "trainable_weights", [])}
    return [[str(getattr(w, "path", None) or w.name)[:200], [int(d) for d in w.shape], str(w.dtype)[:40],
             id(w) in trainable] for w in layer.weights]


def _optimizer(model: Any) -> dict[str, Any] | None:
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        return None
    found: dict[str, Any] = {"class": type(optimizer).__name__[:100]}
    try:
        found["iterations"] = int(np.asarray(optimizer.iterations))
    except (AttributeError, TypeError, ValueError):
        pass
    try:
        found["learning_rate"] = float(np.asarray(optimizer.learning_rate))
    except (AttributeError, TypeError, ValueError):
        pass
    return found


def _node(layer: Any, parent: int, index: int, nodes: list[dict[str, Any]]) -> None:
    if len(nodes) >= MAX_NODES:
        raise ModelRefused("model.config_unreadable", detail=f"more than {MAX_NODES} layers")
    node: dict[str, Any] = {"parent": parent, "index": index, "class": type(layer).__name__[:100],
                            "name": str(layer.name)[:200], "trainable": bool(layer.trainable),
                            "built": bool(layer.built), "weights": _weights(layer)}
    node["params"] = int(layer.count_params()) if layer.built else None
    attributes = {}
    for name in ATTRIBUTES:
        if hasattr(layer, name):
            value = _plain(getattr(layer, name, None))
            if value is not None or getattr(layer, name, None) is None:
                attributes[name] = value
    if getattr(layer, "activation", None) is not None:
        function = layer.activation
        attributes["activation"] = {"$function": str(getattr(function, "__name__", None)
                                                     or type(function).__name__)[:100]}
    node["attributes"] = attributes
    position = len(nodes)
    nodes.append(node)
    import keras

    if isinstance(layer, keras.Model):
        node["info"] = asdict(describe(layer))
        for sub_index, sub in enumerate(layer.layers):
            _node(sub, position, sub_index, nodes)


def tree(model: Any) -> dict[str, Any]:
    """The model as plain data: every layer (nested ones too) in order, each with its parent's position."""
    nodes: list[dict[str, Any]] = []
    _node(model, -1, 0, nodes)
    return {"nodes": nodes, "optimizer": _optimizer(model), "trainable_count": _count(model.trainable_weights)}


def _layer_at(model: Any, path: list[Any]) -> Any:
    layer = model
    for index in path:
        layers = getattr(layer, "layers", None)
        if not isinstance(index, int) or layers is None or not 0 <= index < len(layers):
            raise ValueError(f"no layer at {path}")
        layer = layers[index]
    return layer


def _array(value: Any, name: str) -> np.ndarray:
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name} is not an array")
    return value


class Host:
    """The loaded models of one submission, by number."""

    def __init__(self) -> None:
        self.models: dict[int, Any] = {}
        self.next = 1

    def handle(self, op: str, args: Any) -> tuple[dict[str, Any], Any]:
        if not isinstance(args, dict):
            raise TypeError("request arguments are not a dict")
        if op == "load":
            data = args.get("data")
            if not isinstance(data, KerasFile):
                raise TypeError("no .keras bytes")
            model = load_model(data, max_bytes=int(args.get("max_bytes", 0)), weights=bool(args.get("weights")))
            number, self.next = self.next, self.next + 1
            self.models[number] = model
            return {"status": "ok", "model": number}, tree(model)
        if op == "release":
            self.models.pop(int(args.get("model", 0)), None)
            gc.collect()
            return {"status": "ok"}, None
        model = self.models.get(int(args.get("model", 0)))
        if model is None:
            raise KeyError("no such model")
        if op == "weights":
            values = [np.asarray(w) for w in _layer_at(model, list(args.get("path", []))).get_weights()]
            return self._capped(values, sum(v.nbytes for v in values), WEIGHT_BYTES)
        if op in ("predict", "call"):
            x = _array(args.get("x"), "x")
            output = model.predict_on_batch(x) if op == "predict" else model(x, training=False)
            outputs = output if isinstance(output, list | tuple) else [output]
            arrays = [np.asarray(o) for o in outputs]
            value = arrays if isinstance(output, list | tuple) else arrays[0]
            return self._capped(value, sum(a.nbytes for a in arrays), OUTPUT_BYTES)
        if op == "evaluate":
            x, y = _array(args.get("x"), "x"), _array(args.get("y"), "y")
            result = model.evaluate(x, y, batch_size=int(args.get("batch_size", 32)), verbose=0, return_dict=True)
            return {"status": "ok"}, {str(k)[:100]: float(np.asarray(v)) for k, v in result.items()}
        raise ValueError(f"unknown request {op!r}")

    @staticmethod
    def _capped(value: Any, size: int, limit: int) -> tuple[dict[str, Any], Any]:
        if size > limit:
            return {"status": "too_large", "size": size, "limit": limit}, None
        return {"status": "ok"}, value


def answer(host: Host, header: dict[str, Any], args: Any) -> tuple[dict[str, Any], Any]:
    """One reply; every failure is a status, never an exception out of the loop."""
    try:
        reply, value = host.handle(str(header.get("op")), args)
    except ModelRefused as refused:
        reply, value = {"status": "refused", "key": refused.key,
                        "params": {k: str(v)[:300] for k, v in refused.params.items()}}, None
    except MemoryError:
        reply, value = {"status": "memory"}, None
    except Exception as error:  # noqa: BLE001  (Keras' error with the student's model is the answer)
        name = type(error).__name__
        status = "memory" if name in _MEMORY_ERRORS else "error"
        reply, value = {"status": status, "ename": name[:100], "evalue": str(error).strip()[:2000]}, None
    reply["id"] = header.get("id")
    return reply, value


def main() -> None:
    """Import Keras, say ready, then answer requests until the grader closes the channel."""
    read_fd, write_fd = (int(fd) for fd in os.environ["AUTOGRADER_FDS"].split(","))
    channel = Channel(read_fd, write_fd, max_bytes=2 * 1024**3)
    import keras  # noqa: F401  (before "ready": the grader's deadline for starting covers it)

    channel.send({"status": "ready", "pid": os.getpid()})
    host = Host()
    while True:
        try:
            header, args = channel.receive()
        except ChannelClosed:
            return
        if header.get("op") == "shutdown":
            return
        reply, value = answer(host, header, args)
        try:
            channel.send(reply, value)
        except MemoryError:
            channel.send({"status": "memory", "id": header.get("id")})


if __name__ == "__main__":
    main()
