"""Data provisioning: is what an assignment declares (``data.yaml``) on this machine, and getting it there.

- :func:`status` says, per declared file, whether grading finds it and where,
  by the same rules the grader uses (:func:`autograder.data.keras_files.resolve`:
  a genuine file in the Keras cache, then the course data folder's
  ``keras/datasets/``, then its rebuilt copies; pretrained weights from
  ``pretrained_weights``; course files in ``data_dir``).
- :func:`fetch` fills the Keras cache (``KERAS_HOME`` or ``~/.keras``) with
  genuine files: copied or linked from a mirror folder (``--from DIR``, then
  the configured ``data_dir``) or a system package (Fashion-MNIST), hash-checked
  here; else downloaded by Keras' own ``get_file`` with its hash check.
  Course files (and the rebuilt IMDB/Reuters copies, which Keras' hash check
  would reject) go to ``data_dir``, from a mirror only.
- :func:`require` refuses, before any sandbox starts, an assignment whose
  required data is missing, naming the files and the command that gets them.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import socket
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from autograder.config import GradingConfig
from autograder.data import keras_files
from autograder.data.catalogue import DATASETS, SYSTEM_SOURCES, hash_algorithm
from autograder.data.declaration import CourseNeed, DataNeeds, KerasNeed, load_needs
from autograder.errors import AutograderError, ConfigError

DOWNLOAD_TIMEOUT_S = 60.0
_BLOCK = 1 << 20


class MissingData(AutograderError):
    """An assignment's required data is not on this machine; the message names it and how to get it."""

    def __init__(self, assignment: str, missing: Sequence[ItemStatus], command: str) -> None:
        self.assignment = assignment
        self.missing = tuple(missing)
        self.command = command
        lines = [f"{assignment}: cannot grade here, its data is missing (declared in "
                 f"{missing[0].declared_in}):"]
        lines += [f"  - {item.item} ({item.kind}): {item.problem}" for item in missing]
        if any(item.kind != "course data" for item in missing):
            lines.append(f"Get it with: {command}   (Keras' download and hash check); offline: {command} --from DIR "
                         "(a folder holding keras/datasets/ and data/, like the course data folder)")
        else:
            lines.append(f"Get it with: {command} --from DIR (a copy of the course data folder), or set data_dir "
                         "in the config (or AUTOGRADER_DATA_DIR) to the course data folder")
        super().__init__("\n".join(lines))

    def __reduce__(self) -> tuple[object, ...]:  # picklable like the other errors
        return (type(self), (self.assignment, self.missing, self.command))


@dataclass(frozen=True)
class ItemStatus:
    """One declared file: where grading finds it (``path``), or why not (``problem``)."""

    item: str
    kind: str
    required: bool
    declared_in: str
    path: Path | None = None
    where: str = ""
    problem: str | None = None
    note: str | None = None

    @property
    def present(self) -> bool:
        """Grading finds it."""
        return self.path is not None and self.problem is None


@dataclass(frozen=True)
class FetchOutcome:
    """What :func:`fetch` did for one declared file."""

    status: ItemStatus  # after the fetch
    action: str  # present | copied | linked | downloaded | missing
    source: str | None = None
    target: Path | None = None  # where it was put
    refused: tuple[str, ...] = ()  # sources that were not used, and why (a hash mismatch...)
    failures: tuple[str, ...] = field(default=())  # download errors


@dataclass(frozen=True)
class Context:
    """Where to look: the course data folder, the Keras cache, the weights setting."""

    data_dir: Path | None
    keras_cache: Path
    pretrained_weights: str
    config_dir: Path

    @classmethod
    def of(cls, config: GradingConfig, config_path: Path, keras_cache: Path | None = None) -> Context:
        """The context a grading run with ``config`` would use."""
        return cls(config.data_dir, keras_cache if keras_cache is not None else keras_files.user_keras_cache(),
                   config.pretrained_weights, config_path.resolve().parent)


# ---------------------------------------------------------------------------------------------------
# what is needed


def needs_of(config: GradingConfig, name: str, config_path: Path) -> DataNeeds:
    """What ``name`` needs: a configured assignment's data.yaml, or a Keras dataset the catalogue knows."""
    if name in config.assignments:
        return load_needs(config.solutions_dir / name, name)
    if name in DATASETS:
        keras = tuple(KerasNeed(name=f.name, origin=f.origin, hash=f.file_hash, cache_subdir=f.cache_subdir)
                      for f in DATASETS[name])
        return DataNeeds(name, None, keras)
    known = ", ".join(sorted(config.assignments)) or "none"
    raise ConfigError(str(config_path), f"{name!r} is neither a configured assignment ({known}) nor a Keras "
                                        f"dataset this knows ({', '.join(sorted(DATASETS))})", f"assignments.{name}")


