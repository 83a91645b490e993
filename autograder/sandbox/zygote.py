"""Warm sandboxes: a template process that has imported TensorFlow once, forked for each submission.

A notebook's own ``import tensorflow`` costs 3-5 s, and a Python with TensorFlow
loaded takes another 1.4 s to exit; every sandbox paid both. The template
("zygote") is a clean interpreter started by a grader process with the
sandbox's environment: it installs the Keras data hook, imports NumPy, IPython,
Matplotlib, TensorFlow, Keras and the workers, and never runs a TensorFlow op
(TensorFlow's thread pools do not survive ``fork`` once an op has run: the
child hangs). It never sees checks, hidden data or student code.

For each sandbox the grader sends the launch description (the same one the
cold launcher gets) and four descriptors (request, reply, stdout, stderr). The
template forks a *keeper*, which joins the sandbox's control group before
anything else, keeps only those descriptors, unshares the mount, network, PID,
IPC and UTS namespaces and forks the namespace's PID 1; that process runs the
launcher's own :func:`~autograder.sandbox.launcher.setup` (tmpfs, exact paths,
hidden secrets), mounts ``/proc``, drops privileges exactly as a cold sandbox
does, replaces the environment, and runs the worker's ``main`` in place of
``exec``. The keeper waits for it and exits with its status (a signal is passed
on as the same signal), which the template reports to the grader. Killing the
keeper kills the sandbox (PID 1 dies with its parent, the namespace with PID 1).

The template checks itself at start (a forked child trains a tiny model under
a timeout) and is given up for cold starts if that fails; it is replaced after
:data:`MAX_SANDBOXES` sandboxes or when it dies.
"""

from __future__ import annotations

import abc
import atexit
import ctypes
import gc
import hashlib
import json
import multiprocessing.util
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from autograder.errors import SandboxError

MAX_SANDBOXES = 200
START_ENV = "AUTOGRADER_SANDBOX_START"  # the configuration's sandbox_start, for every grader process
SHARED_ENV = "AUTOGRADER_TEMPLATES"  # the run's templates, for its grader processes (see published())
START_S = 180.0  # importing TensorFlow on a loaded 2-core machine, plus the self-test
SELF_TEST_S = 90.0
_MESSAGE_BYTES = 1 << 20
_PR_SET_PDEATHSIG = 1
_CLONE_NEWNS, _CLONE_NEWUTS, _CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
_CLONE_NEWPID, _CLONE_NEWNET = 0x20000000, 0x40000000
# in the sandbox: the request and reply channel's descriptors, as the worker reads them from AUTOGRADER_FDS
_REQUEST_FD, _REPLY_FD = 3, 4


# -- the grader's side ----------------------------------------------------------------------------------------
class ForkedProcess:
    """A sandbox forked by the template, with the part of :class:`subprocess.Popen` the sandbox uses."""

    def __init__(self, template: _Client, pid: int, stdout: BinaryIO, stderr: BinaryIO) -> None:
        self.template = template
        self.pid = pid
        self.stdout = stdout
        self.stderr = stderr
        self.returncode: int | None = None
        self._pidfd = os.pidfd_open(pid)

    def poll(self) -> int | None:
        """The exit code when it has ended (negative: the signal that ended it), else None."""
        if self.returncode is None and select.select([self._pidfd], [], [], 0)[0]:
            self.returncode = self.template.exit_code(self.pid)
            os.close(self._pidfd)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait until it ends; :class:`subprocess.TimeoutExpired` after ``timeout`` seconds."""
        if self.returncode is None:
            if not select.select([self._pidfd], [], [], timeout)[0]:
                raise subprocess.TimeoutExpired(f"sandbox {self.pid}", timeout or 0)
            self.poll()
        assert self.returncode is not None
        return self.returncode

    def kill(self) -> None:
        """SIGKILL to the keeper, by pidfd (never to a reused PID)."""
        if self.returncode is None:
            try:
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
            except OSError:
                pass


@dataclass(frozen=True)
class _Key:
    """What a template fixes at import time and so must be the same for every sandbox it forks."""

    env: tuple[tuple[str, str], ...]


class _Client(abc.ABC):
    """The grader's end of a template's socket: ask it for sandboxes and for their exit codes."""

    socket: socket.socket
    forked: int
    _lock: threading.Lock

    def _receive(self, timeout: float) -> dict[str, Any] | None:
        if not select.select([self.socket], [], [], timeout)[0]:
            return None
        data = self.socket.recv(_MESSAGE_BYTES)
        if not data:
            return None
        reply = json.loads(data)
        return reply if isinstance(reply, dict) else None

    def fork(self, launch: dict[str, Any], fds: tuple[int, int, int, int]) -> int:
        """A new sandbox for ``launch`` with (request, reply, stdout, stderr); return the keeper's PID."""
        with self._lock:
            socket.send_fds(self.socket, [json.dumps(launch).encode()], list(fds))
            reply = self._receive(60)
        self.forked += 1
        if reply is None or not isinstance(reply.get("pid"), int):
            raise SandboxError(f"the warm template did not fork a sandbox: {reply}")
        return int(reply["pid"])

    def exit_code(self, pid: int) -> int:
        """The exit code of a keeper that has ended (the template reaps it)."""
        with self._lock:
            try:
                self.socket.send(json.dumps({"status": pid}).encode())
                reply = self._receive(30)
            except OSError:
                reply = None
        code = reply.get("code") if reply else None
        return int(code) if isinstance(code, int) else -signal.SIGKILL

    @abc.abstractmethod
    def alive(self) -> bool:
        """Whether the template process still runs."""

    @abc.abstractmethod
    def close(self) -> None:
        """Let go of the template (its sandboxes die with the connection)."""


