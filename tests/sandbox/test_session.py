"""The notebook session's interrupt, restart and replay, against a fake worker process (tests/fake_worker.py).

:class:`~autograder.sandbox.session.NotebookSession` is given :class:`FakeSandbox` instead of a sandbox: a
plain Python process speaking the worker's protocol over the same :class:`~autograder.sandbox.channel.Channel`,
which runs cells with ``exec`` and logs every request. Real processes, real pipes and real signals; no
namespaces, no IPython, no TensorFlow: each test takes about a second.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from autograder.notebook import CodeCell
from autograder.sandbox import session as session_module
from autograder.sandbox.channel import Channel
from autograder.sandbox.process import SandboxSpec, _OutputDrain
from autograder.sandbox.session import CellRecord, NotebookSession, TimeLimits

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).resolve().parents[1] / "fake_worker.py"
LIMITS = TimeLimits(cell_s=2.0, call_s=2.0, total_s=60.0)  # room for a loaded machine: a plain cell takes ms


class FakeSandbox:
    """What the session uses of :class:`~autograder.sandbox.process.SandboxProcess`, around the fake worker."""

    log: ClassVar[Path] = Path("/nonexistent")  # the fixture's: where every worker appends its requests
    started: ClassVar[list[FakeSandbox]] = []

    def __init__(self, spec: SandboxSpec) -> None:
        self.spec = spec
        self.mode, self.start, self.start_reason = "none", "cold", None
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.popen = subprocess.Popen(
            [sys.executable, str(WORKER), str(request_read), str(reply_write), str(self.log)],
            pass_fds=(request_read, reply_write), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        os.close(request_read)
        os.close(reply_write)
        self.channel = Channel(reply_read, request_write)
        self.stdout = _OutputDrain(self.popen.stdout, 1 << 16)
        self.stderr = _OutputDrain(self.popen.stderr, 1 << 16)
        self.stdout.start()
        self.stderr.start()
        self.interrupts = 0
        FakeSandbox.started.append(self)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def interrupt(self) -> None:
        self.interrupts += 1
        if self.alive():
            os.kill(self.popen.pid, signal.SIGINT)

    def oom_killed(self) -> bool:
        return False

    def peak_memory(self) -> int | None:
        return None

    def kill(self) -> None:
        if self.alive():
            self.popen.kill()
        self.popen.wait(timeout=30)

    def close(self) -> None:
        self.kill()
        self.channel.close()
        self.stdout.join(timeout=5)
        self.stderr.join(timeout=5)


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[type[FakeSandbox]]:
    monkeypatch.setattr(FakeSandbox, "log", tmp_path / "requests.log")
    monkeypatch.setattr(FakeSandbox, "started", [])
    monkeypatch.setattr(session_module, "SandboxProcess", FakeSandbox)
    monkeypatch.setattr(session_module, "INTERRUPT_GRACE_S", 3.0)  # room for SIGINT on a loaded machine (0.5 s failed)
    yield FakeSandbox
    for sandbox in FakeSandbox.started:
        assert not sandbox.alive()  # the session stopped every worker it started


def requests(fake: type[FakeSandbox]) -> list[tuple[int, str, str]]:
    """Every request the workers received: (which worker, 0 = the first started), op, cell number or name."""
    pids = [sandbox.popen.pid for sandbox in fake.started]
    rows = []
    for line in fake.log.read_text().splitlines():
        pid, op, *rest = line.split()
        rows.append((pids.index(int(pid)), op, rest[0] if rest else ""))
    return rows


def cells(*sources: str) -> list[CodeCell]:
    return [CodeCell(index, source) for index, source in enumerate(sources)]


def spec() -> SandboxSpec:
    return SandboxSpec(handouts=(), hide=(), isolation="none")


def statuses(records: list[CellRecord]) -> list[str]:
    return [r.status for r in records]


def test_cells_run_in_order_and_an_error_does_not_stop_the_next(fake: type[FakeSandbox]) -> None:
    with NotebookSession(cells("x = 2", "1 / 0", "y = x * 21"), spec(), LIMITS) as session:
        records = session.execute()
        assert session.value("y").value == 42
    assert statuses(records) == ["ok", "error", "ok"]
    assert records[1].error is not None and records[1].error["ename"] == "ZeroDivisionError"
    assert session.events.items == [] and session.restarts == 0
    assert requests(fake) == [(0, "run_cell", "1"), (0, "run_cell", "2"), (0, "run_cell", "3"),
                              (0, "value", "y"), (0, "shutdown", "")]


def test_a_cell_that_overruns_is_interrupted_and_the_worker_keeps_its_state(fake: type[FakeSandbox]) -> None:
    slow = "import time\nwhile True:\n    time.sleep(0.05)"
    with NotebookSession(cells("x = 1", slow, "y = x + 1"), spec(), LIMITS) as session:
        records = session.execute()
        assert session.value("y").value == 2
    assert statuses(records) == ["ok", "timeout", "ok"]
    assert records[1].error is not None and records[1].error["ename"] == "KeyboardInterrupt"
    assert session.events.items == [("cell_timeout", {"cell": 1, "seconds": 2.0})]
    assert len(fake.started) == 1 and fake.started[0].interrupts == 1  # SIGINT was enough: no restart
    assert session.restarts == 0


def test_a_cell_that_ignores_the_interrupt_is_killed_and_the_notebook_replayed_without_it(
        fake: type[FakeSandbox]) -> None:
    stubborn = "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    time.sleep(0.05)"
    with NotebookSession(cells("x = 1", "x = x + 1", stubborn, "y = x * 10"), spec(), LIMITS) as session:
        records = session.execute()
        assert session.value("y").value == 20  # the replayed cells rebuilt x in the new worker
    assert statuses(records) == ["ok", "ok", "timeout", "ok"]
    assert records[2].error is None
    assert session.events.items == [("cell_timeout", {"cell": 2, "seconds": 2.0})]
    assert session.restarts == 1 and session.skipped == {2}
    # the first worker ran cells 1-3; the second replays 1 and 2, skips 3, then runs 4
    assert requests(fake) == [(0, "run_cell", "1"), (0, "run_cell", "2"), (0, "run_cell", "3"),
                              (1, "run_cell", "1"), (1, "run_cell", "2"), (1, "run_cell", "4"),
                              (1, "value", "y"), (1, "shutdown", "")]
    assert fake.started[0].interrupts == 1


def test_a_cell_that_kills_its_process_is_left_out_of_the_replay(fake: type[FakeSandbox]) -> None:
    with NotebookSession(cells("x = 5", "import os\nos._exit(3)", "y = x"), spec(), LIMITS) as session:
        records = session.execute()
        assert session.value("y").value == 5
    assert statuses(records) == ["ok", "killed", "ok"]
    assert session.events.items == [("cell_crashed", {"cell": 1, "seconds": 2.0})]
    assert requests(fake)[:5] == [(0, "run_cell", "1"), (0, "run_cell", "2"),
                                  (1, "run_cell", "1"), (1, "run_cell", "3"), (1, "value", "y")]


def test_restarts_are_bounded(fake: type[FakeSandbox]) -> None:
    kill = "import os\nos._exit(1)"
    with NotebookSession(cells("x = 1", kill, kill, kill, kill, "y = 2"), spec(), LIMITS) as session:
        records = session.execute()
    # three restarts replace the workers cells 2, 3 and 4 killed; cell 5 kills the last one, and the rest is not run
    assert statuses(records) == ["ok", "killed", "killed", "killed", "killed", "not_run"]
    assert [kind for kind, _ in session.events.items] == ["cell_crashed"] * 4 + ["restarts"]
    assert session.restarts == session_module.MAX_RESTARTS
    assert len(fake.started) == 1 + session_module.MAX_RESTARTS


def test_a_call_that_kills_the_worker_is_not_made_again_and_the_next_request_gets_a_replayed_worker(
        fake: type[FakeSandbox]) -> None:
    source = "import os\nx = 7\ndef boom():\n    os._exit(1)\ndef double(v):\n    return 2 * v"
    with NotebookSession(cells(source), spec(), LIMITS) as session:
        session.execute()
        assert session.call("boom").status == "crashed"
        assert session.call("boom").status == "crashed"  # poisoned: answered without asking the worker
        assert session.call("double", 4).value == 8
        assert session.value("x").value == 7
    assert session.events.items == [("call_crashed", {"name": "boom"})]
    assert requests(fake) == [(0, "run_cell", "1"), (0, "call", "boom"),
                              (1, "run_cell", "1"), (1, "call", "double"), (1, "value", "x"), (1, "shutdown", "")]


def test_a_call_that_overruns_is_interrupted_and_poisoned(fake: type[FakeSandbox]) -> None:
    source = "import time\ndef spin():\n    while True:\n        time.sleep(0.05)\ndef one():\n    return 1"
    with NotebookSession(cells(source), spec(), LIMITS) as session:
        session.execute()
        assert session.call("spin").status == "timeout"
        assert session.call("spin").status == "timeout"  # not called again
        assert session.call("one").value == 1  # the same worker: SIGINT ended the call
    assert session.events.items == [("call_timeout", {"name": "spin"})]
    assert len(fake.started) == 1 and session.restarts == 0
    assert [r[1:] for r in requests(fake)].count(("call", "spin")) == 1
