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
    """One side of a request/response channel over two file descriptors."""

    def __init__(self, read_fd: int, write_fd: int, *, max_bytes: int = 512 * 1024 * 1024) -> None:
        self.read_fd = read_fd
        self.write_fd = write_fd
        self.max_bytes = max_bytes
        self._pending = bytearray()

    def send(self, header: dict[str, Any], value: Any = None) -> None:
        """Write one message; blocks until the pipe takes it."""
        data = memoryview(protocol.encode_frame(header, value))
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
        if length > self.max_bytes:
            raise ProtocolError(f"message header of {length} bytes exceeds the limit")
        raw = self._read_exactly(length, deadline)
        try:
            size = protocol.buffers_size(raw)
            if size > self.max_bytes:
                raise ProtocolError(f"message of {size} bytes exceeds the limit of {self.max_bytes}")
            buffers = self._read_exactly(size, deadline)
            return protocol.decode_frame(raw, buffers)
        except (ValueError, KeyError, TypeError, IndexError, OverflowError) as error:
            raise ProtocolError(f"malformed message from the sandbox: {error}") from error

    def _read_exactly(self, n: int, deadline: float | None) -> bytes:
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
        data = bytes(self._pending[:n])
        del self._pending[:n]
        return data

    def close(self) -> None:
        """Close both descriptors (idempotent)."""
        for fd in (self.read_fd, self.write_fd):
            try:
                os.close(fd)
            except OSError:
                pass