class Template(_Client):
    """One template process this process started, and the socket it asks it for sandboxes on.

    The template also listens on ``address`` (a socket in its own mode-700 folder) for other grader
    processes of the same run: :func:`published` names it, :class:`Shared` connects to it.
    """

    def __init__(self, env: dict[str, str]) -> None:
        _clean_up_at_exit()
        self.folder = Path(tempfile.mkdtemp(prefix=f"{_FOLDER_PREFIX}{os.getpid()}-"))
        self.address = self.folder / "template.sock"
        self.forked = 0
        self._lock = threading.Lock()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.socket = ours
        settings = {**env, "HOME": str(self.folder), "KERAS_HOME": str(self.folder / "keras"),
                    "MPLCONFIGDIR": str(self.folder / "matplotlib"), "TMPDIR": str(self.folder),
                    "AUTOGRADER_ZYGOTE_FD": str(theirs.fileno())}
        self.log = (self.folder / "template.log").open("wb")

        def die_with_the_grader() -> None:
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

        try:
            # -s -P, not -I: PYTHONHASHSEED must count (every sandbox gets the configured hash seed)
            self.popen = subprocess.Popen(
                [sys.executable, "-s", "-P", "-m", "autograder.sandbox.zygote"], cwd=self.folder, env=settings,
                stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log, pass_fds=(theirs.fileno(),),
                preexec_fn=die_with_the_grader, start_new_session=True)
        finally:
            theirs.close()
        reply = self._receive(START_S)
        if reply is None or not reply.get("ok"):
            reason = (reply or {}).get("reason") or "it did not start"
            self.close()
            raise SandboxError(f"the warm template is not usable: {str(reason)[:500]}")
        self.listening = bool(reply.get("listening"))

    def alive(self) -> bool:
        """Whether the template process still runs."""
        return self.popen.poll() is None

    def close(self) -> None:
        """Stop the template and remove its folder."""
        self.socket.close()
        if hasattr(self, "popen"):
            self.popen.kill()
            self.popen.wait()
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class Shared(_Client):
    """A connection to a template another process of the run started (:func:`published`).

    Closing it (or this process dying) makes the template kill every sandbox it forked for it.
    """

    def __init__(self, address: str, pid: int) -> None:
        self.forked = 0
        self._lock = threading.Lock()
        self._pidfd = os.pidfd_open(pid)
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.socket.settimeout(10)
            self.socket.connect(address)
            self.socket.settimeout(None)
            uid = struct.unpack("3i", self.socket.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
            if uid[0] != pid or uid[1] != 0:  # the template we were told of, running as root
                raise SandboxError(f"the shared template at {address} is not process {pid} of root")
        except BaseException:
            self.close()
            raise

    def alive(self) -> bool:
        """Whether the template process still runs."""
        return self._pidfd >= 0 and not select.select([self._pidfd], [], [], 0)[0]

    def close(self) -> None:
        self.socket.close()
        if self._pidfd >= 0:
            os.close(self._pidfd)
            self._pidfd = -1


_CURRENT: dict[_Key, _Client] = {}  # oldest first
_REFUSED: dict[_Key, str] = {}
_SHARED_GONE: set[str] = set()  # published templates that died or refused us: this process starts its own
# templates kept per grader process: the notebooks' and the model host's (their settings differ)
KEPT = 2


def unavailable(mode: str) -> str | None:
    """Why sandboxes start cold here (None: warm starts are possible)."""
    if os.environ.get(START_ENV, "auto") == "cold":
        return "sandbox_start: cold in the configuration"
    if mode != "root":
        return f"isolation {mode}: warm starts need the grader to run as root"
    if not hasattr(os, "pidfd_open"):
        return "this system has no pidfd_open"
    if any(Path("/dev").glob("nvidia[0-9]*")):
        return "a GPU is present (CUDA does not survive fork)"
    return None


def _key(env: dict[str, str]) -> _Key:
    return _Key(tuple(sorted((k, v) for k, v in env.items() if k not in _PER_SANDBOX and k not in _UNKEYED)))


def _name(key: _Key) -> str:
    return hashlib.sha256(json.dumps(key.env).encode()).hexdigest()[:24]


def _shared(key: _Key) -> Shared | None:
    """A connection to the run's published template for ``key``, if there is one that answers."""
    name = _name(key)
    if name in _SHARED_GONE:
        return None
    try:
        entry = json.loads(os.environ.get(SHARED_ENV) or "{}").get(name)
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], int)):
            return None
        return Shared(str(entry[0]), entry[1])
    except (OSError, ValueError, SandboxError):
        _SHARED_GONE.add(name)
        return None


