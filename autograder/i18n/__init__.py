"""The message catalogue: every string a student reads, in Korean and English.

Messages are looked up by key and formatted with ``str.format`` parameters.
Each stage of the engine keeps its messages in its own module under ``autograder.i18n``; they
are merged here once, and a key defined twice is a programming error.

An assignment keeps its own messages in its folder: ``solutions/<id>/messages.py`` (copied into the
hand-out), a ``MESSAGES`` dict whose keys all start with ``<id>.``. Whatever renders that assignment's
results registers the file first (:func:`register_assignment`); a key outside the prefix, a key defined
twice, a text without ko or en is a :class:`~autograder.errors.ConfigError` naming the file.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from autograder.errors import ConfigError

LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE = "en"
MESSAGES_FILE = "messages.py"  # an assignment's own messages, in its folder (and in the hand-out)
_MAX_MESSAGES_BYTES = 2**20

_CATALOGUE_MODULES = (
    "autograder.i18n.messages_checks",
    "autograder.i18n.messages_sandbox",
    "autograder.i18n.messages_submissions",
    "autograder.i18n.messages_data",
    "autograder.i18n.messages_models",
    "autograder.i18n.messages_report",
    "autograder.i18n.messages_exam",
    "autograder.i18n.messages_portal",
)

_catalogue: dict[str, Mapping[str, str]] | None = None
_assignments: dict[str, dict[str, Mapping[str, str]]] = {}  # assignment id -> its registered messages
_merged: dict[str, Mapping[str, str]] | None = None


def catalogue() -> Mapping[str, Mapping[str, str]]:
    """Return every message (the engine's and the registered assignments'), keyed by message key then language."""
    global _merged
    if _merged is None:
        merged = dict(engine_catalogue())
        for messages in _assignments.values():
            merged.update(messages)
        _merged = merged
    return _merged


def engine_catalogue() -> Mapping[str, Mapping[str, str]]:
    """Return the engine's own messages (no assignment's)."""
    global _catalogue
    if _catalogue is None:
        merged: dict[str, Mapping[str, str]] = {}
        for name in _CATALOGUE_MODULES:
            messages: Mapping[str, Mapping[str, str]] = importlib.import_module(name).MESSAGES
            for key, texts in messages.items():
                if key in merged:
                    raise RuntimeError(f"message key {key!r} defined twice ({name})")
                missing = [lang for lang in LANGUAGES if lang not in texts]
                if missing:
                    raise RuntimeError(f"message {key!r} in {name} lacks {missing}")
                merged[key] = texts
        _catalogue = merged
    return _catalogue


def register_assignment(folder: Path, assignment: str) -> Path | None:
    """Make the messages of assignment ``assignment`` in ``folder/messages.py`` renderable; the file's path.

    Registering again (the same or another folder of that id) replaces that id's messages; a folder
    without the file leaves the id with none. Errors are :class:`ConfigError` naming the file.
    """
    global _merged
    path = Path(folder) / MESSAGES_FILE
    if not path.is_file():
        if _assignments.pop(assignment, None) is not None:
            _merged = None
        return None
    _assignments[assignment] = read_messages(path, assignment)
    _merged = None
    return path


def read_messages(path: Path, assignment: str) -> dict[str, Mapping[str, str]]:
    """The ``MESSAGES`` of an assignment's ``messages.py``, checked: keys ``<assignment>.``, ko and en, no repeat."""
    where = str(path)
    if not re.fullmatch(r"[a-z][a-z0-9_]*", assignment):
        raise ConfigError(where, f"assignment id {assignment!r} cannot prefix message keys: use lower-case letters, "
                                 "digits and _ (a folder name like tensor_ops)")
    prefix = assignment + "."
    engine = engine_catalogue()
    taken = sorted(k for k in engine if k.startswith(prefix))
    if taken:
        raise ConfigError(where, f"the prefix {prefix!r} is the engine's (e.g. {taken[0]!r}): rename the assignment")
    try:
        if path.stat().st_size > _MAX_MESSAGES_BYTES:
            raise ConfigError(where, f"larger than {_MAX_MESSAGES_BYTES // 1024} KiB: keep only messages in it")
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source, where)
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError) as error:
        raise ConfigError(where, f"cannot be read as Python: {error}") from None
    for node in tree.body:  # a dict display keeps the last of two equal keys silently: find them in the source
        if not isinstance(node, ast.Assign | ast.AnnAssign):
            continue
        target = node.targets[0] if isinstance(node, ast.Assign) else node.target
        if isinstance(target, ast.Name) and target.id == "MESSAGES" and isinstance(node.value, ast.Dict):
            seen: set[str] = set()
            for item in node.value.keys:
                if isinstance(item, ast.Constant) and isinstance(item.value, str):
                    if item.value in seen:
                        raise ConfigError(where, f"message key {item.value!r} defined twice (line {item.lineno}): "
                                                 "keep one", item.value)
                    seen.add(item.value)
    namespace: dict[str, Any] = {"__name__": f"_autograder_messages_{assignment}", "__file__": where}
    try:
        exec(compile(tree, where, "exec"), namespace)  # the course's own file, trusted like its checks
    except Exception as error:  # noqa: BLE001  (any failure of the file is the instructor's to fix)
        raise ConfigError(where, f"does not run: {type(error).__name__}: {error}") from None
    messages = namespace.get("MESSAGES")
    if not isinstance(messages, dict):
        raise ConfigError(where, "defines no MESSAGES dict (key -> {'ko': ..., 'en': ...})", "MESSAGES")
    checked: dict[str, Mapping[str, str]] = {}
    for key, texts in messages.items():
        if not isinstance(key, str) or not key.startswith(prefix) or key == prefix:
            raise ConfigError(where, f"message key {key!r} is outside the assignment's prefix: name it "
                                     f"{prefix}<name>", str(key))
        if key in engine:
            raise ConfigError(where, f"message key {key!r} defined twice (also in the engine's catalogue)", key)
        missing = [lang for lang in LANGUAGES
                   if not isinstance(texts, dict) or not isinstance(texts.get(lang), str) or not texts[lang]]
        if missing:
            raise ConfigError(where, f"message {key!r} lacks {', '.join(missing)}: every message has a Korean (ko) "
                                     "and an English (en) text", key)
        checked[key] = dict(texts)
    return checked


def check_language(lang: str) -> str:
    """Return ``lang`` if it is supported, else raise ``ValueError`` naming the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return lang


def message(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """Render message ``key`` in ``lang``.

    An unknown key or a missing parameter still renders (with the key and the
    raw parameters) so that a catalogue slip never hides a student's result.
    A parameter written ``"@other.key"`` is itself rendered from the catalogue
    in ``lang`` (for words inside messages, like a task's name).
    """
    texts = catalogue().get(key)
    if texts is None:
        return f"[{key}] {params}" if params else f"[{key}]"
    template = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    params = {name: message(value[1:], lang) if isinstance(value, str) and value.startswith("@")
              and value[1:] in catalogue() else value for name, value in params.items()}
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return f"{template} {params}"
