"""Keras datasets in the grader: the same loaders and files the sandbox uses, loaded once per run."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping
from typing import Any

from autograder.data.keras_hook import patched


@functools.cache
def _load(name: str, files: tuple[tuple[str, str], ...], options: tuple[tuple[str, Any], ...]) -> Any:
    module = importlib.import_module(f"keras.datasets.{name}")
    with patched(dict(files)):
        return module.load_data(**dict(options))


def load(name: str, files: Mapping[str, str], **options: Any) -> Any:
    """``keras.datasets.<name>.load_data(**options)`` answered from ``files``; cached, so never mutate it."""
    return _load(name, tuple(sorted(files.items())), tuple(sorted(options.items())))


def word_index(name: str, files: Mapping[str, str]) -> dict[str, int]:
    """``keras.datasets.<name>.get_word_index()`` answered from ``files`` (imdb or reuters)."""
    module = importlib.import_module(f"keras.datasets.{name}")
    with patched(dict(files)):
        return dict(module.get_word_index())
