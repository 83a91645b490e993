"""Only data crosses: the grader rebuilds arrays from bytes and refuses everything else."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest

from autograder.sandbox import protocol
from autograder.sandbox.protocol import Unsupported, View

round_trip = protocol.round_trip


def test_values_survive_with_their_types() -> None:
    value = {"a": [1, 2.5, None, True, "한글"], "t": (1, float("nan"), float("inf")),
             "arr": np.arange(6, dtype=np.float32).reshape(2, 3).T, "s": np.int16(7)}
    back = round_trip(value)
    assert isinstance(back, dict)
    assert back["a"] == [1, 2.5, None, True, "한글"]
    assert back["t"][0] == 1 and np.isnan(back["t"][1]) and back["t"][2] == float("inf")
    assert back["arr"].dtype == np.float32 and np.array_equal(back["arr"], value["arr"])
    assert back["s"] == 7 and back["s"].dtype == np.int16


def test_tricky_objects_arrive_as_plain_data_or_unsupported() -> None:
    class Always:
        def __eq__(self, other: object) -> bool:
            return True

    class Sub(np.ndarray):
        pass

    back = round_trip([Always(), np.zeros(3).view(Sub), np.array(["x"], dtype=object), lambda: 1])
    assert isinstance(back, list)
    assert isinstance(back[0], Unsupported) and "Always" in back[0].type_name
    assert type(back[1]) is np.ndarray
    assert isinstance(back[2], Unsupported) and isinstance(back[3], Unsupported)


def test_views_are_rebuilt_as_views() -> None:
    base = np.arange(20.0).reshape(4, 5)
    view = round_trip(View(base, (slice(None, None, 2), slice(1, 4)), transpose=True))
    assert isinstance(view, View)
    built = view.build()
    assert not built.flags.c_contiguous and np.array_equal(built, base[::2, 1:4].T)


@pytest.mark.parametrize("header", [
    {"value": {"$array": {"dtype": "|O", "shape": [1], "buffer": 0, "type": "x"}}, "buffers": [8]},
    {"value": {"$array": {"dtype": "<f8", "shape": [3], "buffer": 0, "type": "x"}}, "buffers": [8]},
    {"value": {"$pickle": "gASV"}, "buffers": []},
    {"value": {"a": 1, "b": 2}, "buffers": []},
])
def test_malformed_or_dangerous_frames_are_refused(header: dict[str, object]) -> None:
    raw = json.dumps(header).encode()
    with pytest.raises(ValueError):
        protocol.decode_frame(raw, b"\0" * 8 if header["buffers"] else b"")


def test_announced_size_must_match() -> None:
    raw = json.dumps({"value": None, "buffers": [5]}).encode()
    with pytest.raises(ValueError):
        protocol.decode_frame(raw, b"")
    assert protocol.unpack_length(struct.pack(">I", 7)) == 7
