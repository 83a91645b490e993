"""Shared by the exam category tests: a category's reference solution, imported as the candidate runs it."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

EXAM = Path(__file__).resolve().parents[2] / "exam"


@contextmanager
def category_reference(number: str, **env: str) -> Iterator[Any]:
    """``exam/category<number>/reference.py`` imported from its folder, with ``env`` set while it is in use;
    afterwards the folder leaves ``sys.path``, the module ``sys.modules`` and ``env`` the environment."""
    folder = str(EXAM / f"category{number}")
    os.environ.update(env)
    sys.path.insert(0, folder)
    try:
        import reference  # type: ignore[import-not-found]

        yield reference
    finally:
        sys.path.remove(folder)
        sys.modules.pop("reference", None)
        for name in env:
            os.environ.pop(name, None)