def template_for(env: dict[str, str]) -> _Client | str:
    """The template process for sandboxes with ``env``, or why there is none: the run's published one
    (started by the process that runs the grader processes), else this process's own (started or
    replaced as needed)."""
    key = _key(env)
    if key in _REFUSED:
        return _REFUSED[key]
    template = _CURRENT.pop(key, None)
    if template is not None and not template.alive():
        if isinstance(template, Shared):
            _SHARED_GONE.add(_name(key))
        template.close()
        template = None
    if template is not None and template.forked >= MAX_SANDBOXES:  # replaced after N sandboxes
        if isinstance(template, Shared):  # the run's serves this process no more: one of its own from now on
            _SHARED_GONE.add(_name(key))
        template.close()
        template = None
    if template is None:
        template = _shared(key)
    if template is None:
        while len(_CURRENT) >= KEPT:
            _CURRENT.pop(next(iter(_CURRENT))).close()
        try:
            template = Template({k: v for k, v in env.items() if k not in _PER_SANDBOX})
        except (SandboxError, OSError) as error:
            _REFUSED[key] = str(error)
            return _REFUSED[key]
    _CURRENT[key] = template  # the most recently used last
    return template


def published() -> str:
    """The templates this process started that others may use, for :data:`SHARED_ENV` (JSON: name of the
    settings -> [socket, pid]). A run sets it before it starts its grader processes, which then fork
    their sandboxes from these instead of each importing TensorFlow into a template of its own."""
    shared = {key: t for key, t in _CURRENT.items() if isinstance(t, Template) and t.listening and t.alive()}
    _PUBLISHED.update(shared)
    return json.dumps({_name(key): [str(t.address), t.popen.pid] for key, t in shared.items()})


_PUBLISHED: set[_Key] = set()


def withdraw() -> None:
    """The run is over: stop the templates :func:`published` offered (their grader processes are gone) and
    forget :data:`SHARED_ENV`, so that nothing of the run outlives it in a process that goes on."""
    for key in _PUBLISHED:
        template = _CURRENT.pop(key, None)
        if template is not None:
            template.close()
    _PUBLISHED.clear()
    os.environ.pop(SHARED_ENV, None)


_FOLDER_PREFIX = "autograder-zygote-"
_REGISTERED: list[bool] = []


def _clean_up_at_exit() -> None:
    """Once per process: close the templates at exit (a pool's grader processes run multiprocessing's
    finalizers, not atexit), and remove the folders of templates whose grader was killed."""
    if _REGISTERED:
        return
    _REGISTERED.append(True)
    atexit.register(close_all)
    multiprocessing.util.Finalize(None, close_all, exitpriority=100)
    for folder in Path(tempfile.gettempdir()).glob(f"{_FOLDER_PREFIX}*-*"):
        owner = folder.name[len(_FOLDER_PREFIX):].split("-", 1)[0]
        if owner.isdigit() and not Path(f"/proc/{owner}").exists():
            shutil.rmtree(folder, ignore_errors=True)


