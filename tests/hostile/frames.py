"""Hostile replies: a notebook that rewrites its own sandbox worker's encoder to send frames built to
exhaust the grader (a 64 MB header of nested lists, a 4 GB announced header, a header nested past the JSON
parser's recursion limit), and an honest function whose return value is too large to cross as JSON.

The patches fire only on replies to ``naive_add`` calls (two arguments), whose honest answer is wrong
anyway, so each earns exactly ``honest`` (4.0: ``naive_relu``'s points) when the grader holds.
"""

from __future__ import annotations

from tests.conftest import GOOD_RELU
from tests.hostile.corpus import HONEST, Attack

_PATCH = """
import struct
import autograder.sandbox.protocol as _protocol
_real = _protocol.encode_frame

def _is_add_reply(value):
    return isinstance(value, list) and len(value) == 2 and isinstance(value[1], list) and len(value[1]) == 2

def _evil(header, value=None, **limits):
    if not _is_add_reply(value):
        return _real(header, value, **limits)
    body = {body}
    return {prefix} + body

_protocol.encode_frame = _evil
"""


def _patch(body: str, prefix: str = "struct.pack('>I', len(body))") -> str:
    return _PATCH.replace("{body}", body).replace("{prefix}", prefix)


FRAME_ATTACKS = (
    # 64 MB of "[]," is 21 million lists: on the grader that parsed it, 3.3 GB
    Attack("huge_nested_header", (*HONEST, _patch(
        "b'{\"ok\": true, \"id\": %d, \"value\": [' % header['id'] + b'[],' * 22_000_000 + b'[]], \"buffers\": []}'"))),
    # announces a 4 GB header and sends some of it
    Attack("huge_announced_header", (*HONEST, _patch("b'[' * 1_000_000", "struct.pack('>I', 0xFFFFFFFF)"))),
    # under the size cap, but nested far past the JSON parser's recursion limit
    Attack("deep_header", (*HONEST, _patch("b'{\"value\": ' + b'[' * 400_000 + b']' * 400_000 + b'}'"))),
    # not an attack: an honest naive_add that returns a list of lists too large to send as JSON
    Attack("oversized_return", (GOOD_RELU, "def naive_add(x, y):\n    return [[0.5] * 1000 for _ in range(300)]\n")),
)
