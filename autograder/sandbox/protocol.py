"""The values that cross between the grader and the sandbox: data, never code.

A message is one frame: a 4-byte big-endian length, a JSON header of that
length, then the raw bytes of any arrays the header refers to. A reply's JSON
header is capped at :data:`MAX_REPLY_HEADER` and its bytes at
:data:`MAX_BUFFER_BYTES`: bulk data crosses only as typed buffers, and the
header is parsed once (:func:`parse_header`). A value that would not fit is
sent as an :class:`Unsupported` marker with ``reason="too_large"``, so the check
can tell the student what happened instead of the channel breaking. There is no
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
# A reply's JSON part (structure, small values, error records); arrays and model files go as buffers.
MAX_REPLY_HEADER = 1 << 20
# All the buffers of one frame together (arrays, a .keras file).
MAX_BUFFER_BYTES = 512 * 1024 * 1024
TOO_LARGE = "too_large"
_ALLOWED_KINDS = frozenset("biufc")
_HEADER = struct.Struct(">I")
_NAME_CHARS = 200


@dataclass(frozen=True)
class Unsupported:
    """A value the sandbox could not send as data (a model object, a function...).

    ``reason`` is ``"too_large"`` (:data:`TOO_LARGE`) for a value that is data but
    would not fit in a frame; ``size`` is then how many bytes it would have taken.
    """

    type_name: str
    reason: str = ""
    size: int = 0


class FrameTooLarge(ValueError):
    """A frame would exceed a limit; raised before anything is written."""

    def __init__(self, part: str, size: int, limit: int) -> None:
        super().__init__(f"frame {part} of {size} bytes exceeds the limit of {limit}")
        self.part = part
        self.size = size
        self.limit = limit


def too_large(value: Any, size: int) -> Unsupported:
    """The marker sent instead of ``value``, which would take ``size`` bytes in a frame."""
    return Unsupported(_type_name(value), TOO_LARGE, int(size))


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
    module = str(getattr(cls, "__module__", "?"))
    name = cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"
    return name[:_NAME_CHARS]


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
            if value.reason == TOO_LARGE:
                return {"$too_large": {"type": str(value.type_name)[:_NAME_CHARS], "bytes": int(value.size)}}
            return {"$unsupported": str(value.type_name)[:_NAME_CHARS]}
        if kind is KerasFile:
            self.buffers.append(bytes(value.data))
            return {"$keras": {"buffer": len(self.buffers) - 1, "type": str(value.type_name)[:_NAME_CHARS]}}
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


def encode_frame(header: dict[str, Any], value: Any = None, *, max_header: int | None = None,
                 max_buffers: int | None = None) -> bytes:
    """Serialise ``header`` plus ``value`` (stored under ``header["value"]``) into one frame.

    Raises :class:`FrameTooLarge` when the JSON header would exceed
    ``max_header`` or the buffers together ``max_buffers`` bytes.
    """
    encoder = _Encoder()
    body = dict(header)
    body["value"] = encoder.encode(value)
    body["buffers"] = [len(b) for b in encoder.buffers]
    total = sum(body["buffers"])
    if max_buffers is not None and total > max_buffers:
        raise FrameTooLarge("buffers", total, max_buffers)
    raw = json.dumps(body, allow_nan=False, ensure_ascii=True).encode("ascii")
    if max_header is not None and len(raw) > max_header:
        raise FrameTooLarge("header", len(raw), max_header)
    return _HEADER.pack(len(raw)) + raw + b"".join(encoder.buffers)


def frame_size(value: Any) -> int:
    """How many bytes ``value`` takes in a frame: its JSON plus its buffers."""
    encoder = _Encoder()
    tree = encoder.encode(value)
    return len(json.dumps(tree, allow_nan=False, ensure_ascii=True)) + sum(len(b) for b in encoder.buffers)


class _Decoder:
    def __init__(self, buffers: list[memoryview]) -> None:
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
            return KerasFile(bytes(self._buffer(payload)), str(payload.get("type", ""))[:_NAME_CHARS])
        if tag == "$unsupported":
            return Unsupported(str(payload)[:_NAME_CHARS])
        if tag == "$too_large" and isinstance(payload, dict):
            size = payload.get("bytes", 0)
            return Unsupported(str(payload.get("type", ""))[:_NAME_CHARS], TOO_LARGE,
                               size if type(size) is int and size >= 0 else 0)
        raise ValueError(f"unknown value tag {tag!r}")

    def _buffer(self, payload: dict[str, Any]) -> memoryview:
        number = payload.get("buffer")
        if type(number) is not int or not 0 <= number < len(self.buffers):
            raise ValueError("bad buffer reference")
        return self.buffers[number]

    def _array(self, payload: dict[str, Any]) -> np.ndarray:
        dtype = np.dtype(str(payload["dtype"]))
        if dtype.kind not in _ALLOWED_KINDS or dtype.fields is not None:
            raise ValueError(f"refused dtype {dtype}")
        shape = tuple(int(n) for n in payload["shape"])
        if any(n < 0 for n in shape) or len(shape) > 32:
            raise ValueError("bad array shape")
        data = self._buffer(payload)
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


@dataclass(frozen=True)
class ParsedHeader:
    """A frame's JSON header, parsed once: the fields, and the sizes of the buffers that follow."""

    fields: dict[str, Any]
    sizes: tuple[int, ...]

    @property
    def buffers_size(self) -> int:
        """How many bytes of buffers follow the header."""
        return sum(self.sizes)