def close_all() -> None:
    """Stop every template of this process (tests; a grader process's templates also die with it)."""
    for template in _CURRENT.values():
        template.close()
    _CURRENT.clear()


# Set per sandbox, after the fork (the rest of the environment is the template's, and it is what
# /proc/<pid>/environ shows for a forked sandbox: AUTOGRADER_RUN, the run a process belongs to, stays there).
_PER_SANDBOX = frozenset({"AUTOGRADER_FDS"})
# Not part of what a template is looked up by: the run a grader process says it belongs to (its own PID
# unless the run set it) may differ between grader processes of one run sharing one template.
_UNKEYED = frozenset({"AUTOGRADER_RUN"})


# -- the template's side --------------------------------------------------------------------------------------
def _warm_imports() -> None:
    """Import what notebooks and the workers import, without running any TensorFlow op."""
    from autograder.data import keras_files, keras_hook

    keras_hook.install(keras_files.decode(os.environ.get(keras_files.ENV_FILES, "")),
                       os.environ.get("AUTOGRADER_LANG", "en"))
    import IPython.core.interactiveshell  # noqa: F401
    import keras  # noqa: F401
    import matplotlib.pyplot  # noqa: F401
    import numpy  # noqa: F401
    import tensorflow  # noqa: F401

    import autograder.models.host_worker
    import autograder.sandbox.launcher
    import autograder.sandbox.worker  # noqa: F401


