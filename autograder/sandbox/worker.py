"""The sandbox worker: runs a student's cells, then answers the grader's requests.

This module runs *inside* the sandbox, in the student's interpreter, so nothing
here is trusted by the grader: student code can patch any of it. That only
changes what the student claims as their answer; the grader validates every
message it receives and computes the verdict itself.

Requests (one JSON frame each, with an ``id`` echoed in the reply):
``run_cell`` (index, source), ``call`` (name, args, kwargs), ``value`` (name),
``shutdown``. Keras models and histories in a reply cross as data (see
:mod:`autograder.sandbox.keras_values`), and ``keras.datasets`` downloads are
answered from files on disk (see :mod:`autograder.data.keras_hook`). The
channel's two file descriptors (requests in, replies out) are named by the ``AUTOGRADER_FDS`` environment variable.
"""

from __future__ import annotations

import ast
import os
import random
import sys
import time
import traceback
from collections.abc import Iterator
from typing import Any

from autograder.data import keras_files, keras_hook
from autograder.i18n import message
from autograder.sandbox import protocol
from autograder.sandbox.channel import Channel, ChannelClosed
from autograder.sandbox.keras_values import to_data
from autograder.sandbox.protocol import FrameTooLarge, View

_TRACEBACK_LINES = 30
_SHELL_MAGICS = ("pip", "conda", "mamba", "micromamba", "uv", "sx", "system", "sc")
_SHELL_CELL_MAGICS = ("bash", "sh", "script", "system", "perl", "ruby", "python2", "python3", "pypy")


def describe_value(value: Any) -> dict[str, Any]:
    """Type, shape, dtype and length of a value, without the value (for arrays too large to send)."""
    info: dict[str, Any] = {"type": f"{type(value).__module__}.{type(value).__qualname__}"}
    shape = getattr(value, "shape", None)
    try:
        if shape is not None:
            info["shape"] = [None if d is None else int(d) for d in shape]
        if getattr(value, "dtype", None) is not None:
            info["dtype"] = str(value.dtype)
        if hasattr(value, "__len__"):
            info["len"] = len(value)
    except (TypeError, ValueError):
        pass
    return info


class RefusedInSandbox(Exception):
    """A shell escape or a package install, refused with a message."""


def _error_record(error: BaseException, skip_frames: int = 0) -> dict[str, Any]:
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    tail = [line for line in lines if "site-packages/IPython" not in line]
    return {"ename": type(error).__name__, "evalue": str(error)[:2000],
            "traceback": "".join(tail[-_TRACEBACK_LINES:])[-8000:]}


def _make_shell(lang: str) -> Any:
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    shell = InteractiveShell.instance(config=config)

    def refuse(*args: Any, **kwargs: Any) -> None:
        command = " ".join(str(a) for a in args)[:200]
        raise RefusedInSandbox(message("sandbox.shell_refused", lang, command=command))

    for method in ("system", "system_raw", "system_piped", "getoutput"):
        setattr(shell, method, refuse)
    register: Any = shell.register_magic_function
    for name in _SHELL_MAGICS:
        register(refuse, "line", name)
    for name in _SHELL_CELL_MAGICS:
        register(refuse, "cell", name)
    return shell


def _imports_keras(source: str) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return "tensorflow" in source or "keras" in source
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        if any(n.split(".")[0] in ("tensorflow", "keras") for n in names):
            return True
    return False


_MAX_FIGURES_PER_CELL = 4
_MAX_FIGURE_BYTES = 1_000_000


