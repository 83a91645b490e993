"""Every check of every assignment in ``solutions/`` has a title in Korean and in English.

Feedback pages and the class report show a check's title instead of its function name
(``@check(..., title={"ko": ..., "en": ...})``, ``@performance(..., title=...)``); a check without one shows
students a raw identifier. The checks are loaded as the grader loads them (:func:`load_assignment` on the
course's ``grading_config.yaml``), public and hidden together.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autograder.config import load_config
from autograder.grade.assignment import load_assignment
from autograder.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = sorted(path.name for path in (ROOT / "solutions").iterdir() if (path / "public_checks.py").is_file())
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_the_assignments_are_found() -> None:
    assert {"tensor_ops", "loss_activation", "kfold_regression", "text_classification", "mnist_cnn",
            "vgg16_transfer", "activity_lstm"} <= set(SOLUTIONS)


@pytest.mark.parametrize("name", SOLUTIONS)
def test_every_check_has_a_title_in_every_language(name: str) -> None:
    config = load_config(ROOT / "grading_config.yaml")
    checks = load_assignment(config, name, str(ROOT / "grading_config.yaml")).checks
    assert checks and any(spec.hidden for spec in checks) and any(not spec.hidden for spec in checks)
    untitled = [spec.name for spec in checks if not all((spec.title_in(lang) or "").strip() for lang in LANGUAGES)]
    assert untitled == [], f"{name}: checks without a ko and en title: {untitled}"
    for spec in checks:
        ko, en = spec.title_in("ko") or "", spec.title_in("en") or ""
        assert HANGUL.search(ko) and ko != en and en != spec.name, (name, spec.name, ko, en)
        assert not HANGUL.search(en), (name, spec.name, en)
    for lang in LANGUAGES:  # within a question a student can tell the checks apart by their titles
        seen = [(spec.question, spec.title_in(lang)) for spec in checks]
        assert len(seen) == len(set(seen)), f"{name}: two checks of one question share a {lang} title"
