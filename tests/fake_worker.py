"""A stand-in for the sandbox worker: speaks its protocol over two pipes, runs cells with plain ``exec``.

No IPython, no TensorFlow, no sandbox: it starts in a fraction of a second, so the session's interrupt,
restart and replay logic can be tested on its own (tests/sandbox/test_session.py). It behaves like the real worker
where the session can tell: ``ready`` first; a cell's reply ``{"ok", "seconds", "error"}``; SIGINT raises
KeyboardInterrupt in the running cell or call (Python's default handler), which is answered as an error;
``call`` replies ``[result, args]``; ``missing`` for an unknown name; ``shutdown`` ends it.

Every request it receives is appended to the log file named by ``argv[3]`` as ``<pid> <op> <cell or name>``,
so a test can see which worker ran which cell and in what order.

Usage: ``fake_worker.py REQUEST_FD REPLY_FD LOG``.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from typing import Any

from autograder.sandbox import protocol
from autograder.sandbox.channel import Channel, ChannelClosed


def _error(error: BaseException) -> dict[str, str]:
    return {"ename": type(error).__name__, "evalue": str(error),
            "traceback": "".join(traceback.format_exception(error))}


def main() -> None:
    request_fd, reply_fd, log = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    channel = Channel(request_fd, reply_fd, max_header_bytes=protocol.MAX_BUFFER_BYTES)
    names: dict[str, Any] = {"__name__": "__main__"}

    def note(*words: object) -> None:
        with open(log, "a", encoding="utf-8") as stream:
            stream.write(" ".join(str(w) for w in (os.getpid(), *words)) + "\n")

    channel.send({"op": "ready"})
    while True:
        try:
            header, value = channel.receive()
        except KeyboardInterrupt:
            continue  # a late interrupt meant for a request that already ended
        except ChannelClosed:
            return
        op = header.get("op")
        reply: dict[str, Any]
        answer: Any = None
        if op == "shutdown":
            note("shutdown")
            return
        if op == "run_cell":
            note("run_cell", header.get("cell"))
            start = time.perf_counter()
            try:
                exec(compile(str(header.get("source")), f"<cell {header.get('cell')}>", "exec"), names)
                reply = {"ok": True}
            except BaseException as error:  # noqa: BLE001  (KeyboardInterrupt and SystemExit too, like the worker)
                reply = {"ok": False, "error": _error(error)}
            reply["seconds"] = time.perf_counter() - start
        elif op in ("call", "value"):
            name = str(header.get("name"))
            note(op, name)
            if name not in names:
                reply = {"ok": False, "missing": True}
            elif op == "value":
                reply, answer = {"ok": True}, names[name]
            else:
                args, kwargs = value if isinstance(value, list) and len(value) == 2 else ([], {})
                try:
                    reply, answer = {"ok": True}, [names[name](*args, **kwargs), args]
                except BaseException as error:  # noqa: BLE001
                    reply, answer = {"ok": False, "error": _error(error)}, [None, args]
        else:
            reply = {"ok": False, "error": {"ename": "ProtocolError", "evalue": f"unknown op {op!r}",
                                            "traceback": ""}}
        reply["id"] = header.get("id")
        try:
            channel.send(reply, answer)
        except KeyboardInterrupt:
            channel.send(reply, answer)


if __name__ == "__main__":
    main()
