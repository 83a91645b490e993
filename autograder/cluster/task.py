"""What runs on a Dask worker: hand one submission to this thread's child grader process, return its row.

The Dask worker never grades: each of its threads keeps one child grader
process (:mod:`autograder.cluster.child`) per bundle and run settings, started
on its first task and reused, as a local pool's grader process grades one
submission after another. A child that dies after it began a job was killed by
that submission (it grades one at a time): the row is ``crashed``
(``reason.grader_killed``), as a submission that kills its grader alone in the
local pool. A child that dies before it began is the machine's failure: the
task raises, and Dask retries it (``retries``), elsewhere if need be.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from autograder.cluster.bundle import unpack
from autograder.cluster.provision import Refusal, check
from autograder.grade.batch import Job, grader_killed
from autograder.results import SubmissionResult

START_TIMEOUT_S = 400.0  # a child's start: loading checks, one sandbox (and a template importing TensorFlow)
KEPT_CHILDREN = 4


class ChildLost(RuntimeError):
    """The child grader process died before it began the job: an infrastructure failure, retried."""


@dataclass(frozen=True)
class Outcome:
    """A task's answer: a result, or the worker's refusal to grade the assignment (``result`` None)."""

    worker: str
    result: SubmissionResult | None = None
    refusal: Refusal | None = None
    seconds: float = 0.0  # the task's time on the worker, from receiving the job to the result


def _exit_text(code: int | None) -> str:
    if code is None:
        return "the grader process stopped answering"
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        oom = " (often the out-of-memory killer)" if -code == signal.SIGKILL else ""
        return f"the grader process was killed by {name}{oom}"
    return f"the grader process exited with status {code}"


class _Child:
    """One child grader process and its end of the socket."""

    def __init__(self, config_path: Path, assignment: str, lang: str, hide: tuple[str, ...], engine: str) -> None:
        mine, theirs = socket.socketpair()
        env = {k: v for k, v in os.environ.items() if k != "AUTOGRADER_TEMPLATES"}
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        self.process = subprocess.Popen([sys.executable, "-m", "autograder.cluster.child", str(theirs.fileno())],
                                        pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
                                        stdout=sys.stderr.fileno(), env=env, start_new_session=False)
        theirs.close()
        self.connection = Connection(mine.detach())
        self.refusal: Refusal | None = None
        self.connection.send((str(config_path), assignment, lang, hide, os.getpid(), engine))
        reply = self._receive(START_TIMEOUT_S)
        if reply is None:
            self.close()
            raise ChildLost(f"the grader process did not start: {_exit_text(self.process.poll())}")
        if reply[0] == "refused":
            self.refusal = reply[1]
            self.close()

    def _receive(self, timeout: float | None) -> Any:
        try:
            if timeout is not None and not self.connection.poll(timeout):
                return None
            return self.connection.recv()
        except (EOFError, OSError):
            return None

    def alive(self) -> bool:
        return self.refusal is None and self.process.poll() is None

    def grade(self, job: Job) -> SubmissionResult:
        try:
            self.connection.send(job)
        except OSError:
            raise ChildLost("the grader process was gone before the job was sent") from None
        began = self._receive(None)
        if began is None:
            raise ChildLost(f"the grader process died before it began: {_exit_text(self._reap())}")
        reply = self._receive(None)
        if reply is None:  # it died grading this submission, alone: the submission killed it
            return grader_killed(job, _exit_text(self._reap()))
        result: SubmissionResult = reply[1]
        return result

    def _reap(self) -> int | None:
        try:
            return self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def close(self) -> None:
        try:
            self.connection.close()
        except OSError:
            pass
        if self.process.poll() is None:
            self.process.terminate()  # its SIGTERM handler stops its sandboxes and templates
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


_CHILDREN: dict[tuple[Any, ...], _Child] = {}
_LOCK = threading.Lock()


def _child(key: tuple[Any, ...], make: Any) -> _Child:
    with _LOCK:
        child = _CHILDREN.pop(key, None)
    if child is not None and not child.alive():
        child.close()
        child = None
    if child is None:
        child = make()
    with _LOCK:
        _CHILDREN[key] = child
        while len(_CHILDREN) > KEPT_CHILDREN:
            _CHILDREN.pop(next(iter(_CHILDREN))).close()
    return child


def _where() -> tuple[str, Path]:
    try:
        from distributed import get_worker

        worker = get_worker()
        return str(worker.address), Path(worker.local_directory)
    except ValueError:  # not in a Dask worker (tests of the task itself)
        import tempfile

        return f"local:{os.getpid()}", Path(tempfile.gettempdir()) / f"autograder-cluster-{os.getuid()}"


def bundle_root(local_directory: Path) -> Path:
    """Where a worker unpacks bundles."""
    return local_directory / "autograder-bundles"


def grade(digest: str, data: bytes, assignment: str, job: Job, lang: str, engine: str) -> Outcome:
    """Grade ``job`` of bundle ``digest`` in this thread's child grader process (the Dask task)."""
    start = time.monotonic()
    address, local = _where()
    root = bundle_root(local)
    config_path = unpack(digest, data, root)
    hide = tuple(sorted({str(root.resolve()), str(local.resolve())}))
    key = (digest, lang, engine, threading.get_ident())
    child = _child(key, lambda: _Child(config_path, assignment, lang, hide, engine))
    if child.refusal is not None:
        return Outcome(address, refusal=child.refusal)
    result = child.grade(job)
    return Outcome(address, result=result, seconds=round(time.monotonic() - start, 3))


def check_worker(digest: str, data: bytes, assignment: str, engine: str) -> tuple[str, Refusal | None]:
    """The client's check of one worker before a run: its address and its refusal, if any (no sandbox)."""
    address, local = _where()
    return address, check(unpack(digest, data, bundle_root(local)), assignment, engine)


def close_children() -> None:
    """Stop every child grader process of this worker (tests; they also die with the worker)."""
    with _LOCK:
        children = list(_CHILDREN.values())
        _CHILDREN.clear()
    for child in children:
        child.close()