def parse_header(raw: bytes | bytearray) -> ParsedHeader:
    """Parse a frame's JSON header (the only time it is parsed) and validate its buffer sizes.

    Raises ``ValueError`` (``RecursionError`` included) for anything malformed.
    """
    try:
        header = json.loads(raw)
    except RecursionError:
        raise ValueError("frame header nested too deeply") from None
    if not isinstance(header, dict):
        raise ValueError("frame header is not an object")
    sizes = header.pop("buffers", [])
    if not isinstance(sizes, list) or any(type(n) is not int or n < 0 for n in sizes):
        raise ValueError("bad buffer sizes")
    return ParsedHeader(header, tuple(sizes))


def decode_body(header: ParsedHeader, buffers: bytes | bytearray | memoryview) -> tuple[dict[str, Any], Any]:
    """Rebuild a frame's value from its parsed header and buffer bytes; return ``(fields, value)``.

    Raises ``ValueError`` for anything malformed; the caller turns that into a
    :class:`~autograder.errors.ProtocolError`.
    """
    if header.buffers_size != len(buffers):
        raise ValueError("frame buffer sizes do not add up")
    view = memoryview(buffers)
    parts, offset = [], 0
    for n in header.sizes:
        parts.append(view[offset:offset + n])
        offset += n
    fields = dict(header.fields)
    value = _Decoder(parts).decode(fields.pop("value", None))
    return fields, value


def decode_frame(raw: bytes, buffers: bytes | bytearray | memoryview) -> tuple[dict[str, Any], Any]:
    """Parse a frame's JSON header and array bytes; return ``(header, value)``."""
    return decode_body(parse_header(raw), buffers)


HEADER_SIZE = _HEADER.size


def unpack_length(prefix: bytes | bytearray) -> int:
    """Return the JSON header length announced by a frame's 4-byte prefix."""
    return int(_HEADER.unpack(prefix)[0])


def round_trip(value: Any) -> Any:
    """Encode ``value`` into a frame and decode it again, exactly as it would cross the channel.

    A value too large for a reply comes back as the ``too_large`` marker, as from the sandbox.
    """
    try:
        frame = encode_frame({}, value, max_header=MAX_REPLY_HEADER, max_buffers=MAX_BUFFER_BYTES)
    except FrameTooLarge:
        frame = encode_frame({}, too_large(value, frame_size(value)))
    end = HEADER_SIZE + unpack_length(frame[:HEADER_SIZE])
    return decode_frame(frame[HEADER_SIZE:end], frame[end:])[1]
