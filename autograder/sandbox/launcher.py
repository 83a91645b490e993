"""Sets up the sandbox from inside its new namespaces, then becomes the worker.

Started by the grader as ``unshare --mount --net --pid ... python -I -m
autograder.sandbox.launcher SPEC``. It runs before any student code, with the
privileges of (namespace) root, and in order:

1. makes every mount private, so nothing here leaks back to the host;
2. mounts a size-capped tmpfs that becomes the sandbox's ``/tmp``, copies the
   notebook's hand-outs into ``/tmp/work``;
3. binds every path the interpreter needs (the package, its virtual
   environment, the Python installation, the course data) to a holder in that
   tmpfs, then covers every non-system folder at ``/`` (homes, ``/work``,
   ``/opt``, ``/var``...), the checkout the package lives in and any parent
   others cannot traverse (``/root``) with empty tmpfs mounts, and brings back
   read-only exactly the needed paths, their parents created empty. What lies
   beside them (another copy of the course, a gradebook, downloaded
   submissions next to the data folder) stays hidden even when the
   configuration does not name it;
4. replaces the grader's ``/tmp`` with its own, bringing back the needed paths
   that live under ``/tmp`` (a checkout cloned there) the same way;
5. hides the secret paths (solutions, hidden checks, other submissions,
   results) and the machine's control groups under empty read-only mounts;
6. sets resource limits, drops to the sandbox user with no new privileges,
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

_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC, _MS_BIND, _MS_REC, _MS_PRIVATE = 1, 2, 4, 8, 4096, 16384, 1 << 18
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


# What the machine shows about other sandboxes and the grader: control groups list every sandbox's
# processes (host PIDs) and usage.
_MACHINE_STATE = ("/sys/fs/cgroup",)


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


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _placements(paths: list[str]) -> list[Path]:
    """The paths to bring back, outermost only (a path inside another needed one comes with it)."""
    unique = sorted({Path(os.path.abspath(p)) for p in paths if os.path.lexists(p)}, key=lambda p: len(p.parts))
    kept: list[Path] = []
    for path in unique:
        if not any(_is_within(path, outer) for outer in kept):
            kept.append(path)
    return kept


def _cover_set(placed: list[Path], covers: list[str]) -> list[Path]:
    """The folders to cover: ``covers`` and closed parents of needed paths, outermost only.

    A cover that a needed path lies within is covered (the path is brought back exactly); a cover that
    lies within a needed path (or is one) is not, since the needed path is shown whole.
    """
    candidates = {Path(c) for c in covers}
    for path in placed:
        closed = _closed_ancestor(path)
        if closed is not None:
            candidates.add(closed)
    candidates = {c for c in candidates if not any(_is_within(c, p) for p in placed)}
    outermost: list[Path] = []
    for cover in sorted(candidates, key=lambda p: len(p.parts)):
        if not any(_is_within(cover, outer) for outer in outermost):
            outermost.append(cover)
    return outermost


class _Stage:
    """Needed paths bound to holders in the sandbox's own tmpfs before anything covers them."""

    def __init__(self, folder: Path, paths: list[Path]) -> None:
        self.folder = folder
        self.holders: dict[Path, Path] = {}
        folder.mkdir(mode=0o700)
        for number, path in enumerate(paths):
            holder = folder / str(number)
            if os.path.isdir(path):
                holder.mkdir()
            else:
                holder.touch()
            _bind(os.path.realpath(path), str(holder))
            self.holders[path] = holder

    def place(self, path: Path, holder: Path) -> None:
        """Show ``holder`` read-only at ``path``, creating its parents inside the covering tmpfs."""
        parent = path.parent
        if not parent.is_dir():
            os.makedirs(parent, mode=0o755, exist_ok=True)
        if os.path.lexists(path) and not (path.is_dir() if holder.is_dir() else path.is_file()):
            return  # something else is there already (a system path): leave it as it is
        if holder.is_dir():
            path.mkdir(mode=0o755, exist_ok=True)
        elif not path.exists():
            path.touch(mode=0o644)
        _bind(str(holder), str(path), read_only=True)

    def remove(self) -> None:
        """Unmount and delete every holder (what was placed stays)."""
        for holder in self.holders.values():
            _unmount(str(holder))
            if holder.is_dir():
                holder.rmdir()
            else:
                holder.unlink()
        self.folder.rmdir()


def _open_reachable(paths: list[str], covers: list[str], root: Path) -> None:
    """Cover ``covers`` (and closed parents) and bring back exactly ``paths``, read-only.

    Every needed path (the package, its virtual environment, the Python installation, the course data)
    is bound to a holder in ``root`` (the tmpfs that becomes ``/tmp``) first; then each covered folder
    (any non-system folder at ``/``, the checkout the package lives in, a parent others cannot traverse
    such as ``/root``) gets an empty tmpfs in which only the needed paths themselves reappear, their
    parents created as empty folders. Nothing beside a needed path can be read: not the rest of a home
    folder holding the data, not another copy of the course, not a gradebook or a folder of submissions
    next to them. A needed path under ``/tmp`` (a checkout cloned there) is placed at the same place in
    ``root``, so it comes along when ``root`` becomes ``/tmp``.
    """
    placed = _placements(paths)
    staged = _Stage(root / ".stage", placed)
    for cover in _cover_set(placed, covers):
        _tmpfs(str(cover), "mode=0755,size=1m")
    tmp = Path("/tmp")
    for path in placed:
        target = root / path.relative_to(tmp) if _is_within(path, tmp) and path != tmp else path
        staged.place(target, staged.holders[path])
    staged.remove()


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
    _tmpfs(str(root), f"mode=1777,size={spec['tmp_bytes']}")
    work = root / "work"
    shutil.copytree(spec["handouts"], work)
    if spec.get("uid") is not None:
        for dirpath, dirnames, filenames in os.walk(work):
            for name in [dirpath, *(os.path.join(dirpath, n) for n in dirnames + filenames)]:
                os.lchown(name, spec["uid"], spec["gid"])
    _open_reachable(spec["reach"], [*_root_covers(), *spec["confine"]], root)
    _hide_root_files()
    _bind(str(root), "/tmp")
    for secret in [*spec["hide"], *_MACHINE_STATE]:
        _hide(secret)
    _tmpfs("/dev/shm", f"mode=1777,size={spec['shm_bytes']}")


def mount_proc() -> None:
    """A ``/proc`` of the new PID namespace (what ``unshare --mount-proc`` does), for a forked sandbox."""
    _mount("proc", "/proc", "proc", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC)


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
