"""The message catalogue: every string a student reads, in Korean and English.

Messages are looked up by key and formatted with ``str.format`` parameters.
Each stage keeps its messages in its own module under ``autograder.i18n``; they
are merged here once, and a key defined twice is a programming error.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE = "en"

_CATALOGUE_MODULES = (
    "autograder.i18n.messages_checks",
    "autograder.i18n.messages_sandbox",
    "autograder.i18n.messages_submissions",
    "autograder.i18n.messages_data",
    "autograder.i18n.messages_models",
    "autograder.i18n.messages_text_classification",
    "autograder.i18n.messages_loss_activation",
    "autograder.i18n.messages_kfold_regression",
    "autograder.i18n.messages_mnist_cnn",
    "autograder.i18n.messages_activity_lstm",
    "autograder.i18n.messages_vgg16_transfer",
    "autograder.i18n.messages_report",
    "autograder.i18n.messages_exam",
)

_catalogue: dict[str, Mapping[str, str]] | None = None


def catalogue() -> Mapping[str, Mapping[str, str]]:
    """Return every message, keyed by message key then language."""
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