def _self_test() -> str | None:
    """Fork a child that trains and runs a tiny model; return what went wrong, if anything."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            signal.alarm(int(SELF_TEST_S))
            import keras
            import numpy as np

            model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
            model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
            model.fit(np.ones((8, 4)), np.zeros(8), epochs=1, verbose=0)
            code = 0 if model.predict(np.ones((2, 4)), verbose=0).shape == (2, 2) else 1
        finally:
            os._exit(code)
    deadline = time.monotonic() + SELF_TEST_S + 5
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            return None if code == 0 else f"a forked child could not train a model (exit {code})"
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return "a forked child hung while training a model (TensorFlow ran an op at import?)"


def _serve(control: socket.socket, listener: socket.socket | None) -> None:
    """Fork sandboxes for the grader that started us (``control``; its end closing ends us) and for the
    grader processes that connect to ``listener``; a connection that closes takes its sandboxes with it."""
    finished: dict[int, int] = {}
    owner: dict[int, socket.socket | None] = {}  # a keeper's PID -> its connection (None: gone)
    clients = [control]
    while True:
        ready = select.select([*clients, *([listener] if listener else [])], [], [], 0.5)[0]
        while True:  # reap promptly (control groups v1 list zombies), keep the codes for the grader
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            if owner.pop(pid, None) is not None:
                finished[pid] = os.waitstatus_to_exitcode(status)
        for client in ready:
            if client is listener:
                try:
                    clients.append(listener.accept()[0])
                except OSError:
                    pass
                continue
            try:
                data, fds, _, _ = socket.recv_fds(client, _MESSAGE_BYTES, 4)
            except OSError:
                data, fds = b"", []
            if not data:
                if client is control:
                    return  # the grader that started us closed its end
                clients.remove(client)
                _forget(client, owner, finished)
                continue
            _answer(client, json.loads(data), fds, owner, finished)


def _forget(client: socket.socket, owner: dict[int, socket.socket | None], finished: dict[int, int]) -> None:
    """A grader process went away: kill the sandboxes forked for it (still our unreaped children)."""
    for pid in [pid for pid, by in owner.items() if by is client]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        owner[pid] = None  # reaped later, its code dropped
    client.close()


def _answer(client: socket.socket, request: dict[str, Any], fds: list[int], owner: dict[int, socket.socket | None],
            finished: dict[int, int]) -> None:
    if "status" in request:
        pid = int(request["status"])
        if pid in owner and owner[pid] is client:
            try:
                finished[pid] = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
            except ChildProcessError:
                finished[pid] = -signal.SIGKILL
            del owner[pid]
        client.send(json.dumps({"code": finished.pop(pid, -signal.SIGKILL)}).encode())
        return
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        try:
            _keeper(request, fds)
        finally:
            os._exit(127)
    for fd in fds:
        os.close(fd)
    owner[pid] = client
    client.send(json.dumps({"pid": pid}).encode())


def _die_with_parent() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:  # the parent died before the line above
        os._exit(1)


def _keep_only(fds: list[int]) -> None:
    """Descriptors 0-4 become /dev/null, stdout, stderr, request, reply; every other one is closed."""
    import fcntl

    # first above every target, so that no dup2 below overwrites a source it still needs
    request, reply, stdout, stderr = (fcntl.fcntl(fd, fcntl.F_DUPFD, 100) for fd in fds)
    null = fcntl.fcntl(os.open(os.devnull, os.O_RDONLY), fcntl.F_DUPFD, 100)
    for source, target in ((null, 0), (stdout, 1), (stderr, 2), (request, _REQUEST_FD), (reply, _REPLY_FD)):
        os.dup2(source, target)
    os.closerange(_REPLY_FD + 1, os.sysconf("SC_OPEN_MAX"))


def _keeper(launch: dict[str, Any], fds: list[int]) -> None:
    """In the forked child: join the control group, unshare, fork PID 1 and wait for it."""
    _die_with_parent()
    for procs in launch.get("cgroup_procs", []):  # before any allocation of the sandbox's own
        Path(procs).write_text(str(os.getpid()))
    _keep_only(fds)
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    flags = _CLONE_NEWNS | _CLONE_NEWNET | _CLONE_NEWPID | _CLONE_NEWIPC | _CLONE_NEWUTS
    if ctypes.CDLL(None, use_errno=True).unshare(flags) != 0:
        os._exit(126)
    pid = os.fork()
    if pid == 0:
        try:
            _sandbox(launch)
        except BaseException as error:  # noqa: BLE001  (the grader reads it from stderr)
            os.write(2, f"sandbox start failed: {type(error).__name__}: {error}\n".encode())
        finally:
            os._exit(125)
    for fd in range(5):
        os.close(fd)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):  # pass the signal on, as unshare --fork does
        number = os.WTERMSIG(status)
        signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def _sandbox(launch: dict[str, Any]) -> None:
    """PID 1 of the new namespaces: the launcher's setup, /proc, privileges, environment, then the worker."""
    from autograder.sandbox import launcher

    _die_with_parent()
    launcher.setup(launch)
    launcher.mount_proc()
    os.chdir("/tmp/work")
    launcher.drop_privileges(launch)
    _die_with_parent()  # changing credentials cleared it
    os.environ.clear()
    os.environ.update({**launch["env"], "AUTOGRADER_FDS": f"{_REQUEST_FD},{_REPLY_FD}"})
    _as_a_fresh_interpreter(launch)
    import importlib

    module = importlib.import_module(launch["module"])
    module.main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _as_a_fresh_interpreter(launch: dict[str, Any]) -> None:
    """What a cold worker would see that the template fixed at import: Keras' folder, argv, tempfile's dir."""
    import tempfile as tempfile_module

    from keras.src.backend import config

    home = os.environ.get("KERAS_HOME", "/tmp/keras")
    config._KERAS_DIR = home  # type: ignore[attr-defined]
    config._config_path = os.path.join(home, "keras.json")  # type: ignore[attr-defined]
    tempfile_module.tempdir = None
    sys.argv = [launch["module"]]


def _listen() -> socket.socket | None:
    """The socket other grader processes of the run connect to, in our own mode-700 folder (cwd)."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        listener.bind(str(Path.cwd() / "template.sock"))
        listener.listen(16)
        return listener
    except OSError:  # a path too long for a socket: this template serves only its grader
        listener.close()
        return None


def main() -> None:
    """The template process: warm imports, self-test, then fork sandboxes on request."""
    control = socket.socket(fileno=int(os.environ.pop("AUTOGRADER_ZYGOTE_FD")))
    try:
        _warm_imports()
        problem = _self_test()
    except Exception as error:  # noqa: BLE001  (reported to the grader, which starts sandboxes cold)
        problem = f"{type(error).__name__}: {error}"
    if problem is not None:
        control.send(json.dumps({"ok": False, "reason": problem}).encode())
        return
    listener = _listen()
    gc.collect()
    gc.freeze()  # the children share these pages instead of copying them when the collector touches them
    control.send(json.dumps({"ok": True, "listening": listener is not None}).encode())
    _serve(control, listener)


if __name__ == "__main__":
    main()