def all_needs(config: GradingConfig, names: Sequence[str], config_path: Path) -> list[DataNeeds]:
    """``names``' needs; no names: every configured assignment's."""
    return [needs_of(config, name, config_path) for name in (names or sorted(config.assignments))]


# ---------------------------------------------------------------------------------------------------
# status


@functools.cache
def _digest(path: Path, size: int, mtime: float, algorithm: str) -> str:
    hasher = hashlib.new(algorithm)
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(_BLOCK), b""):
            hasher.update(block)
    return hasher.hexdigest()


def matches(path: Path, file_hash: str) -> bool:
    """Whether ``path`` is a file whose hash (Keras' choice of algorithm) is ``file_hash``."""
    if not path.is_file():
        return False
    info = path.stat()
    return _digest(path.resolve(), info.st_size, info.st_mtime, hash_algorithm(file_hash)) == file_hash


def _declared_in(needs: DataNeeds) -> str:
    return str(needs.source) if needs.source is not None else f"Keras' {needs.assignment} loader"


def _cache_target(context: Context, need: KerasNeed) -> Path:
    return context.keras_cache / need.cache_subdir / need.name


def _keras_status(context: Context, need: KerasNeed, declared_in: str) -> ItemStatus:
    base = ItemStatus(need.name, need.kind, need.required, declared_in)
    cached = _cache_target(context, need)
    if need.cache_subdir == "models":
        return _weights_status(context, need, base)
    if need.cache_subdir == "datasets" and need.name in keras_files.KERAS_FILES:
        found = keras_files.resolve(context.data_dir, context.keras_cache).get(need.name)
        if found is not None:
            if found == cached.resolve() and keras_files.is_genuine(cached, need.name):
                return _replace(base, path=cached, where="Keras cache")
            rebuilt = keras_files.REBUILT.get(need.name)
            if context.data_dir is not None and rebuilt and found == (context.data_dir / rebuilt).resolve():
                return _replace(base, path=found, where="course data (rebuilt copy)",
                                note="Keras' layout, not its bytes: the grader reads it, Keras' cache would not")
            genuine = keras_files.is_genuine(found, need.name)
            return _replace(base, path=found, where="course data (keras/datasets)",
                            note=None if genuine else "not Keras' bytes (its hash differs)")
    elif cached.is_file() and (need.hash is None or matches(cached, need.hash)):
        return _replace(base, path=cached, where="Keras cache")
    places = [f"the Keras cache ({cached.parent})"]
    if context.data_dir is not None and need.cache_subdir == "datasets":
        places.append(f"the course data folder ({context.data_dir})")
    problem = "not in " + " nor in ".join(places)
    if cached.is_file():
        problem = f"{cached} is not Keras' file (its hash differs), and it is " + problem
    return _replace(base, problem=problem)


def _weights_status(context: Context, need: KerasNeed, base: ItemStatus) -> ItemStatus:
    setting = context.pretrained_weights
    if setting == "none":
        return _replace(base, problem="not used: pretrained_weights is none in the config")
    try:
        found = keras_files.resolve_weights(setting, context.config_dir, keras_cache=context.keras_cache)
    except ValueError as error:
        return _replace(base, problem=f"pretrained_weights: {error}")
    if need.name in found:
        where = "Keras cache" if setting == "keras_cache" else f"pretrained_weights ({setting})"
        return _replace(base, path=found[need.name], where=where)
    where = f"the Keras cache ({context.keras_cache / 'models'})" if setting == "keras_cache" else setting
    return _replace(base, problem=f"not in {where} (pretrained_weights: {setting}), or not Keras' bytes")


def _count_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def _course_problem(path: Path, need: CourseNeed) -> str | None:
    """Why ``path`` does not answer ``need`` (None: it does)."""
    if need.files is not None:
        if not path.is_dir():
            return f"no folder {path}"
        count = _count_files(path)
        return None if count >= need.files else f"{path} holds {count} files, fewer than the {need.files} expected"
    if not path.is_file():
        return f"no file {path}"
    if need.sha256 is not None and not matches(path, need.sha256):
        return f"{path} is not the expected file (its sha256 differs)"
    return None


