"""The model host: a locked-down child process that parses the student's model bytes, never the grader.

A ``.keras`` file is the student's bytes: a zip archive, a ``config.json`` Keras
builds layers from, an HDF5 weights file h5py parses. A 9 KB file can declare
kernels of gigabytes; a 20-parameter model's prediction can need more memory
than the machine has, or hours. So the grader loads, describes and evaluates
models in a child started from the sandbox machinery
(:class:`~autograder.sandbox.process.SandboxProcess`): new mount, network, PID
and IPC namespaces, an unprivileged uid when the grader is root, the secret paths
hidden, a memory cgroup (``RLIMIT_AS`` with headroom without root),
``RLIMIT_CPU``, and ``PR_SET_PDEATHSIG`` so it dies with the grader. Only data
crosses back (the sandbox channel: JSON and typed arrays, no pickle).

One host serves one submission (:func:`hosting` makes it the one
:func:`autograder.checks.keras_expect.model` uses); it starts on the first model
and is closed when the submission's checks end. Each request has a deadline (the
assignment's ``call_time_s``), all requests of a submission together the
submission's ``wall_time_s``. A request that runs out of time or memory kills the
child and fails the check with ``model.host_timeout`` / ``model.host_memory``; the
model is marked, so later checks of it fail at once the same way, and the next
request about another model starts a fresh child that loads that model again.
"""

from __future__ import annotations

import contextlib
import hashlib
import signal
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.errors import CheckFailed, ProtocolError, SandboxError
from autograder.models.hosted import HostedModel, build, error_class, rename
from autograder.models.loading import ModelRefused, too_large
from autograder.sandbox.channel import ChannelClosed, ChannelTimeout
from autograder.sandbox.process import Limits, SandboxProcess, SandboxSpec
from autograder.sandbox.protocol import KerasFile

WORKER = "autograder.models.host_worker"
# the grader reads at most this much in one reply (the child caps predictions and weights below it)
REPLY_BYTES = 160 * 2**20
# models kept loaded in the child at once; others are loaded again when asked about
LOADED_IN_CHILD = 6
_MEMORY_WORDS = ("bad_alloc", "MemoryError", "Resource exhausted", "Cannot allocate memory", "OOM")
# what the host was doing, for the student's message (catalogue keys, translated)
DOING = {"load": "@model.doing_load", "weights": "@model.doing_weights", "predict": "@model.doing_predict",
         "call": "@model.doing_predict", "evaluate": "@model.doing_evaluate", "release": "@model.doing_load"}

_ACTIVE: ContextVar[ModelHost | None] = ContextVar("autograder_model_host", default=None)


@dataclass(frozen=True)
class HostLimits:
    """The host's limits: memory and CPU of the child, a deadline per request and for all of them."""

    memory_bytes: int = 2 * 1024**3
    cpu_seconds: int = 600
    request_s: float = 30.0
    total_s: float = 600.0
    start_s: float = 120.0  # starting the child and importing Keras: no student bytes yet
    tmp_bytes: int = 512 * 1024**2
    processes: int = 256


def active_host() -> ModelHost | None:
    """The model host of the submission being graded, if any (``grader.check`` has none: it loads in-process)."""
    return _ACTIVE.get()


@contextlib.contextmanager
def hosting(host: ModelHost) -> Iterator[ModelHost]:
    """Make ``host`` the one model checks use while the block runs."""
    token = _ACTIVE.set(host)
    try:
        yield host
    finally:
        _ACTIVE.reset(token)


@dataclass
class _Failure:
    """Why every request about a model fails from now on (its ``what`` is filled in per request)."""

    key: str
    params: dict[str, Any]

    def error(self, what: str) -> CheckFailed:
        return CheckFailed(self.key, what=what, **self.params)


class _Slot:
    """One model file (by content, size cap and ``weights``): its bytes, its number in the child, its proxy."""

    def __init__(self, host: ModelHost, file: KerasFile, max_bytes: int, weights: bool) -> None:
        self.host = host
        self.file = file
        self.max_bytes = max_bytes
        self.weights = weights
        self.number: int | None = None
        self.generation = -1
        self.model: HostedModel | None = None
        self.refused: ModelRefused | None = None
        self.failure: _Failure | None = None

    def request(self, op: str, args: dict[str, Any], what: str) -> Any:
        """See :class:`~autograder.models.hosted.Slot`."""
        return self.host.request(self, op, args, what)


