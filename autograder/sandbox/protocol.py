"""The values that cross between the grader and the sandbox: data, never code.

A message is one frame: a 4-byte big-endian length, a JSON header of that
length, then the raw bytes of any arrays the header refers to. There is no
pickle anywhere: the grader rebuilds every array from its dtype, shape and
bytes into a fresh ``numpy.ndarray``, so a subclass with tricks, an object whose
``__eq__`` always returns True, or a pickle payload cannot reach a comparison.

Allowed values: ``None``, ``bool``, ``int``, ``float`` (NaN and infinities
included), ``str``, lists, tuples, dicts with string keys, NumPy arrays and
scalars of boolean, integer, floating or complex dtype, and :class:`KerasFile`
(the bytes of a ``.keras`` file, which only the grader loads, in safe mode).
Anything else is sent
as an :class:`Unsupported` marker that names its type, so a check can tell the
student what they returned instead of crashing.

The same code runs in the sandbox (untrusted: it may be patched by student
code, which only changes what the student claims as their answer) and in the
grader, where :func:`decode` validates everything as hostile input.
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np

MAX_DEPTH = 32
MAX_ITEMS = 1_000_000
_ALLOWED_KINDS = frozenset("biufc")
_HEADER = struct.Struct(">I")


@dataclass(frozen=True)
class Unsupported:
    """A value the sandbox could not send as data (a model object, a function...)."""

    type_name: str


@dataclass(frozen=True)
class KerasFile:
    """A Keras model as the bytes of its ``.keras`` file: data until the grader loads it safely."""

    data: bytes
    type_name: str = "keras.Model"

    def __repr__(self) -> str:
        return f"KerasFile({self.type_name}, {len(self.data)} bytes)"


@dataclass(frozen=True)
class View:
    """A request to build a (possibly non-contiguous) view in the sandbox.

    The grader sends ``base`` and an index made of slices and integers, and the
    sandbox passes ``base[index]`` (transposed when asked) to the student's
    function, so hidden checks can exercise strided inputs.
    """

    base: np.ndarray
    index: tuple[slice | int, ...] = ()
    transpose: bool = False

    def build(self) -> np.ndarray:
        """Return the view this describes, over ``base``."""
        view = self.base[self.index] if self.index else self.base
        return view.T if self.transpose else view


def _type_name(value: object) -> str:
    cls = type(value)
    module = getattr(cls, "__module__", "?")
    return cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"


class _Encoder:
    def __init__(self) -> None:
        self.buffers: list[bytes] = []
        self.items = 0

    def encode(self, value: Any, depth: int = 0) -> Any:
        self.items += 1
        if depth > MAX_DEPTH or self.items > MAX_ITEMS:
            return {"$unsupported": "too deeply nested or too many items"}
        kind = type(value)
        if value is None or kind is bool or kind is str:
            return value
        if kind is int:
            return value
        if kind is float:
            return value if math.isfinite(value) else {"$float": repr(value)}
        if kind is list:
            return [self.encode(v, depth + 1) for v in value]
        if kind is tuple:
            return {"$tuple": [self.encode(v, depth + 1) for v in value]}
        if kind is dict and all(type(k) is str for k in value):
            return {"$dict": {k: self.encode(v, depth + 1) for k, v in value.items()}}
        if kind is View:
            return {"$view": {"base": self.encode(value.base, depth + 1),
                              "index": [_encode_index(i) for i in value.index],
                              "transpose": value.transpose}}
        if kind is Unsupported:
            return {"$unsupported": str(value.type_name)[:200]}
        if kind is KerasFile:
            self.buffers.append(bytes(value.data))
            return {"$keras": {"buffer": len(self.buffers) - 1, "type": str(value.type_name)[:200]}}
        if isinstance(value, np.ndarray):
            return self._array(value, "$array")
        if isinstance(value, np.generic):
            return self._array(np.asarray(value), "$scalar")
        return {"$unsupported": _type_name(value)}

    def _array(self, value: np.ndarray, tag: str) -> Any:
        plain = np.ndarray.view(value, np.ndarray)
        if plain.dtype.kind not in _ALLOWED_KINDS or plain.dtype.fields is not None:
            return {"$unsupported": f"numpy array of dtype {plain.dtype}"}
        self.buffers.append(np.ascontiguousarray(plain).tobytes())
        return {tag: {"dtype": plain.dtype.str, "shape": list(plain.shape),
                      "buffer": len(self.buffers) - 1, "type": _type_name(value)}}


def _encode_index(item: slice | int) -> Any:
    if isinstance(item, slice):
        return [item.start, item.stop, item.step]
    return int(item)


def encode_frame(header: dict[str, Any], value: Any = None) -> bytes:
    """Serialise ``header`` plus ``value`` (stored under ``header["value"]``) into one frame."""
    encoder = _Encoder()
    body = dict(header)
    body["value"] = encoder.encode(value)
    body["buffers"] = [len(b) for b in encoder.buffers]
    raw = json.dumps(body, allow_nan=False, ensure_ascii=True).encode("ascii")
    return _HEADER.pack(len(raw)) + raw + b"".join(encoder.buffers)


class _Decoder:
    def __init__(self, buffers: list[bytes]) -> None:
        self.buffers = buffers
        self.items = 0

    def decode(self, value: Any, depth: int = 0) -> Any:
        self.items += 1
        if depth > MAX_DEPTH or self.items > MAX_ITEMS:
            raise ValueError("value nested too deeply or too large")
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, list):
            return [self.decode(v, depth + 1) for v in value]
        if not isinstance(value, dict) or len(value) != 1:
            raise ValueError("malformed value")
        (tag, payload), = value.items()
        if tag == "$float" and payload in ("nan", "inf", "-inf"):
            return float(payload)
        if tag == "$tuple" and isinstance(payload, list):
            return tuple(self.decode(v, depth + 1) for v in payload)
        if tag == "$dict" and isinstance(payload, dict):
            return {str(k): self.decode(v, depth + 1) for k, v in payload.items()}
        if tag in ("$array", "$scalar") and isinstance(payload, dict):
            array = self._array(payload)
            return array[()] if tag == "$scalar" else array
        if tag == "$view" and isinstance(payload, dict):
            base = self.decode(payload.get("base"), depth + 1)
            if not isinstance(base, np.ndarray):
                raise ValueError("view without an array base")
            index = tuple(_decode_index(i) for i in payload.get("index", []))
            return View(base, index, bool(payload.get("transpose", False)))
        if tag == "$keras" and isinstance(payload, dict):
            return KerasFile(self.buffers[int(payload["buffer"])], str(payload.get("type", ""))[:200])
        if tag == "$unsupported":
            return Unsupported(str(payload)[:200])
        raise ValueError(f"unknown value tag {tag!r}")

    def _array(self, payload: dict[str, Any]) -> np.ndarray:
        dtype = np.dtype(str(payload["dtype"]))
        if dtype.kind not in _ALLOWED_KINDS or dtype.fields is not None:
            raise ValueError(f"refused dtype {dtype}")
        shape = tuple(int(n) for n in payload["shape"])
        if any(n < 0 for n in shape) or len(shape) > 32:
            raise ValueError("bad array shape")
        data = self.buffers[int(payload["buffer"])]
        if math.prod(shape) * dtype.itemsize != len(data):
            raise ValueError("array bytes do not match its shape and dtype")
        # copy(): a fresh, writeable base ndarray that owns its memory
        return np.frombuffer(data, dtype=dtype).reshape(shape).copy()


def _decode_index(item: Any) -> slice | int:
    if isinstance(item, list) and len(item) == 3:
        start, stop, step = (None if v is None else int(v) for v in item)
        return slice(start, stop, step)
    if isinstance(item, int) and not isinstance(item, bool):
        return item
    raise ValueError("bad view index")


def decode_frame(raw: bytes, buffers: bytes) -> tuple[dict[str, Any], Any]:
    """Parse a frame's JSON header and array bytes; return ``(header, value)``.

    Raises ``ValueError`` for anything malformed; the caller turns that into a
    :class:`~autograder.errors.ProtocolError`.
    """
    header = json.loads(raw)
    if not isinstance(header, dict):
        raise ValueError("frame header is not an object")
    sizes = header.get("buffers", [])
    if not isinstance(sizes, list) or sum(int(n) for n in sizes) != len(buffers):
        raise ValueError("frame buffer sizes do not add up")
    parts, offset = [], 0
    for n in sizes:
        parts.append(buffers[offset:offset + int(n)])
        offset += int(n)
    value = _Decoder(parts).decode(header.pop("value", None))
    return header, value


def buffers_size(raw: bytes) -> int:
    """Return how many array bytes follow a frame's JSON header."""
    header = json.loads(raw)
    sizes = header.get("buffers", []) if isinstance(header, dict) else []
    if not isinstance(sizes, list) or any(not isinstance(n, int) or n < 0 for n in sizes):
        raise ValueError("bad buffer sizes")
    return sum(sizes)


HEADER_SIZE = _HEADER.size


def unpack_length(prefix: bytes) -> int:
    """Return the JSON header length announced by a frame's 4-byte prefix."""
    return int(_HEADER.unpack(prefix)[0])


def round_trip(value: Any) -> Any:
    """Encode ``value`` into a frame and decode it again, exactly as it would cross the channel."""
    frame = encode_frame({}, value)
    end = HEADER_SIZE + unpack_length(frame[:HEADER_SIZE])
    return decode_frame(frame[HEADER_SIZE:end], frame[end:])[1]
