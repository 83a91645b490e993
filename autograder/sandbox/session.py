"""Running a notebook in a sandbox and asking it questions, within time limits.

A :class:`NotebookSession` executes the code cells one by one. A cell that
raises is recorded and the next cell runs. A cell that overruns its time is
interrupted (SIGINT, as Jupyter does); if it ignores the interrupt, or kills
its own process, the sandbox is killed, restarted, and the notebook replayed
without that cell, so one bad cell costs only what depends on it. The same
holds for a function call from a check: it may be interrupted, and a function
that takes the sandbox down is not called again.
"""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from autograder.errors import ProtocolError, SandboxError
from autograder.notebook import CodeCell
from autograder.sandbox import figures
from autograder.sandbox.channel import ChannelClosed, ChannelTimeout
from autograder.sandbox.process import SandboxProcess, SandboxSpec
from autograder.sandbox.protocol import TOO_LARGE, Unsupported

INTERRUPT_GRACE_S = 2.0
MAX_RESTARTS = 3
# Before any student code: the interpreter, IPython and the data hook start (a loaded machine is slow).
STARTUP_S = 120.0


@dataclass(frozen=True)
class TimeLimits:
    """Wall-clock limits in seconds: one cell, one call from a check, the whole submission."""

    cell_s: float = 120.0
    call_s: float = 10.0
    total_s: float = 600.0


@dataclass(frozen=True)
class CellRecord:
    """What happened to one code cell. ``status``: ok, error, timeout, killed, oom, skipped."""

    index: int
    status: str
    seconds: float = 0.0
    error: dict[str, str] | None = None


@dataclass(frozen=True)
class Reply:
    """The sandbox's answer to a call or a value request.

    ``status``: ``ok``; ``error`` (the student's code raised: see ``error``);
    ``missing`` (no such name); ``not_callable``; ``timeout``; ``crashed``
    (the sandbox died); ``unavailable`` (time or restarts ran out);
    ``too_large`` (the value is data but too large to cross: see
    :data:`~autograder.sandbox.protocol.MAX_REPLY_HEADER`).
    """

    status: str
    value: Any = None
    args_after: tuple[Any, ...] = ()
    error: dict[str, str] | None = None
    seconds: float = 0.0


@dataclass
class Events:
    """Abnormal events of a session, in order, for the submission's status and reasons."""

    items: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def add(self, kind: str, **params: Any) -> None:
        self.items.append((kind, params))

    def kinds(self) -> set[str]:
        return {kind for kind, _ in self.items}


class _Died(Exception):
    def __init__(self, kind: str) -> None:
        self.kind = kind