def _figures() -> list[Any]:
    """The cell's matplotlib figures as PNG bytes (uint8 arrays), then closed, as Jupyter's inline backend does."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return []
    import io

    import numpy as np

    found = []
    try:
        for number in pyplot.get_fignums()[:_MAX_FIGURES_PER_CELL]:
            buffer = io.BytesIO()
            pyplot.figure(number).savefig(buffer, format="png", dpi=72)
            if buffer.tell() <= _MAX_FIGURE_BYTES:
                found.append(np.frombuffer(buffer.getvalue(), dtype=np.uint8))
        pyplot.close("all")
    except Exception:  # noqa: BLE001  (a figure the student broke is simply not shown)
        return found
    return found


class Worker:
    """Executes cells in an IPython shell and serves the grader's requests."""

    def __init__(self, channel: Channel, *, seed: int, lang: str) -> None:
        self.channel = channel
        self.seed = seed
        self.lang = lang
        self.shell = _make_shell(lang)
        self.keras_seeded = False
        random.seed(seed)
        import numpy as np

        np.random.seed(seed)

    def serve(self) -> None:
        """Say ready (the interpreter, IPython and the data hook are up), then answer requests until
        ``shutdown`` or until the grader goes away. No student code has run before ``ready``."""
        self.channel.send({"op": "ready"})
        while True:
            try:
                header, value = self.channel.receive()
            except KeyboardInterrupt:
                continue  # a late interrupt meant for a call that already ended
            except ChannelClosed:
                return
            op = header.get("op")
            if op == "shutdown":
                return
            reply_header, reply_value = self._handle(op, header, value)
            reply_header["id"] = header.get("id")
            try:
                self._send(op, reply_header, reply_value)
            except KeyboardInterrupt:
                self._send(op, reply_header, reply_value)

    def _send(self, op: Any, header: dict[str, Any], value: Any) -> None:
        """Send a reply within the grader's limits: what does not fit goes as a ``too_large`` marker."""
        for candidate in _fitting(op, header, value):
            try:
                self.channel.send(*candidate, max_header=protocol.MAX_REPLY_HEADER,
                                  max_buffers=protocol.MAX_BUFFER_BYTES)
                return
            except FrameTooLarge:
                continue

    def _handle(self, op: Any, header: dict[str, Any], value: Any) -> tuple[dict[str, Any], Any]:
        try:
            if op == "run_cell":
                return self._run_cell(str(header.get("source", "")), header.get("cell"))
            if op == "call":
                return self._call(str(header.get("name")), value)
            if op == "value":
                return self._value(str(header.get("name")))
            if op == "info":
                return self._info(str(header.get("name")))
            return {"ok": False, "error": {"ename": "ProtocolError", "evalue": f"unknown op {op!r}",
                                           "traceback": ""}}, None
        except BaseException as error:
            if isinstance(error, SystemExit | KeyboardInterrupt | Exception):
                return {"ok": False, "error": _error_record(error)}, None
            raise

    def _seed_keras(self) -> None:
        import keras

        keras.utils.set_random_seed(self.seed)
        self.keras_seeded = True

    def _run_cell(self, source: str, cell: Any = None) -> tuple[dict[str, Any], Any]:
        start = time.perf_counter()
        if not self.keras_seeded and _imports_keras(source):
            self._seed_keras()
        if isinstance(cell, int) and not isinstance(cell, bool) and 0 < cell < 10**6:
            # IPython names the cell's code after it (`<ipython-input-9-…>`): the number the feedback shows
            self.shell.execution_count = cell
        result = self.shell.run_cell(source, store_history=True)
        sys.stdout.flush()
        sys.stderr.flush()
        error = result.error_before_exec or result.error_in_exec
        record: dict[str, Any] = {"ok": error is None, "seconds": time.perf_counter() - start}
        if error is not None:
            record["error"] = _error_record(error)
        return record, _figures()

    def _call(self, name: str, value: Any) -> tuple[dict[str, Any], Any]:
        function = self.shell.user_ns.get(name)
        if function is None:
            return {"ok": False, "missing": True}, None
        if not callable(function):
            return {"ok": False, "not_callable": True, "type": str(type(function).__name__)[:200]}, None
        args, kwargs = value if isinstance(value, list) and len(value) == 2 else ([], {})
        args = [a.build() if isinstance(a, View) else a for a in args]
        start = time.perf_counter()
        try:
            result = function(*args, **kwargs)
        except BaseException as error:
            if not isinstance(error, SystemExit | KeyboardInterrupt | Exception):
                raise
            return {"ok": False, "error": _error_record(error),
                    "seconds": time.perf_counter() - start}, [None, args]
        return {"ok": True, "seconds": time.perf_counter() - start}, [to_data(result), args]

    def _info(self, name: str) -> tuple[dict[str, Any], Any]:
        if name not in self.shell.user_ns:
            return {"ok": False, "missing": True}, None
        return {"ok": True}, describe_value(self.shell.user_ns[name])

    def _value(self, name: str) -> tuple[dict[str, Any], Any]:
        if name not in self.shell.user_ns:
            return {"ok": False, "missing": True}, None
        return {"ok": True}, to_data(self.shell.user_ns[name])


def _fitting(op: Any, header: dict[str, Any], value: Any) -> Iterator[tuple[dict[str, Any], Any]]:
    """The replies to try in order: as it is, then with what is too large replaced by markers.

    A call's reply is ``[result, args_after]``: the result is replaced first, so
    the check can say that the returned value was too large. The last resort is
    an error record, which always fits. Sizes are measured only when needed.
    """
    yield header, value
    if op == "call" and type(value) is list and len(value) == 2 and type(value[1]) is list:
        result, args = value
        marked_result = protocol.too_large(result, protocol.frame_size(result))
        yield header, [marked_result, args]
        # then the arguments as the call left them, the largest first, with the result and without
        sizes = [protocol.frame_size(a) for a in args]
        marked = list(args)
        for position in sorted(range(len(args)), key=lambda i: -sizes[i]):
            marked[position] = protocol.too_large(args[position], sizes[position])
            yield header, [result, list(marked)]
            yield header, [marked_result, list(marked)]
    elif value is not None:
        yield header, protocol.too_large(value, protocol.frame_size(value))
    refusal = {"ename": "ReplyTooLarge", "evalue": "the reply did not fit in a message to the grader",
               "traceback": ""}
    yield {"ok": False, "error": refusal, "id": header.get("id")}, None


def main() -> None:
    """Entry point inside the sandbox: read the settings, serve until shutdown."""
    request_fd, reply_fd = (int(fd) for fd in os.environ["AUTOGRADER_FDS"].split(","))
    os.set_inheritable(request_fd, False)
    os.set_inheritable(reply_fd, False)
    # the grader's requests carry cell sources (as large as a notebook): the grader is trusted, its cap is wide
    channel = Channel(request_fd, reply_fd, max_header_bytes=protocol.MAX_BUFFER_BYTES)
    seed = int(os.environ.get("AUTOGRADER_SEED", "0"))
    lang = os.environ.get("AUTOGRADER_LANG", "en")
    # always: a dataset file the course lacks gets a clear message instead of a failed download
    keras_hook.install(keras_files.decode(os.environ.get(keras_files.ENV_FILES, "")), lang)
    Worker(channel, seed=seed, lang=lang).serve()


if __name__ == "__main__":
    main()