def _course_status(context: Context, need: CourseNeed, declared_in: str) -> ItemStatus:
    base = ItemStatus(need.path, "course data", need.required, declared_in)
    if context.data_dir is None:
        return _replace(base, problem="data_dir (the course data folder) is not set in the config")
    path = context.data_dir / need.path
    problem = _course_problem(path, need)
    if problem is not None:
        return _replace(base, problem=f"{problem} (data_dir: {context.data_dir})")
    return _replace(base, path=path.resolve(), where="course data")


def _replace(status: ItemStatus, **changes: object) -> ItemStatus:
    values = {**status.__dict__, **changes}
    return ItemStatus(**values)  # type: ignore[arg-type]


def status(needs: DataNeeds, context: Context) -> list[ItemStatus]:
    """Each declared file of ``needs``: found where, or why not."""
    declared_in = _declared_in(needs)
    return ([_keras_status(context, need, declared_in) for need in needs.keras]
            + [_course_status(context, need, declared_in) for need in needs.course])


def fetch_command(name: str, config_path: Path) -> str:
    """The command that gets ``name``'s data with the same configuration."""
    config = "" if config_path == Path("grading_config.yaml") else f" --config {config_path}"
    return f"autograder{config} data fetch {name}"


def require(config: GradingConfig, name: str, config_path: Path, keras_cache: Path | None = None) -> None:
    """Raise :class:`MissingData` when assignment ``name``'s required data is not here (before any sandbox)."""
    config.assignment(name, str(config_path))
    needs = load_needs(config.solutions_dir / name, name)
    missing = [s for s in status(needs, Context.of(config, config_path, keras_cache)) if s.required and not s.present]
    if missing:
        raise MissingData(name, missing, fetch_command(name, config_path))


# ---------------------------------------------------------------------------------------------------
# fetch


def _place(source: Path, target: Path, link: bool) -> str:
    """Copy (or symlink) ``source`` to ``target``, replacing what is there; atomic for a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.is_dir():
        shutil.rmtree(target)
    if link:
        target.symlink_to(source.resolve())
        return "linked"
    partial = target.with_name(f".{target.name}.partial")
    if source.is_dir():
        if partial.exists():
            shutil.rmtree(partial)
        shutil.copytree(source, partial)
    else:
        shutil.copyfile(source, partial)
    os.replace(partial, target)
    return "copied"


def _mirror_candidates(need: KerasNeed, mirrors: Sequence[Path]) -> list[tuple[Path, str]]:
    """Where a mirror may hold a Keras file: the course data layout (keras/<subdir>/) or a Keras cache's."""
    found = [(mirror / "keras" / need.cache_subdir / need.name, str(mirror)) for mirror in mirrors]
    found += [(mirror / need.cache_subdir / need.name, str(mirror)) for mirror in mirrors]
    system = SYSTEM_SOURCES.get((need.cache_subdir, need.name))
    if system is not None:
        found.append((system[0], f"Debian package {system[1]}"))
    return found


def _download(need: KerasNeed, context: Context) -> Path:
    """Keras' own ``get_file`` (download and hash check) into ``context.keras_cache``."""
    host = urllib.parse.urlsplit(need.origin).hostname or ""
    try:  # without a network, say so at once rather than after importing TensorFlow
        socket.getaddrinfo(host, 443)
    except OSError as error:
        raise OSError(f"cannot reach {host} ({error}); offline, use --from DIR") from None
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from keras.utils import get_file

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_S)
    try:
        return Path(get_file(fname=need.name, origin=need.origin, file_hash=need.hash,
                             cache_subdir=need.cache_subdir, cache_dir=str(context.keras_cache)))
    finally:
        socket.setdefaulttimeout(previous)


