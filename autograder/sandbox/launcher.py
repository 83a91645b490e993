"""Sets up the sandbox from inside its new namespaces, then becomes the worker.

Started by the grader as ``unshare --mount --net --pid ... python -I -m
autograder.sandbox.launcher SPEC``. It runs before any student code, with the
privileges of (namespace) root, and in order:

1. makes every mount private, so nothing here leaks back to the host;
2. mounts a size-capped tmpfs that becomes the sandbox's ``/tmp``, copies the
   notebook's hand-outs into ``/tmp/work`` and hides the grader's own ``/tmp``;
3. hides the secret paths (solutions, hidden checks, other submissions,
   results) under empty read-only tmpfs mounts;
4. covers every non-system folder at ``/`` (homes, ``/work``, ``/opt``,
   ``/var``...) and the checkout the package lives in with empty tmpfs mounts,
   bringing back read-only only what the interpreter needs: the package, its
   virtual environment, the Python installation (made reachable for an
   unprivileged user even under a mode-700 ``/root``). A course's
   ``solutions/`` next to the package, or another copy of the course elsewhere
   on the machine, stays hidden even when the configuration does not name it;
5. sets resource limits, drops to the sandbox user with no new privileges,
   and ``exec``s the worker with a minimal environment.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import shutil
import stat
import sys
from pathlib import Path
from typing import Any

_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_BIND, _MS_REC, _MS_PRIVATE = 1, 2, 4, 4096, 16384, 1 << 18
_PR_SET_NO_NEW_PRIVS = 38
_MNT_DETACH = 2
_libc = ctypes.CDLL(None, use_errno=True)


def _mount(source: str, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    result = _libc.mount(source.encode(), target.encode(), fstype.encode() if fstype else None,
                         ctypes.c_ulong(flags), data.encode() if data else None)
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"mount {source} on {target}: {os.strerror(errno)}")


def _unmount(target: str) -> None:
    if _libc.umount2(target.encode(), _MNT_DETACH) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"umount {target}: {os.strerror(errno)}")


def _tmpfs(target: str, options: str, flags: int = _MS_NOSUID | _MS_NODEV) -> None:
    _mount("tmpfs", target, "tmpfs", flags, options)


def _bind(source: str, target: str, *, read_only: bool = False) -> None:
    _mount(source, target, None, _MS_BIND | _MS_REC)
    if read_only:
        _mount("none", target, None, _MS_BIND | _MS_REC | _MS_RDONLY | 0x20)  # MS_REMOUNT


def _closed_ancestor(path: Path) -> Path | None:
    """Return the highest parent of ``path`` that others cannot traverse, if any."""
    for parent in reversed(path.parents):
        try:
            if not os.stat(parent).st_mode & stat.S_IXOTH:
                return parent
        except OSError:
            return None
    return None


# Top-level folders the interpreter and its libraries need as they are; every
# other folder at the root of the file system is covered (see _cover_root).
_SYSTEM_DIRS = frozenset({"bin", "sbin", "lib", "lib32", "lib64", "libx32", "usr", "etc", "dev", "proc", "sys", "tmp"})


def _root_covers() -> list[str]:
    """Every real folder at ``/`` that is not a system folder: homes, checkouts, data, ``/opt``..."""
    covers = []
    for entry in os.scandir("/"):
        if entry.name not in _SYSTEM_DIRS and entry.is_dir(follow_symlinks=False):
            covers.append(entry.path)
    return sorted(covers)


def _hide_root_files() -> None:
    """Files lying at ``/`` itself (machine descriptions and the like) read as empty."""
    for entry in os.scandir("/"):
        if entry.is_file(follow_symlinks=False):
            _bind("/dev/null", entry.path)


def _open_reachable(paths: list[str], covers: list[str], stage: Path) -> None:
    """Show only what ``paths`` need inside closed parents and ``covers`` folders.

    A closed parent (no search permission for others, like pyenv's ``/root``)
    or a covered folder (any non-system folder at ``/``, and the checkout the
    ``autograder`` package lives in) is covered with an empty tmpfs that holds
    only the needed children, bound back read-only: the interpreter works and
    nothing else there can be read, whatever else lies on the machine (another
    checkout of the course with its solutions, an instructor's home...).
    """
    needed_whole = {Path(p) for p in paths}
    wanted: dict[Path, set[str]] = {Path(c): set() for c in covers if Path(c) not in needed_whole}
    for text in paths:
        path = Path(text)
        cover_parents = [Path(c) for c in covers if path != Path(c) and Path(c) in path.parents]
        closed = _closed_ancestor(path)
        for cover in ([closed] if closed is not None else []) + cover_parents:
            wanted.setdefault(cover, set()).add(path.relative_to(cover).parts[0])
    for number, (cover, children) in enumerate(sorted(wanted.items())):
        staged = []
        for child in sorted(children):
            holder = stage / f"{number}-{child}"
            holder.mkdir(parents=True)
            _bind(str(cover / child), str(holder))
            staged.append((child, holder))
        _tmpfs(str(cover), "mode=0755,size=64k")
        for child, holder in staged:
            (cover / child).mkdir()
            _bind(str(holder), str(cover / child), read_only=True)
            _unmount(str(holder))
            holder.rmdir()
    if stage.exists():
        stage.rmdir()


def _hide(path: str) -> None:
    if os.path.isdir(path):
        _tmpfs(path, "mode=0000,size=4k", _MS_NOSUID | _MS_NODEV | _MS_RDONLY)
    elif os.path.exists(path):
        _bind("/dev/null", path)


def _set_limits(limits: dict[str, int]) -> None:
    for name, value in limits.items():
        which = getattr(resource, f"RLIMIT_{name.upper()}")
        resource.setrlimit(which, (value, value))


def setup(spec: dict[str, Any]) -> None:
    """Prepare the mounts described by ``spec`` (see :mod:`autograder.sandbox.process`)."""
    _mount("none", "/", None, _MS_REC | _MS_PRIVATE)
    root = Path(spec["root"])
    owner = f"uid={spec['uid']},gid={spec['gid']}" if spec.get("uid") is not None else ""
    _tmpfs(str(root), f"mode=1777,size={spec['tmp_bytes']}")
    work = root / "work"
    shutil.copytree(spec["handouts"], work)
    stage = root / ".stage"
    _open_reachable(spec["reach"], [*_root_covers(), *spec["confine"]], stage)
    _hide_root_files()
    for secret in spec["hide"]:
        _hide(secret)
    _bind(str(root), "/tmp")
    _tmpfs("/dev/shm", f"mode=1777,size={spec['shm_bytes']}")
    if owner:
        for dirpath, dirnames, filenames in os.walk("/tmp/work"):
            for name in [dirpath, *(os.path.join(dirpath, n) for n in dirnames + filenames)]:
                os.lchown(name, spec["uid"], spec["gid"])


def drop_privileges(spec: dict[str, Any]) -> None:
    """Apply limits, leave root and forbid regaining privileges."""
    _set_limits(spec["rlimits"])
    if spec.get("uid") is not None:
        os.setgroups([])
        os.setresgid(spec["gid"], spec["gid"], spec["gid"])
        os.setresuid(spec["uid"], spec["uid"], spec["uid"])
    if _libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")


def main() -> None:
    """Read the spec from ``argv[1]``, set up, and ``exec`` the worker."""
    spec = json.loads(sys.argv[1])
    if spec.get("namespaces", True):
        setup(spec)
        os.chdir("/tmp/work")
    else:
        os.chdir(spec["handouts"])
    drop_privileges(spec)
    argv = spec["argv"]
    os.execve(argv[0], argv, spec["env"])


if __name__ == "__main__":
    main()