class ModelHost:
    """The grader's client of one model host child (started on first use, restarted after a kill)."""

    def __init__(self, limits: HostLimits | None = None, *, hide: Sequence[Path] = (), isolation: str = "auto",
                 env: tuple[tuple[str, str], ...] = ()) -> None:
        self.limits = limits or HostLimits()
        self.hide = tuple(hide)
        self.isolation = isolation
        self.env = env
        self.process: SandboxProcess | None = None
        self.generation = 0
        self.spent = 0.0
        self.starts = 0
        self._slots: dict[tuple[str, int, bool], _Slot] = {}
        self._resident: OrderedDict[int, _Slot] = OrderedDict()
        self._next_id = 0

    # -- lifecycle ----------------------------------------------------------------------------------

    def __enter__(self) -> ModelHost:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Kill the child (if running) and remove its traces; the host can start again later."""
        process, self.process = self.process, None
        self._resident.clear()
        if process is not None:
            self.generation += 1
            process.close()

    def start(self) -> None:
        """Start the child now rather than on the first model (a run's preflight starts its template)."""
        if self.process is None:
            self._start()

    def _start(self) -> SandboxProcess:
        limits = self.limits
        sandbox = Limits(memory_bytes=limits.memory_bytes, cpu_seconds=limits.cpu_seconds,
                         file_bytes=limits.tmp_bytes, processes=limits.processes, output_bytes=64 * 1024,
                         tmp_bytes=limits.tmp_bytes)
        spec = SandboxSpec(handouts=(), hide=self.hide, limits=sandbox, isolation=self.isolation,
                           env=(("TF_CPP_MIN_LOG_LEVEL", "3"), *self.env), worker=WORKER)
        process = SandboxProcess(spec)
        process.channel.max_bytes = REPLY_BYTES
        self.starts += 1
        try:
            header, _ = process.channel.receive(time.monotonic() + limits.start_s)
            if header.get("status") != "ready":
                raise ProtocolError("the model host did not say it was ready")
        except (ChannelTimeout, ChannelClosed, ProtocolError) as error:
            detail = process.stderr.text()[-500:] if hasattr(process, "stderr") else ""
            process.close()
            raise SandboxError(f"the model host did not start ({type(error).__name__}): {detail}") from error
        self.process = process
        self.generation += 1
        return process

    # -- loading ---------------------------------------------------------------------------------------

    def load(self, file: KerasFile, *, what: str, max_bytes: int, weights: bool = True) -> HostedModel:
        """The model in ``file`` as a hosted proxy; raises :class:`ModelRefused` (the archive or Keras refused
        it) or :class:`CheckFailed` (the host ran out of time or memory loading it)."""
        if len(file.data) > max_bytes:  # the only look at the bytes the grader takes: their length
            raise too_large(len(file.data), max_bytes)
        key = (hashlib.sha256(file.data).hexdigest(), max_bytes, weights)
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slots[key] = _Slot(self, file, max_bytes, weights)
        if slot.refused is not None:
            raise ModelRefused(slot.refused.key, **slot.refused.params)
        if slot.model is None:  # a model that failed later (a prediction) keeps its description
            if slot.failure is not None:
                raise slot.failure.error(what)
            self._ensure_loaded(slot, what)
        assert slot.model is not None
        return rename(slot.model, what)

    def _ensure_loaded(self, slot: _Slot, what: str) -> None:
        if slot.generation == self.generation and slot.number is not None and self.process is not None:
            self._resident.move_to_end(id(slot))
            return
        while len(self._resident) >= LOADED_IN_CHILD:
            _, oldest = self._resident.popitem(last=False)
            if oldest.number is not None:
                self._exchange(oldest, "release", {"model": oldest.number}, what)
            oldest.number = None
        header, value = self._exchange(slot, "load", {"data": slot.file, "max_bytes": slot.max_bytes,
                                                      "weights": slot.weights}, what)
        number = header.get("model")
        if isinstance(number, bool) or not isinstance(number, int):
            raise ProtocolError("the model host sent no model number")
        slot.number, slot.generation = number, self.generation
        self._resident[id(slot)] = slot
        if slot.model is None:
            slot.model = build(slot, what, value)

    # -- requests ---------------------------------------------------------------------------------------

    def request(self, slot: _Slot, op: str, args: dict[str, Any], what: str) -> Any:
        """One request about ``slot``'s model (loading it again first in a fresh child)."""
        if slot.failure is not None:
            raise slot.failure.error(what)
        self._ensure_loaded(slot, what)
        _, value = self._exchange(slot, op, {**args, "model": slot.number}, what)
        return value

    def _exchange(self, slot: _Slot, op: str, args: dict[str, Any], what: str) -> tuple[dict[str, Any], Any]:
        left = self.limits.total_s - self.spent
        if left <= 0:
            raise self._poison(slot, "model.host_timeout", what, op, seconds=f"{self.limits.total_s:g}")
        process = self.process if self.process is not None else self._start()
        self._next_id += 1
        request_id = self._next_id
        allowed = min(self.limits.request_s, left)
        start = time.monotonic()
        try:
            process.channel.send({"op": op, "id": request_id}, args)
            header, value = process.channel.receive(start + allowed)
        except ChannelTimeout:
            self.close()
            raise self._poison(slot, "model.host_timeout", what, op, seconds=f"{allowed:g}") from None
        except (ChannelClosed, BrokenPipeError, ProtocolError) as error:
            raise self._died(slot, what, op, error) from None
        finally:
            self.spent += time.monotonic() - start
        if header.get("id") != request_id:
            self.close()
            raise ProtocolError("the model host answered another request")
        status = header.get("status")
        if status == "ok":
            return header, value
        if status == "refused" and op == "load":
            params = header.get("params")
            refused = ModelRefused(str(header.get("key"))[:100],
                                   **({str(k)[:50]: str(v)[:300] for k, v in params.items()}
                                      if isinstance(params, dict) else {}))
            slot.refused = refused
            raise refused
        if status == "memory":
            self.close()
            raise self._poison(slot, "model.host_memory", what, op, limit_mb=self._limit_mb())
        if status == "too_large":
            size, limit = header.get("size"), header.get("limit")
            raise CheckFailed("model.output_too_large", what=what, doing=DOING.get(op, op),
                              size_mb=f"{size / 2**20:.0f}" if isinstance(size, int) else "?",
                              limit_mb=f"{limit / 2**20:.0f}" if isinstance(limit, int) else "?")
        if status == "error":
            name, text = str(header.get("ename", "Error"))[:100], str(header.get("evalue", ""))[:2000]
            if op == "load":
                refused = ModelRefused("model.load_failed", detail=f"{name}: {text[:300]}")
                slot.refused = refused
                raise refused
            raise error_class(name)(text)
        self.close()
        raise ProtocolError(f"the model host answered with status {str(status)[:40]!r}")

    def _limit_mb(self) -> str:
        return f"{self.limits.memory_bytes / 2**20:.0f}"

    def _poison(self, slot: _Slot, key: str, what: str, op: str, **params: Any) -> CheckFailed:
        slot.failure = _Failure(key, {"doing": DOING.get(op, op), **params})
        return slot.failure.error(what)

    def _died(self, slot: _Slot, what: str, op: str, error: BaseException) -> CheckFailed:
        """The child stopped (or garbled its channel) during a request: say why, as well as we can tell."""
        process = self.process
        oom, code, stderr = False, None, ""
        if process is not None:
            try:
                code = process.popen.wait(timeout=10)
            except Exception:  # noqa: BLE001  (still running: it garbled the channel; it is killed below)
                code = None
            oom = process.oom_killed()
        self.close()
        if process is not None:
            stderr = process.stderr.text()[-2000:]
        if oom or any(word in stderr for word in _MEMORY_WORDS):
            return self._poison(slot, "model.host_memory", what, op, limit_mb=self._limit_mb())
        if code == -signal.SIGXCPU:
            return self._poison(slot, "model.host_timeout", what, op, seconds=f"{self.limits.cpu_seconds} (CPU)")
        if code is not None and code < 0:
            detail = f"signal {signal.Signals(-code).name}" if -code in signal.valid_signals() else f"signal {-code}"
        elif code is not None:
            detail = f"exit status {code}"
        else:
            detail = type(error).__name__
        return self._poison(slot, "model.host_crashed", what, op, detail=detail)


def limits_for(assignment_limits: Any) -> HostLimits:
    """The host's limits from an assignment's (:class:`~autograder.config.LimitsConfig`)."""
    return HostLimits(memory_bytes=assignment_limits.memory_mb * 2**20, cpu_seconds=assignment_limits.cpu_time_s,
                      request_s=float(assignment_limits.call_time_s), total_s=float(assignment_limits.wall_time_s),
                      tmp_bytes=max(assignment_limits.tmp_mb, 6 * assignment_limits.model_mb) * 2**20,
                      processes=assignment_limits.processes)
