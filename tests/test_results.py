"""The result model (autograder/results.py): statuses are enums, with a label in every language."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from autograder.i18n import LANGUAGES, message
from autograder.results import (
    CellProblem,
    CellStatus,
    CheckResult,
    CheckStatus,
    QuestionScore,
    SubmissionResult,
    SubmissionStatus,
    check_points,
    score_questions,
    status_label,
)

ROOT = Path(__file__).resolve().parent.parent
ALL_STATUSES = [*CheckStatus, *SubmissionStatus, *CellStatus]


@pytest.mark.parametrize("status", ALL_STATUSES, ids=lambda s: f"{type(s).__name__}.{s.name}")
def test_every_status_has_a_label_in_every_language(status: CheckStatus | SubmissionStatus | CellStatus) -> None:
    labels = {lang: status_label(status, lang) for lang in LANGUAGES}
    for lang, label in labels.items():
        assert label and not label.startswith("[report."), (status, lang)
    assert labels["ko"] != labels["en"]  # translated, not the English word twice


def test_a_label_is_the_catalogues_word() -> None:
    assert status_label(SubmissionStatus.PARTLY_GRADED, "en") == message("report.status.partly_graded", "en")
    assert status_label(CheckStatus.SKIPPED, "ko") == message("report.check.skipped", "ko")
    assert status_label(CellStatus.OOM, "en") == message("report.cell.oom", "en")


def test_a_status_written_as_its_string_becomes_the_enum_and_a_misspelt_one_is_refused() -> None:
    check = CheckResult("q1", "c", 1.0, False, "passed")  # type: ignore[arg-type]  (as the gradebook reads it)
    assert check.status is CheckStatus.PASSED and check.passed
    assert CellProblem(2, "timeout").status is CellStatus.TIMEOUT  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="passd"):
        CheckResult("q1", "c", 1.0, False, "passd")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="timed_out"):
        CellProblem(7, "timed_out")  # type: ignore[arg-type]  (a submission's status, not a cell's)
    with pytest.raises(ValueError, match="grade"):
        SubmissionResult("kim", "kim.ipynb", "grade")  # type: ignore[arg-type]


def test_the_json_of_a_result_writes_statuses_as_plain_strings() -> None:
    checks = [CheckResult("q1", "a", 1.0, False, CheckStatus.PASSED),
              CheckResult("q1", "b", 1.0, True, CheckStatus.SKIPPED, "check.no_pretrained_weights",
                          (("name", "vgg16"), ("what", "the weights")))]
    result = SubmissionResult("kim", "kim.ipynb", SubmissionStatus.TIMED_OUT, score_questions(checks, {"q1": 4}),
                              cells=(CellProblem(3, CellStatus.TIMEOUT),))
    data = json.loads(json.dumps(result.to_json("en")))
    assert data["status"] == "timed_out"
    assert [c["status"] for c in data["questions"][0]["checks"]] == ["passed", "skipped"]
    assert data["cells"][0]["status"] == "timeout"


def test_check_points_and_score_questions_agree_with_skipped_and_weighted_checks() -> None:
    checks = [CheckResult("q1", "a", 2.0, False, CheckStatus.PASSED),
              CheckResult("q1", "b", 1.0, False, CheckStatus.FAILED),
              CheckResult("q1", "c", 1.0, True, CheckStatus.SKIPPED),
              CheckResult("q2", "d", 1.0, False, CheckStatus.SKIPPED)]
    q1, q2 = score_questions(checks, {"q1": 8, "q2": 3, "q3": 5})[:2]
    assert (q1.points, q1.max_points) == (4.0, 6.0)  # c's quarter of 8 left the maximum; a earns 2/3 of the rest
    assert [(s.check.name, s.points, s.max_points) for s in check_points(q1)] == [
        ("a", 4.0, 4.0), ("b", 0.0, 2.0), ("c", 0.0, 0.0)]
    assert (q2.points, q2.max_points) == (0.0, 0.0) and check_points(q2)[0].max_points == 0.0
    assert check_points(QuestionScore("q3", 0.0, 5.0, ())) == []


def test_a_misspelt_status_fails_mypy(tmp_path: Path) -> None:
    snippet = tmp_path / "typo.py"
    snippet.write_text(textwrap.dedent("""\
        from autograder.results import CheckResult, SubmissionStatus


        def graded(status: SubmissionStatus) -> bool:
            return bool(status == SubmissionStatus.GRADDED)


        CheckResult("q1", "c", 1.0, False, "passd")
        """))
    done = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary", "--cache-dir", str(tmp_path / "cache"),
                           str(snippet)], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert 'has no attribute "GRADDED"' in done.stdout
    assert 'Argument 5 to "CheckResult" has incompatible type "str"; expected "CheckStatus"' in done.stdout
