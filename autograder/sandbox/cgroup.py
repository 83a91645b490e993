"""Memory and process-count limits through Linux control groups, when we may use them.

cgroup v2 (one unified hierarchy) and v1 (separate ``memory`` and ``pids``
hierarchies) are both supported. Without a writable hierarchy (not root, or a
container that hides it) :func:`create` returns None and the sandbox falls back
to ``RLIMIT_AS``, which is coarser (it counts address space, not memory used).
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

_ROOT = Path("/sys/fs/cgroup")
_PARENT = "autograder"


@dataclass(frozen=True)
class Usage:
    """What a finished sandbox used: peak memory and whether the kernel OOM-killed in it."""

    peak_bytes: int | None
    oom_killed: bool


# sandbox-<grader pid>-<random>; older versions wrote sandbox-<random>
_NAME = re.compile(r"sandbox-(?:(?P<pid>\d+)-)?[0-9a-f]{12}")


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _oom_kills(events: Path) -> int:
    try:
        for line in events.read_text().splitlines():
            name, _, value = line.partition(" ")
            if name == "oom_kill":
                return int(value)
    except (OSError, ValueError):
        pass
    return 0


class ControlGroup:
    """One sandbox's control group(s); a process joins with :meth:`add`."""

    def __init__(self, memory_dir: Path, pids_dir: Path | None, version: int) -> None:
        self.memory_dir = memory_dir
        self.pids_dir = pids_dir
        self.version = version

    def _dirs(self) -> list[Path]:
        return [self.memory_dir] + ([self.pids_dir] if self.pids_dir is not None else [])

    def procs_files(self) -> list[str]:
        """The files a process writes its own PID to, to join (a forked sandbox joins itself)."""
        return [str(directory / "cgroup.procs") for directory in self._dirs()]

    def add(self, pid: int) -> None:
        """Move ``pid`` (and so its future children) into the group."""
        for directory in self._dirs():
            (directory / "cgroup.procs").write_text(str(pid))

    def usage(self) -> Usage:
        """Return the peak memory and whether an OOM kill happened."""
        if self.version == 2:
            return Usage(_read_int(self.memory_dir / "memory.peak"),
                         _oom_kills(self.memory_dir / "memory.events") > 0)
        return Usage(_read_int(self.memory_dir / "memory.max_usage_in_bytes"),
                     _oom_kills(self.memory_dir / "memory.oom_control") > 0)

    def kill_all(self) -> None:
        """SIGKILL every process still in the group (v2 has a file for that)."""
        if self.version == 2 and (self.memory_dir / "cgroup.kill").exists():
            (self.memory_dir / "cgroup.kill").write_text("1")
            return
        for directory in self._dirs():
            for pid in _read_procs(directory):
                try:
                    os.kill(pid, 9)
                except OSError:
                    pass

    def processes(self) -> list[int]:
        """PIDs still in the group."""
        return _read_procs(self.memory_dir)

    def remove(self) -> None:
        """Delete the group's directories (after its processes are gone)."""
        for directory in self._dirs():
            try:
                directory.rmdir()
            except OSError:
                pass


def _read_procs(directory: Path) -> list[int]:
    try:
        return [int(p) for p in (directory / "cgroup.procs").read_text().split()]
    except (OSError, ValueError):
        return []


def _make(base: Path, name: str, settings: dict[str, str]) -> Path:
    directory = base / _PARENT / name
    directory.mkdir(parents=True)
    for key, value in settings.items():
        target = directory / key
        if target.exists():
            target.write_text(value)
    return directory


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale() -> int:
    """Remove empty groups whose grader died without removing them (``kill -9``); return how many.

    Group names carry the creating grader's PID (``sandbox-<pid>-<random>``), so
    a group still being set up by a live grader on this machine is left alone.
    """
    removed = 0
    for base in (_ROOT / _PARENT, _ROOT / "memory" / _PARENT, _ROOT / "pids" / _PARENT):
        if not base.is_dir():
            continue
        for directory in base.iterdir():
            match = _NAME.fullmatch(directory.name)
            if match is None or not directory.is_dir() or _read_procs(directory):
                continue
            if match["pid"] is not None and _alive(int(match["pid"])):
                continue
            try:
                directory.rmdir()
                removed += 1
            except OSError:
                pass
    return removed


def create(memory_bytes: int, max_processes: int) -> ControlGroup | None:
    """Create a group limited to ``memory_bytes`` and ``max_processes``, or None if we cannot."""
    remove_stale()
    name = f"sandbox-{os.getpid()}-{uuid.uuid4().hex[:12]}"
    try:
        if (_ROOT / "cgroup.controllers").exists():
            controllers = (_ROOT / "cgroup.controllers").read_text().split()
            if "memory" not in controllers:
                return None
            parent = _ROOT / _PARENT
            parent.mkdir(exist_ok=True)
            (parent / "cgroup.subtree_control").write_text("+memory +pids")
            directory = _make(_ROOT, name, {"memory.max": str(memory_bytes), "memory.swap.max": "0",
                                            "pids.max": str(max_processes)})
            return ControlGroup(directory, None, 2)
        if (_ROOT / "memory" / "memory.limit_in_bytes").exists():
            memory = _make(_ROOT / "memory", name, {"memory.limit_in_bytes": str(memory_bytes),
                                                    "memory.swappiness": "0"})
            pids = None
            if (_ROOT / "pids" / "cgroup.procs").exists():
                pids = _make(_ROOT / "pids", name, {"pids.max": str(max_processes)})
            return ControlGroup(memory, pids, 1)
    except OSError:
        return None
    return None
