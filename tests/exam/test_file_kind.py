"""The refusal of a file of another kind names every kind the exam accepts, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.exam.artifact import read_file
from autograder.i18n import message


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_file_kind_message_names_every_accepted_kind(lang: str, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my model", encoding="utf-8")
    outcome = read_file(notes, 1024)
    assert not isinstance(outcome, bytes) and getattr(outcome, "key", None) == "exam.file_kind"
    said = message("exam.file_kind", lang, **outcome.params)  # type: ignore[union-attr]
    assert "`notes.txt`" in said
    for kind in (".keras", ".h5", ".py", ".ipynb"):
        assert kind in said, (lang, kind, said)
    assert "{" not in said
