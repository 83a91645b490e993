"""A legacy ``.h5`` submission made into ``.keras`` bytes, in a sandboxed child (:mod:`autograder.exam.h5_worker`),
never in the grader: the grader sends the bytes and reads back either ``.keras`` bytes (then scored in the model
host like any ``.keras`` file) or why the file is refused. The child has the model host's limits; running out of
time or memory kills it and refuses the file (``model.host_timeout`` / ``model.host_memory``)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from autograder.errors import ProtocolError, SandboxError
from autograder.models.host import HostLimits
from autograder.models.loading import ModelRefused
from autograder.sandbox.channel import ChannelClosed, ChannelTimeout
from autograder.sandbox.process import Limits, SandboxProcess, SandboxSpec
from autograder.sandbox.protocol import KerasFile

WORKER = "autograder.exam.h5_worker"
_MEMORY_WORDS = ("bad_alloc", "MemoryError", "Resource exhausted", "Cannot allocate memory", "OOM")


def _params(value: Any) -> dict[str, str]:
    return {str(k)[:50]: str(v)[:300] for k, v in value.items()} if isinstance(value, dict) else {}


def to_keras(data: bytes, max_bytes: int, limits: HostLimits, hide: tuple[Path, ...] = ()) -> KerasFile:
    """The ``.keras`` bytes of the ``.h5`` model ``data``; raises :class:`ModelRefused` (the candidate's file) or
    :class:`SandboxError` (the child did not start)."""
    sandbox = Limits(memory_bytes=limits.memory_bytes, cpu_seconds=limits.cpu_seconds, file_bytes=limits.tmp_bytes,
                     processes=limits.processes, output_bytes=64 * 1024, tmp_bytes=limits.tmp_bytes)
    spec = SandboxSpec(handouts=(), hide=hide, limits=sandbox, env=(("TF_CPP_MIN_LOG_LEVEL", "3"),), worker=WORKER)
    process = SandboxProcess(spec)
    process.channel.max_bytes = max_bytes * 4 + 2**20
    try:
        try:
            header, _ = process.channel.receive(time.monotonic() + limits.start_s)
        except (ChannelTimeout, ChannelClosed, ProtocolError) as error:
            raise SandboxError(f"the .h5 converter did not start ({type(error).__name__}): "
                               f"{process.stderr.text()[-300:]}") from error
        if header.get("status") != "ready":
            raise SandboxError("the .h5 converter did not say it was ready")
        try:
            process.channel.send({"op": "convert", "id": 1}, {"data": KerasFile(data), "max_bytes": max_bytes})
            header, value = process.channel.receive(time.monotonic() + limits.request_s)
        except ChannelTimeout:
            raise ModelRefused("model.host_timeout", doing="@model.doing_load",
                               seconds=f"{limits.request_s:g}") from None
        except (ChannelClosed, BrokenPipeError, ProtocolError):
            try:
                process.popen.wait(timeout=10)
            except Exception:  # noqa: BLE001  (still running: killed below)
                pass
            if process.oom_killed() or any(w in process.stderr.text()[-2000:] for w in _MEMORY_WORDS):
                raise ModelRefused("model.host_memory", doing="@model.doing_load",
                                   limit_mb=f"{limits.memory_bytes / 2**20:.0f}") from None
            raise ModelRefused("model.host_crashed", doing="@model.doing_load", detail="the .h5 converter stopped") \
                from None
    finally:
        process.close()
    status = header.get("status")
    if header.get("id") == 1 and status == "ok" and isinstance(value, KerasFile) and len(value.data) <= max_bytes * 4:
        return KerasFile(value.data)
    if status == "refused":
        raise ModelRefused(str(header.get("key"))[:100], **_params(header.get("params")))
    if status == "memory":
        raise ModelRefused("model.host_memory", doing="@model.doing_load",
                           limit_mb=f"{limits.memory_bytes / 2**20:.0f}")
    if status == "error":
        raise ModelRefused("model.load_failed", detail=f"{str(header.get('ename'))[:100]}: "
                                                       f"{str(header.get('evalue'))[:300]}")
    raise ProtocolError(f"the .h5 converter answered with status {str(status)[:40]!r}")
