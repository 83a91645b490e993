"""Framed messages over a pair of pipes, with deadlines and a size cap.

The grader reads with a deadline (a student function may never answer) and a
size cap (a student may write a frame announcing 10 GB); both end in an
exception, never in a hang or an unbounded allocation.
"""

from __future__ import annotations

import os
import select
import time
from typing import Any

from autograder.errors import ProtocolError
from autograder.sandbox import protocol


class ChannelTimeout(TimeoutError):
    """No complete message arrived before the deadline."""


class ChannelClosed(EOFError):
    """The other side closed the channel (the sandbox process died)."""


class Channel:
    """One side of a request/response channel over two file descriptors.

    ``max_header_bytes`` caps the JSON header of a message received (the grader
    reads the sandbox's replies with :data:`~autograder.sandbox.protocol.MAX_REPLY_HEADER`;
    the sandbox reads the grader's requests, which carry cell sources, with a
    larger cap), ``max_bytes`` the buffers that follow it. A frame over either
    is refused after reading its 4-byte prefix or its header, never allocated.
    """

    def __init__(self, read_fd: int, write_fd: int, *, max_header_bytes: int = protocol.MAX_REPLY_HEADER,
                 max_bytes: int = protocol.MAX_BUFFER_BYTES) -> None:
        self.read_fd = read_fd
        self.write_fd = write_fd
        self.max_header_bytes = max_header_bytes
        self.max_bytes = max_bytes
        self._pending = bytearray()

    def send(self, header: dict[str, Any], value: Any = None, *, max_header: int | None = None,
             max_buffers: int | None = None) -> None:
        """Write one message; blocks until the pipe takes it.

        Raises :class:`~autograder.sandbox.protocol.FrameTooLarge`, before
        writing anything, when the frame would exceed ``max_header`` or ``max_buffers``.
        """
        frame = protocol.encode_frame(header, value, max_header=max_header, max_buffers=max_buffers)
        data = memoryview(frame)
        while data:
            written = os.write(self.write_fd, data)
            data = data[written:]

    def receive(self, deadline: float | None = None) -> tuple[dict[str, Any], Any]:
        """Read one message; ``deadline`` is a ``time.monotonic()`` instant or None.

        Raises :class:`ChannelTimeout`, :class:`ChannelClosed` or
        :class:`~autograder.errors.ProtocolError`.
        """
        prefix = self._read_exactly(protocol.HEADER_SIZE, deadline)
        length = protocol.unpack_length(prefix)
        if length > self.max_header_bytes:
            raise ProtocolError(f"message header of {length} bytes exceeds the limit of {self.max_header_bytes}")
        raw = self._read_exactly(length, deadline)
        try:
            header = protocol.parse_header(raw)
            del raw
            size = header.buffers_size
            if size > self.max_bytes:
                raise ProtocolError(f"message of {size} bytes exceeds the limit of {self.max_bytes}")
            buffers = self._read_exactly(size, deadline)
            return protocol.decode_body(header, buffers)
        except (ValueError, KeyError, TypeError, IndexError, OverflowError, RecursionError) as error:
            raise ProtocolError(f"malformed message from the sandbox: {error}") from error

    def _read_exactly(self, n: int, deadline: float | None) -> bytes | bytearray:
        while len(self._pending) < n:
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ChannelTimeout()
                ready, _, _ = select.select([self.read_fd], [], [], remaining)
                if not ready:
                    raise ChannelTimeout()
            chunk = os.read(self.read_fd, max(65536, min(n - len(self._pending), 1 << 24)))
            if not chunk:
                raise ChannelClosed()
            self._pending += chunk
        if len(self._pending) == n:  # the usual case: hand the bytes over without copying them
            whole, self._pending = self._pending, bytearray()
            return whole
        with memoryview(self._pending) as view:
            data = bytes(view[:n])
        del self._pending[:n]
        return data

    def close(self) -> None:
        """Close both descriptors (idempotent)."""
        for fd in (self.read_fd, self.write_fd):
            try:
                os.close(fd)
            except OSError:
                pass
