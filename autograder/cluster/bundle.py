"""An assignment as a content-addressed bundle: what a worker needs to grade it as this machine would.

The bundle is a deterministic tar (sorted names, no times or owners) of the
assignment's folder in ``solutions/`` (checks, calibration, messages, reference
helpers; not its ``examples/``), its declared hand-outs, and a
``grading_config.yaml`` holding the settings a grade depends on (points, limits,
seed, isolation, ``max_cells``, ``sandbox_start``, ``pretrained_weights``). Its
sha256 is its name: a worker unpacks it once per hash, and what it grades with
is exactly what the client hashed. The course data is not in it: each worker
has its own (``AUTOGRADER_DATA_DIR``, the Keras cache), checked by hash
(:mod:`autograder.cluster.provision`).
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from autograder.config import GradingConfig
from autograder.errors import AutograderError
from autograder.grade.assignment import Assignment

CONFIG_NAME = "grading_config.yaml"
MAX_BUNDLE_BYTES = 64 * 2**20
_SKIPPED = frozenset({"examples", "__pycache__", ".ipynb_checkpoints"})
_COMPLETE = ".complete"


class BundleError(AutograderError):
    """A bundle that cannot be built (too large) or unpacked (its bytes are not its hash)."""


@dataclass(frozen=True)
class Bundle:
    """The bundle's bytes and their sha256."""

    digest: str
    data: bytes
    assignment: str


def _solution_files(folder: Path) -> list[tuple[str, Path]]:
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part in _SKIPPED for part in relative.parts) or path.suffix == ".pyc":
            continue
        if path.is_file() and not path.is_symlink():
            found.append((relative.as_posix(), path))
    return found


def _settings(config: GradingConfig, task: Assignment) -> dict[str, object]:
    settings = config.assignment(task.name).model_dump(mode="json")
    course = config.model_dump(mode="json", include={"course", "language", "seed", "isolation", "sandbox_start",
                                                     "max_cells", "pretrained_weights", "limits"})
    return {**course, "solutions_dir": "solutions", "assignments_dir": "assignments", "results_dir": "results",
            "assignments": {task.name: settings}}


def build(config: GradingConfig, task: Assignment) -> Bundle:
    """The bundle of ``task`` under ``config``; :class:`BundleError` when it would exceed 64 MiB."""
    members: list[tuple[str, bytes]] = []
    for name, path in _solution_files(task.solution_dir):
        members.append((f"solutions/{task.name}/{name}", path.read_bytes()))
    handouts = config.assignments_dir / task.name
    for path in task.handouts:
        items = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for item in items:
            members.append((f"assignments/{task.name}/{item.relative_to(handouts).as_posix()}", item.read_bytes()))
    text = yaml.safe_dump(_settings(config, task), sort_keys=True, allow_unicode=True)
    members.append((CONFIG_NAME, text.encode()))
    total = sum(len(data) for _, data in members)
    if total > MAX_BUNDLE_BYTES:
        raise BundleError(f"{task.solution_dir}: the assignment's files and hand-outs are {total / 2**20:.1f} MiB, "
                          f"more than the {MAX_BUNDLE_BYTES // 2**20} MiB a cluster bundle may hold; move large "
                          "files into the course data (data.yaml), which each worker has itself")
    stream = io.BytesIO()
    with tarfile.open(fileobj=stream, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, data in sorted(members):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            archive.addfile(info, io.BytesIO(data))
    data = stream.getvalue()
    return Bundle(hashlib.sha256(data).hexdigest(), data, task.name)


def unpack(digest: str, data: bytes, root: Path) -> Path:
    """The folder holding bundle ``digest`` under ``root`` (unpacked once; checked against its hash first).

    Returns the path of the bundle's ``grading_config.yaml``.
    """
    folder = root / digest
    if (folder / _COMPLETE).is_file():
        return folder / CONFIG_NAME
    if hashlib.sha256(data).hexdigest() != digest:
        raise BundleError(f"the bundle sent as {digest[:12]} does not have that hash: not unpacked")
    root.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{digest[:12]}-", dir=root))
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
            archive.extractall(partial, filter="data")
        (partial / _COMPLETE).write_text(digest)
        try:
            os.rename(partial, folder)
        except OSError:  # another worker thread unpacked it first
            if not (folder / _COMPLETE).is_file():
                raise
    finally:
        if partial.exists():
            shutil.rmtree(partial, ignore_errors=True)
    return folder / CONFIG_NAME