class NotebookSession:
    """Executes code cells in a sandbox, then answers calls and value requests."""

    def __init__(self, cells: Sequence[CodeCell], spec: SandboxSpec, limits: TimeLimits) -> None:
        self.cells = list(cells)
        self.spec = spec
        self.limits = limits
        self.deadline = time.monotonic() + limits.total_s
        self.records: dict[int, CellRecord] = {}
        self.events = Events()
        self.skipped: set[int] = set()
        self.poisoned: dict[str, str] = {}
        self.restarts = 0
        self.outputs: list[str] = []
        self.figures: list[tuple[int, bytes]] = []  # (cell index, sanitised PNG) of plots the cells made
        self.peak_memory: int | None = None
        self.mode = ""
        self.start = ""  # "warm" (forked from a template with TensorFlow imported) or "cold"
        self.start_reason: str | None = None  # why it was cold
        self._ids = itertools.count(1)
        self._process: SandboxProcess | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> NotebookSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the sandbox, keeping its output and peak memory."""
        if self._process is not None:
            process = self._process
            try:
                if process.alive():
                    process.channel.send({"op": "shutdown"})
                    process.popen.wait(timeout=2)
            except (OSError, Exception):  # noqa: BLE001  (it is killed in _retire anyway)
                pass
            self._retire(process)

    def _retire(self, process: SandboxProcess) -> None:
        """Record what a finished sandbox used and printed, then remove it."""
        peak = process.peak_memory()
        if peak is not None:
            self.peak_memory = max(self.peak_memory or 0, peak)
        process.close()
        text = process.stdout.text() + process.stderr.text()
        if text:
            self.outputs.append(text)
        self._process = None

    def _start(self) -> SandboxProcess:
        if time.monotonic() >= self.deadline:
            raise _Died("total_timeout")
        process = SandboxProcess(self.spec)
        self._process = process
        self.mode = process.mode
        self.start, self.start_reason = process.start, process.start_reason
        try:
            reply, _ = process.channel.receive(time.monotonic() + STARTUP_S)
            if reply.get("op") == "ready":
                return process
            problem = f"it sent {str(reply.get('op'))[:40]!r} instead of saying it was ready"
        except ChannelTimeout:
            problem = f"it did not say it was ready within {STARTUP_S:.0f} s"
        except (ChannelClosed, ProtocolError) as error:
            problem = f"it stopped before saying it was ready ({type(error).__name__})"
        process.kill()
        output = (process.stdout.text() + process.stderr.text()).strip()
        self._retire(process)
        raise SandboxError(f"the sandbox could not start the grading interpreter {sys.executable}: {problem}. "
                           f"Its last output: {output[-1500:] or '(none)'}")

    def _lose(self, process: SandboxProcess) -> str:
        """Kill a sandbox that stopped answering; return why it died."""
        process.kill()
        kind = "oom" if process.oom_killed() else "crashed"
        self._retire(process)
        return kind

    # -- requests --------------------------------------------------------------------------
    def _request(self, header: dict[str, Any], value: Any, timeout: float) -> tuple[str, dict[str, Any], Any]:
        """Send one request; return ``(outcome, reply_header, reply_value)``.

        ``outcome`` is ``ok``, ``interrupted`` (answered after SIGINT), or raises
        :class:`_Died` with ``timeout``/``oom``/``crashed``.
        """
        process = self._process
        assert process is not None
        request_id = next(self._ids)
        header = {**header, "id": request_id}
        limit = min(time.monotonic() + timeout, self.deadline)
        interrupted = False
        try:
            process.channel.send(header, value)
            while True:
                try:
                    reply, reply_value = process.channel.receive(limit)
                except ChannelTimeout:
                    if interrupted:
                        raise _Died("timeout") from None
                    interrupted = True
                    process.interrupt()
                    limit = time.monotonic() + INTERRUPT_GRACE_S
                    continue
                if reply.get("id") == request_id:
                    return ("interrupted" if interrupted else "ok"), reply, reply_value
        except (ChannelClosed, BrokenPipeError, ProtocolError) as error:
            kind = self._lose(process)
            raise _Died(kind if not isinstance(error, ProtocolError) else "protocol") from None
        except _Died as died:
            self._lose(process)
            raise died

    def _ensure_running(self) -> SandboxProcess:
        """Return a live sandbox that has run every cell not skipped, restarting if needed."""
        if self._process is not None:
            return self._process
        if self.restarts >= MAX_RESTARTS:
            raise _Died("restarts")
        self.restarts += 1
        self._start()
        self._run_cells(replay=True)
        assert self._process is not None
        return self._process

    # -- cells -----------------------------------------------------------------------------
    def execute(self) -> list[CellRecord]:
        """Run every code cell once; return one record per cell, in order."""
        try:
            self._start()
            self._run_cells(replay=False)
        except _Died as died:
            self.events.add(died.kind)
        for cell in self.cells:
            self.records.setdefault(cell.index, CellRecord(cell.index, "not_run"))
        return [self.records[cell.index] for cell in self.cells]

    def _run_cells(self, *, replay: bool) -> None:
        position = 0
        while position < len(self.cells):
            cell = self.cells[position]
            position += 1
            if cell.index in self.skipped or (replay and cell.index not in self.records):
                continue
            try:
                request = {"op": "run_cell", "source": cell.source, "cell": cell.index + 1}  # numbered as in feedback
                outcome, reply, value = self._request(request, None, self.limits.cell_s)
            except _Died as died:
                if died.kind in ("total_timeout", "restarts"):
                    raise
                self.skipped.add(cell.index)
                if not replay:
                    status = {"timeout": "timeout", "oom": "oom"}.get(died.kind, "killed")
                    self.records[cell.index] = CellRecord(cell.index, status)
                    self.events.add(f"cell_{died.kind}", cell=cell.index, seconds=self.limits.cell_s)
                if self.restarts >= MAX_RESTARTS:
                    raise _Died("restarts") from None
                self.restarts += 1
                self._start()
                self._run_cells(replay=True)
                if replay:
                    return  # the nested replay already ran everything after this cell
                continue
            if replay:
                continue
            error = reply.get("error") if isinstance(reply.get("error"), dict) else None
            status = "ok" if reply.get("ok") is True else "error"
            if outcome == "interrupted":
                status = "timeout"
                self.events.add("cell_timeout", cell=cell.index, seconds=self.limits.cell_s)
            self.records[cell.index] = CellRecord(cell.index, status, _seconds(reply), _clean(error))
            self.figures.extend((cell.index, png) for png in figures.accept(value, len(self.figures)))
            if time.monotonic() >= self.deadline:
                raise _Died("total_timeout")

    # -- questions from checks -------------------------------------------------------------
    def call(self, name: str, *args: Any, **kwargs: Any) -> Reply:
        """Call the student's function ``name`` in the sandbox with data arguments."""
        if name in self.poisoned:
            return Reply(self.poisoned[name])
        return self._ask({"op": "call", "name": name}, [list(args), kwargs], name)

    def value(self, name: str) -> Reply:
        """Fetch the value of the student's global ``name``, as data."""
        return self._ask({"op": "value", "name": name}, None, None)

    def info(self, name: str) -> Reply:
        """Type, shape, dtype and length of the student's global ``name``, without its data."""
        return self._ask({"op": "info", "name": name}, None, None)

    def _ask(self, header: dict[str, Any], value: Any, poison: str | None) -> Reply:
        try:
            self._ensure_running()
            outcome, reply, reply_value = self._request(header, value, self.limits.call_s)
        except _Died as died:
            status = {"timeout": "timeout", "oom": "crashed", "crashed": "crashed",
                      "protocol": "crashed"}.get(died.kind, "unavailable")
            if poison is not None and status in ("timeout", "crashed"):
                self.poisoned[poison] = status
                self.events.add(f"call_{died.kind}", name=poison)
            elif status == "unavailable":
                self.events.add(died.kind)
            return Reply(status)
        if outcome == "interrupted":
            if poison is not None:
                self.poisoned[poison] = "timeout"
                self.events.add("call_timeout", name=poison)
            return Reply("timeout")
        for flag in ("missing", "not_callable"):
            if reply.get(flag):
                return Reply(flag)
        seconds = _seconds(reply)
        if header["op"] == "call":
            result, args_after = reply_value if _pair(reply_value) else (None, [])
            args = tuple(args_after) if isinstance(args_after, list) else ()
            if reply.get("ok") is True:
                return Reply(_ok_status(result), result, args, seconds=seconds)
            return Reply("error", None, args, _clean(reply.get("error")), seconds)
        if reply.get("ok") is True:
            return Reply(_ok_status(reply_value), reply_value)
        return Reply("error", error=_clean(reply.get("error")))

    def output(self) -> str:
        """The captured stdout and stderr of every sandbox this session has closed (capped)."""
        return "".join(self.outputs)


def _ok_status(value: Any) -> str:
    """``too_large`` when the sandbox could only send the marker of a value too large to cross."""
    return "too_large" if isinstance(value, Unsupported) and value.reason == TOO_LARGE else "ok"


def _pair(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2


def _seconds(reply: dict[str, Any]) -> float:
    seconds = reply.get("seconds")
    return float(seconds) if isinstance(seconds, int | float) and not isinstance(seconds, bool) else 0.0


def _clean(error: Any) -> dict[str, str] | None:
    """Keep only short strings from an error record the sandbox sent."""
    if not isinstance(error, dict):
        return None
    return {key: str(error.get(key, ""))[:8000] for key in ("ename", "evalue", "traceback")}
