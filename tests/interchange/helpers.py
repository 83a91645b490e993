"""Shared helpers of the interchange tests: the otter fixtures, a course folder, notebooks made wrong."""

from __future__ import annotations

import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GENERATE_OTTER = FIXTURES / "generate-otter" / "generate-otter.ipynb"
EXCEPTION_EXAMPLE = FIXTURES / "exception-example" / "exception-example.ipynb"
# The wrong solution, as edits of the answer lines: x is not the smallest prime, square adds one.
WRONG = (("x = 2", "x = 4"), ("y = x * x", "y = x * x + 1"))


def course(root: Path) -> Path:
    """A course folder with a config (English, cold sandboxes) and an empty solutions/; returns the config."""
    (root / "solutions").mkdir(parents=True, exist_ok=True)
    config = root / "grading_config.yaml"
    config.write_text("language: en\nsandbox_start: cold\n", encoding="utf-8")
    return config


def wrong_copy(notebook: Path, target: Path) -> Path:
    """``notebook`` with the answer lines of :data:`WRONG` replaced (each must occur)."""
    text = notebook.read_text(encoding="utf-8")
    for old, new in WRONG:
        encoded = json.dumps(old)[1:-1]
        assert encoded in text, f"{old!r} not in {notebook}"
        text = text.replace(encoded, json.dumps(new)[1:-1])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target
