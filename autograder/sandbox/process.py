"""Starting, watching and killing one sandbox process.

Three isolation modes, chosen once per machine by :func:`isolation_mode`:

``root``
    The grader runs as root: new mount, network, PID and IPC namespaces
    (``unshare``), a control group for memory and process count, and the
    student's code runs as an unprivileged uid of its own.
``userns``
    The grader is an ordinary user: the same namespaces inside a user
    namespace; memory is bounded by ``RLIMIT_AS`` and processes by
    ``RLIMIT_NPROC``; the student's code runs as the grader's user, but the
    secret paths are hidden and there is no network.
``none``
    Neither is possible (not Linux, no ``unshare``): only resource limits and
    a process group. Results say so, and the CLI warns.
"""

from __future__ import annotations

import ctypes
import functools
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.data import COURSE_DATA_ENV, keras_files
from autograder.errors import SandboxError
from autograder.sandbox import cgroup, keras_values, zygote
from autograder.sandbox.channel import Channel

_NAMESPACES = ["--mount", "--net", "--pid", "--ipc", "--uts", "--fork", "--kill-child", "--mount-proc"]
_PR_SET_PDEATHSIG = 1
_UID_BASE = 200_000  # far above the uids a distribution hands out to people


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandbox (all sizes in bytes, times in seconds)."""

    memory_bytes: int = 2 * 1024**3
    cpu_seconds: int = 600
    file_bytes: int = 64 * 1024**2
    processes: int = 256
    output_bytes: int = 256 * 1024
    tmp_bytes: int = 512 * 1024**2
    model_bytes: int = 256 * 1024**2


@dataclass(frozen=True)
class SandboxSpec:
    """What one sandbox gets: files, hidden paths, limits, seed and language."""

    handouts: tuple[Path, ...]
    hide: tuple[Path, ...]
    limits: Limits = field(default_factory=Limits)
    seed: int = 0
    lang: str = "en"
    env: tuple[tuple[str, str], ...] = ()
    isolation: str = "auto"
    # Keras dataset files answered from disk (file name -> real path), shown read-only
    data_files: tuple[tuple[str, str], ...] = ()
    # the course data folder, shown read-only (notebooks reach it with autograder.data.course_path)
    data_dir: str | None = None
    # False: a fresh interpreter even where a warm template could fork it (a one-off sandbox)
    warm: bool = True
    # the module the sandbox runs (the notebook worker; autograder.models.host_worker for the model host)
    worker: str = "autograder.sandbox.worker"


@functools.cache
def isolation_mode() -> str:
    """Return the strongest isolation this machine allows: ``root``, ``userns`` or ``none``."""
    unshare = shutil.which("unshare")
    if not sys.platform.startswith("linux") or unshare is None:
        return "none"
    candidates = [("root", [unshare, *_NAMESPACES])] if os.geteuid() == 0 else []
    candidates.append(("userns", [unshare, "--user", "--map-root-user", *_NAMESPACES]))
    for mode, command in candidates:
        try:
            probe = subprocess.run([*command, "true"], capture_output=True, timeout=20, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return mode
    return "none"


def _package_dir() -> Path:
    import autograder

    return Path(autograder.__file__).resolve().parent


@functools.cache
def _isolated_sys_path() -> tuple[str, ...]:
    """``sys.path`` of ``python -I``, as the worker starts: the grader's own extras (its working folder,
    a script's folder, what pytest inserts) are not needed there and must not be shown."""
    try:
        found = subprocess.run([sys.executable, "-I", "-c", "import json, sys; print(json.dumps(sys.path))"],
                               capture_output=True, text=True, timeout=60, check=True).stdout
        paths = json.loads(found)
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        raise SandboxError(f"could not ask {sys.executable} for its module path: {error}") from error
    return tuple(str(p) for p in paths if isinstance(p, str))


def _reachable_paths() -> list[str]:
    """Files and folders the worker's interpreter needs to read, whatever user it runs as."""
    package = _package_dir()
    paths = {os.path.realpath(sys.executable), sys.prefix, sys.base_prefix,
             os.path.realpath(sys.base_prefix), str(package)}
    for entry in _isolated_sys_path():
        if not entry or not os.path.isdir(entry):
            continue
        if Path(entry).resolve() == package.parent:  # the checkout on the path: only its package is shown
            paths.add(os.path.join(entry, package.name))
        else:
            paths.add(entry)
    import autograder

    paths.add(os.path.dirname(os.path.abspath(autograder.__file__)))  # as imported (a symlinked checkout)
    # a path through a symlink (a linked checkout or venv) and where it really lives: both must resolve
    paths.update([os.path.realpath(p) for p in paths])
    return sorted(paths)


def _confined_dirs() -> list[str]:
    """The checkout holding the package (when it is one, not site-packages): shown only in part."""
    root = _package_dir().parent
    return [str(root)] if not root.name.endswith("-packages") else []