def _fetch_keras(need: KerasNeed, context: Context, declared_in: str, mirrors: Sequence[Path], *, link: bool,
                 offline: bool, from_dir: Path | None) -> FetchOutcome:
    before = _keras_status(context, need, declared_in)
    settled = before.present and before.where == "Keras cache"
    if settled or (need.cache_subdir == "models" and context.pretrained_weights != "keras_cache"):
        return FetchOutcome(before, "present" if before.present else "missing")
    refused: list[str] = []
    target = _cache_target(context, need)
    for candidate, label in _mirror_candidates(need, mirrors):
        if not candidate.is_file() or candidate.resolve() == target.resolve():
            continue
        if need.hash is not None and not matches(candidate, need.hash):
            refused.append(f"{candidate}: not Keras' file ({hash_algorithm(need.hash)} differs), not used")
            continue
        action = _place(candidate, target, link)
        return FetchOutcome(_keras_status(context, need, declared_in), action, label, target, tuple(refused))
    if before.present:  # a course copy answers it; nothing genuine to put in the cache
        return FetchOutcome(before, "present", refused=tuple(refused))
    rebuilt = keras_files.REBUILT.get(need.name) if need.cache_subdir == "datasets" else None
    if rebuilt and from_dir is not None and context.data_dir is not None and (from_dir / rebuilt).is_file():
        action = _place(from_dir / rebuilt, context.data_dir / rebuilt, link)
        return FetchOutcome(_keras_status(context, need, declared_in), action, str(from_dir),
                            context.data_dir / rebuilt, tuple(refused))
    failures: list[str] = []
    if not offline:
        try:
            path = _download(need, context)
        except Exception as error:  # noqa: BLE001 - Keras raises a bare Exception for a failed download
            failures.append(f"download from {need.origin} failed: {error}")
        else:
            after = _keras_status(context, need, declared_in)
            return FetchOutcome(after, "downloaded" if after.present else "missing", need.origin, path,
                                tuple(refused))
    return FetchOutcome(_keras_status(context, need, declared_in), "missing", refused=tuple(refused),
                        failures=tuple(failures))


def _fetch_course(need: CourseNeed, context: Context, declared_in: str, mirrors: Sequence[Path], *,
                  link: bool) -> FetchOutcome:
    before = _course_status(context, need, declared_in)
    if before.present or context.data_dir is None:
        return FetchOutcome(before, "present" if before.present else "missing")
    refused: list[str] = []
    target = context.data_dir / need.path
    for mirror in mirrors:
        candidate = mirror / need.path
        if not candidate.exists() or candidate.resolve() == target.resolve():
            continue
        problem = _course_problem(candidate, need)
        if problem is not None:
            refused.append(f"{problem}, not used")
            continue
        action = _place(candidate, target, link)
        return FetchOutcome(_course_status(context, need, declared_in), action, str(mirror), target, tuple(refused))
    return FetchOutcome(before, "missing", refused=tuple(refused))


def fetch(needs: DataNeeds, context: Context, *, from_dir: Path | None = None, link: bool = False,
          offline: bool = False) -> list[FetchOutcome]:
    """Get each declared file of ``needs`` that grading does not find, or that the Keras cache lacks.

    Sources, in order: ``from_dir``, then ``context.data_dir`` (both in the course
    data layout, ``keras/datasets/``..., or a Keras cache's, ``datasets/``...), then
    a system package, then (unless ``offline``) Keras' download. A file whose hash
    is not Keras' is never copied; a source that fails its check is reported in
    ``refused``.
    """
    mirrors = [m for m in (from_dir, context.data_dir) if m is not None and m.is_dir()]
    declared_in = _declared_in(needs)
    return ([_fetch_keras(need, context, declared_in, mirrors, link=link, offline=offline, from_dir=from_dir)
             for need in needs.keras]
            + [_fetch_course(need, context, declared_in, mirrors, link=link) for need in needs.course])


# ---------------------------------------------------------------------------------------------------
# text for people


def render_status(needs: DataNeeds, items: Sequence[ItemStatus]) -> list[str]:
    """Lines for ``autograder data status``."""
    source = needs.source if needs.source is not None else "no data.yaml: needs no data"
    if needs.source is None and needs.keras:
        source = f"Keras' {needs.assignment} loader"
    lines = [f"{needs.assignment} ({source})"]
    if needs.source is not None and not items:
        lines.append("  (declares no data)")
    for item in items:
        label = "ok" if item.present else ("MISSING" if item.required else "missing (optional)")
        detail = f"{item.where}: {item.path}" if item.present else str(item.problem)
        if item.note:
            detail += f" [{item.note}]"
        lines.append(f"  {label:<18} {item.item:<52} {item.kind:<14} {detail}")
    return lines


def render_fetch(needs: DataNeeds, outcomes: Sequence[FetchOutcome]) -> list[str]:
    """Lines for ``autograder data fetch``."""
    lines = [f"{needs.assignment}:"]
    if not outcomes:
        lines.append("  (declares no data)")
    for outcome in outcomes:
        item = outcome.status
        if outcome.action in ("copied", "linked", "downloaded"):
            detail = f"{outcome.action} from {outcome.source} to {outcome.target}"
        elif item.present:
            detail = f"present: {item.where}: {item.path}"
        else:
            detail = ("MISSING: " if item.required else "missing (optional): ") + str(item.problem)
        lines.append(f"  {item.item:<52} {detail}")
        lines += [f"    refused {reason}" for reason in outcome.refused]
        lines += [f"    {failure}" for failure in outcome.failures]
    return lines
