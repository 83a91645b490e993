"""Sliding-window rate limits, per key (a token, a client address), in the server's memory."""

from __future__ import annotations

import math
import threading
import time
from collections import deque


class RateLimit:
    """At most ``limit`` hits per ``window`` seconds per key."""

    def __init__(self, limit: int, window: float, *, max_keys: int = 100_000) -> None:
        self.limit, self.window, self.max_keys = int(limit), float(window), max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, key: str, now: float | None = None) -> int:
        """0 when ``key`` may go on, else the seconds to wait (nothing is counted)."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.get(key)
            while hits and hits[0] <= moment - self.window:
                hits.popleft()
            return max(1, math.ceil(hits[0] + self.window - moment)) if hits and len(hits) >= self.limit else 0

    def hit(self, key: str, now: float | None = None) -> int:
        """Count a hit of ``key``; 0 when allowed, else the seconds to wait (the hit is not counted)."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            if len(self._hits) > self.max_keys:  # a flood of distinct keys cannot grow memory without bound
                self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > moment - self.window}
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= moment - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1, math.ceil(hits[0] + self.window - moment))
            hits.append(moment)
            return 0