class _OutputDrain(threading.Thread):
    """Reads a pipe to the end, keeping the first ``cap`` bytes and counting the rest."""

    def __init__(self, stream: object, cap: int) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.cap = cap
        self.kept = bytearray()
        self.dropped = 0

    def run(self) -> None:
        read = self.stream.read1  # type: ignore[attr-defined]
        while chunk := read(65536):
            room = self.cap - len(self.kept)
            self.kept += chunk[:max(room, 0)]
            self.dropped += max(len(chunk) - max(room, 0), 0)

    def text(self) -> str:
        body = self.kept.decode("utf-8", "replace")
        return body + (f"\n[... {self.dropped} more bytes of output dropped]" if self.dropped else "")


_LIVE: weakref.WeakSet[SandboxProcess] = weakref.WeakSet()


def close_all() -> None:
    """Kill every sandbox of this process and remove its control group and files (a grader told to stop)."""
    for sandbox in list(_LIVE):
        try:
            sandbox.close()
        except (OSError, SandboxError):
            pass
    zygote.close_all()


class SandboxProcess:
    """One running sandbox: a worker process inside its namespaces, limits and tmpfs."""

    def __init__(self, spec: SandboxSpec) -> None:
        self.spec = spec
        self.mode = isolation_mode() if spec.isolation == "auto" else spec.isolation
        self.tempdir = Path(tempfile.mkdtemp(prefix="autograder-"))
        self.group: cgroup.ControlGroup | None = None
        self.start = "cold"  # or "warm": forked from a template that has imported TensorFlow
        self.start_reason: str | None = None  # why a start was cold
        self.popen: subprocess.Popen[bytes] | zygote.ForkedProcess
        self._worker_pid: int | None = None
        _LIVE.add(self)
        try:
            self._start()
        except BaseException:
            self.close()
            raise

    def _start(self) -> None:
        limits = self.spec.limits
        handouts = self.tempdir / "handouts"
        handouts.mkdir()
        for path in self.spec.handouts:
            copy = shutil.copytree if path.is_dir() else shutil.copy2
            copy(path, handouts / path.name)
        (self.tempdir / "root").mkdir()
        as_root = self.mode == "root"
        if as_root:
            self.group = cgroup.create(limits.memory_bytes, limits.processes)
        uid = _UID_BASE + random.randrange(50_000) if as_root else None
        rlimits = {"cpu": limits.cpu_seconds, "fsize": limits.file_bytes, "core": 0}
        if self.group is None:
            # without a memory cgroup, bound the address space (TensorFlow reserves
            # far more than it touches, hence the headroom)
            rlimits["as"] = limits.memory_bytes + 4 * 1024**3
        if uid is not None:
            rlimits["nproc"] = limits.processes
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp/work", "TMPDIR": "/tmp",
               "LANG": "C.UTF-8", "PYTHONHASHSEED": str(self.spec.seed), "MPLBACKEND": "Agg",
               "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1",
               "AUTOGRADER_SANDBOX": "1", "AUTOGRADER_SEED": str(self.spec.seed),
               "AUTOGRADER_LANG": self.spec.lang,
               "AUTOGRADER_FDS": f"{request_read},{reply_write}", "KERAS_HOME": "/tmp/keras",
               # which grading run a sandbox belongs to, for people (and tests) looking at processes
               "AUTOGRADER_RUN": os.environ.get("AUTOGRADER_RUN", str(os.getpid())),
               keras_values.ENV_MODEL_BYTES: str(limits.model_bytes), **dict(self.spec.env)}
        if self.spec.data_files:
            env[keras_files.ENV_FILES] = keras_files.encode({k: Path(v) for k, v in self.spec.data_files})
        if self.spec.data_dir:
            env[COURSE_DATA_ENV] = self.spec.data_dir
        if self.mode == "none":
            env["HOME"] = str(handouts)
            env["TMPDIR"] = str(handouts)
            env["KERAS_HOME"] = str(handouts / ".keras")
        launch = {"root": str(self.tempdir / "root"), "handouts": str(handouts),
                  "namespaces": self.mode != "none", "uid": uid, "gid": uid,
                  "tmp_bytes": limits.tmp_bytes, "shm_bytes": 64 * 1024**2,
                  "reach": [*_reachable_paths(), *(v for _, v in self.spec.data_files),
                            *([self.spec.data_dir] if self.spec.data_dir else [])]
                  if self.mode != "none" else [],
                  "confine": _confined_dirs() if self.mode != "none" else [],
                  "hide": [str(p) for p in self.spec.hide], "rlimits": rlimits, "env": env,
                  "argv": [sys.executable, "-I", "-m", self.spec.worker]}
        try:
            self.popen = self._fork_warm(env, launch, request_read, reply_write) or self._start_cold(env, launch)
        finally:
            os.close(request_read)
            os.close(reply_write)
        self.channel = Channel(reply_read, request_write)
        self.stdout = _OutputDrain(self.popen.stdout, limits.output_bytes)
        self.stderr = _OutputDrain(self.popen.stderr, limits.output_bytes)
        self.stdout.start()
        self.stderr.start()

    def _fork_warm(self, env: dict[str, str], launch: dict[str, Any], request_read: int,
                   reply_write: int) -> zygote.ForkedProcess | None:
        """The sandbox forked from this grader process's warm template, or None (``start_reason`` says why)."""
        self.start_reason = zygote.unavailable(self.mode) if self.spec.warm else "a one-off sandbox"
        if self.start_reason is not None:
            return None
        template = zygote.template_for(env)
        if isinstance(template, str):
            self.start_reason = template
            return None
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        launch = {**launch, "module": self.spec.worker,
                  "cgroup_procs": self.group.procs_files() if self.group is not None else []}
        try:
            pid = template.fork(launch, (request_read, reply_write, out_write, err_write))
        except (SandboxError, OSError) as error:
            os.close(out_read)
            os.close(err_read)
            self.start_reason = f"the warm template failed: {error}"
            return None
        finally:
            os.close(out_write)
            os.close(err_write)
        self.start = "warm"
        return zygote.ForkedProcess(template, pid, os.fdopen(out_read, "rb"), os.fdopen(err_read, "rb"))

    def _start_cold(self, env: dict[str, str], launch: dict[str, Any]) -> subprocess.Popen[bytes]:
        """A fresh interpreter: ``unshare`` runs the launcher, which ``exec``s the worker."""
        request_read, reply_write = (int(fd) for fd in env["AUTOGRADER_FDS"].split(","))
        command = [sys.executable, "-I", "-m", "autograder.sandbox.launcher", json.dumps(launch)]
        unshare = shutil.which("unshare") or "unshare"
        if self.mode == "root":
            command = [unshare, *_NAMESPACES, "--", *command]
        elif self.mode == "userns":
            command = [unshare, "--user", "--map-root-user", *_NAMESPACES, "--", *command]
        group = self.group

        def before_exec() -> None:
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            if group is not None:
                group.add(os.getpid())

        try:
            return subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                pass_fds=(request_read, reply_write), start_new_session=True,
                preexec_fn=before_exec, env={"PATH": env["PATH"], "LANG": "C.UTF-8"})
        except OSError as error:
            raise SandboxError(f"could not start the sandbox: {error}") from error

    @property
    def worker_pid(self) -> int | None:
        """The worker's PID as the grader sees it (inside the namespace it is 1)."""
        if self._worker_pid is None:
            if self.mode == "none":
                self._worker_pid = self.popen.pid
            else:
                children = Path(f"/proc/{self.popen.pid}/task/{self.popen.pid}/children")
                try:
                    found = children.read_text().split()
                except OSError:
                    found = []
                self._worker_pid = int(found[0]) if found else None
        return self._worker_pid

    def alive(self) -> bool:
        """Whether the sandbox process is still running."""
        return self.popen.poll() is None

    def interrupt(self) -> None:
        """Send SIGINT to the worker, as Jupyter's 'interrupt kernel' does."""
        pid = self.worker_pid
        if pid is not None:
            try:
                os.kill(pid, signal.SIGINT)
            except OSError:
                pass

    def oom_killed(self) -> bool:
        """Whether the kernel killed a process of this sandbox for memory."""
        return self.group is not None and self.group.usage().oom_killed

    def peak_memory(self) -> int | None:
        """Peak memory of the whole sandbox in bytes, when a cgroup measured it."""
        return self.group.usage().peak_bytes if self.group is not None else None

    def kill(self) -> None:
        """Kill the sandbox and everything in it; wait until it is gone."""
        if self.alive():
            try:
                if self.mode == "none":
                    os.killpg(self.popen.pid, signal.SIGKILL)
                else:
                    self.popen.kill()
            except OSError:
                pass
        if self.group is not None:
            self.group.kill_all()
        try:
            self.popen.wait(timeout=30)
        except subprocess.TimeoutExpired as error:
            raise SandboxError(f"sandbox process {self.popen.pid} did not die") from error
        if self.mode == "none":
            try:
                os.killpg(self.popen.pid, signal.SIGKILL)
            except OSError:
                pass

    def close(self) -> None:
        """Kill (if needed) and remove every trace: processes, control group, temp files."""
        if hasattr(self, "popen"):
            self.kill()
            self.channel.close()
            self.stdout.join(timeout=5)
            self.stderr.join(timeout=5)
        if self.group is not None:
            deadline = time.monotonic() + 5
            while self.group.processes() and time.monotonic() < deadline:
                time.sleep(0.02)
            self.group.remove()
        shutil.rmtree(self.tempdir, ignore_errors=True)
