"""Only data crosses: the grader rebuilds arrays from bytes and refuses everything else."""

from __future__ import annotations

import json
import os
import struct
import threading
import time
from typing import Any

import numpy as np
import pytest

from autograder.errors import ProtocolError
from autograder.sandbox import protocol, worker
from autograder.sandbox.channel import Channel
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


# -- frames from a hostile sandbox: capped, parsed once -------------------------------------------------------

def _pipe_channels() -> tuple[Channel, Channel]:
    """(sandbox side, grader side) of one direction, as the worker and SandboxProcess build them."""
    read_fd, write_fd = os.pipe()
    sandbox = Channel(os.open(os.devnull, os.O_RDONLY), write_fd, max_header_bytes=protocol.MAX_BUFFER_BYTES)
    return sandbox, Channel(read_fd, os.open(os.devnull, os.O_WRONLY))


def _write_in_background(fd: int, data: bytes) -> threading.Thread:
    def write() -> None:
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(fd, view):]
        except OSError:  # the reader refused the frame and closed its end
            pass

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def test_a_reply_header_over_the_cap_is_refused_unread() -> None:
    sandbox, grader = _pipe_channels()
    body = b'{"ok": true, "id": 1, "value": [' + b"[]," * 700_000 + b'[]], "buffers": []}'  # 2 MB of lists
    assert protocol.MAX_REPLY_HEADER < len(body) < 512 * 2**20
    writer = _write_in_background(sandbox.write_fd, struct.pack(">I", len(body)) + body)
    with pytest.raises(ProtocolError, match="exceeds the limit"):
        grader.receive(time.monotonic() + 10)
    assert len(grader._pending) < 65536 * 2  # only the prefix (and what one read brought) was taken
    grader.close()
    sandbox.close()
    writer.join(5)


def test_a_reply_header_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox, grader = _pipe_channels()
    calls = []
    real_loads = protocol.json.loads

    def counting(raw: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(len(raw))
        return real_loads(raw, *args, **kwargs)

    monkeypatch.setattr(protocol.json, "loads", counting)
    writer = _write_in_background(sandbox.write_fd, protocol.encode_frame({"ok": True}, [np.arange(3.0), "x"]))
    header, value = grader.receive(time.monotonic() + 10)
    writer.join(5)
    assert header == {"ok": True} and np.array_equal(value[0], np.arange(3.0)) and value[1] == "x"
    assert len(calls) == 1


def test_a_header_nested_past_the_recursion_limit_is_a_protocol_error() -> None:
    sandbox, grader = _pipe_channels()
    body = b'{"value": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    writer = _write_in_background(sandbox.write_fd, struct.pack(">I", len(body)) + body)
    with pytest.raises(ProtocolError):
        grader.receive(time.monotonic() + 10)
    writer.join(5)


@pytest.mark.parametrize("payload", [{"buffer": -1}, {"buffer": True}, {"buffer": 1.0}, {"buffer": 3}])
def test_buffer_references_must_name_a_buffer(payload: dict[str, object]) -> None:
    raw = json.dumps({"value": {"$array": {"dtype": "<f8", "shape": [1], "type": "x", **payload}},
                      "buffers": [8]}).encode()
    with pytest.raises(ValueError, match="buffer reference"):
        protocol.decode_frame(raw, b"\0" * 8)


def _worker_sends(op: str, value: Any) -> tuple[dict[str, Any], Any]:
    """What the grader receives when the (unpatched) sandbox worker replies ``value`` to ``op``."""
    sandbox, grader = _pipe_channels()
    fake = worker.Worker.__new__(worker.Worker)  # only its channel: no IPython shell needed
    fake.channel = sandbox
    thread = threading.Thread(target=fake._send, args=(op, {"ok": True, "id": 7}, value), daemon=True)
    thread.start()
    try:
        return grader.receive(time.monotonic() + 30)
    finally:
        thread.join(30)
        sandbox.close()
        grader.close()


def test_the_worker_sends_a_value_too_large_for_a_reply_as_a_marker() -> None:
    nested = [[0.5] * 10 for _ in range(100_000)]  # ~5 MB of JSON
    header, value = _worker_sends("value", nested)
    assert header == {"ok": True, "id": 7}
    assert value == Unsupported("list", protocol.TOO_LARGE, protocol.frame_size(nested))
    assert value.size > protocol.MAX_REPLY_HEADER


def test_the_worker_keeps_large_arrays_and_marks_only_the_oversized_part_of_a_call() -> None:
    big = np.arange(30_000_000, dtype=np.float32)  # 120 MB: buffers, not JSON
    header, value = _worker_sends("call", [big, [[[1] * 10] * 200_000, np.ones(3)]])
    assert header["ok"] is True
    result, args = value
    assert isinstance(result, np.ndarray) and np.array_equal(result, big)
    assert isinstance(args[0], Unsupported) and args[0].reason == protocol.TOO_LARGE
    assert np.array_equal(args[1], np.ones(3))


def test_the_worker_says_so_when_even_the_marker_does_not_fit() -> None:
    header, value = _worker_sends("info", {"type": "x" * (2 * protocol.MAX_REPLY_HEADER)})
    assert header["ok"] is True and isinstance(value, Unsupported) and value.reason == protocol.TOO_LARGE
    oversized = {"ok": True, "id": 7, "note": "y" * (2 * protocol.MAX_REPLY_HEADER)}
    sandbox, grader = _pipe_channels()
    fake = worker.Worker.__new__(worker.Worker)
    fake.channel = sandbox
    thread = threading.Thread(target=fake._send, args=("value", oversized, 1), daemon=True)
    thread.start()
    header, value = grader.receive(time.monotonic() + 30)
    thread.join(30)
    assert header["ok"] is False and header["error"]["ename"] == "ReplyTooLarge" and header["id"] == 7


def test_round_trip_gives_the_marker_the_grader_would_get() -> None:
    back = round_trip({"rows": [list(range(50))] * 20_000})
    assert isinstance(back, Unsupported) and back.reason == protocol.TOO_LARGE and back.type_name == "dict"
    assert round_trip(Unsupported("x", protocol.TOO_LARGE, 5)) == Unsupported("x", protocol.TOO_LARGE, 5)


def test_a_too_large_marker_becomes_a_reply_the_check_explains() -> None:
    from autograder.checks import expect
    from autograder.errors import CheckFailed
    from autograder.i18n import message
    from autograder.sandbox.session import Reply, _ok_status

    marker = Unsupported("list", protocol.TOO_LARGE, 5_000_000)
    assert _ok_status(marker) == "too_large" and _ok_status(Unsupported("function")) == "ok"
    with pytest.raises(CheckFailed) as caught:
        expect.returned(Reply("too_large", marker), "naive_relu(float64 array (2, 2))")
    failure = caught.value
    for lang in ("en", "ko"):
        text = message(failure.key, lang, **failure.params)
        assert "naive_relu(float64 array (2, 2))" in text and "NumPy" in text
