"""The exam's scoring rules, its folder, its starters and its messages: no TensorFlow, no sandbox."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder.exam.catalogue import ExamConfigError, load_exam
from autograder.exam.notebook import starter_notebook
from autograder.exam.scoring import Rule, derive_levels, describe_rule
from autograder.i18n import catalogue, message
from autograder.i18n.messages_exam import MESSAGES

EXAM = Path(__file__).resolve().parents[2] / "exam"
SUNSPOTS = Rule(kind="linear", goal="min", a=17, b=100)


@pytest.mark.parametrize(("mae", "score"), [(0.0, 5), (0.119, 5), (0.12, 5), (0.1201, 5), (0.13, 4), (0.1301, 4),
                                             (0.14, 3), (0.1401, 3), (0.15, 2), (0.155, 2),
                                             (0.159, 2), (0.16, 1), (0.169, 1), (0.17, 0), (0.5, 0), (math.nan, 0),
                                             (math.inf, 0)])
def test_the_published_sunspots_rule(mae: float, score: int) -> None:
    assert SUNSPOTS.score(mae) == score == (max(0, min(5, math.ceil(round(17 - 100 * mae, 9))))
                                            if math.isfinite(mae) else 0)


def test_levels_derived_from_the_reference_keep_it_at_five_with_its_margin() -> None:
    error = Rule(kind="levels", goal="min", reference=0.05, margin=0.2, step=2.0)
    assert error.thresholds == (0.96, 0.48, 0.24, 0.12, 0.06)
    assert [error.score(m) for m in (0.05, 0.06, 0.0601, 0.3, 0.96, 1.0)] == [5, 5, 4, 2, 1, 0]
    accuracy = Rule(kind="levels", goal="max", reference=0.86, margin=0.02, step=0.05)
    assert accuracy.thresholds == (0.64, 0.69, 0.74, 0.79, 0.84)
    assert [accuracy.score(m) for m in (0.86, 0.84, 0.8399, 0.7, 0.1)] == [5, 5, 4, 2, 0]
    assert derive_levels(0.000001, "min", 1.0, 4.0, floor=0.01) == (2.56, 0.64, 0.16, 0.04, 0.01)
    with pytest.raises(ValueError, match="reference"):
        Rule(kind="levels", goal="min", step=2.0)


def test_each_task_statement_states_its_rule_and_fixed_shapes() -> None:
    exam = load_exam(EXAM)
    assert exam.categories
    for category in exam.categories.values():
        for lang in ("ko", "en"):
            text = " ".join((category.folder / f"task.{lang}.md").read_text(encoding="utf-8").split())
            stated = ", ".join(f"{t:g}" for t in category.rule.thresholds)
            assert stated in text and stated in describe_rule(category.rule, category.metric, lang), (category.id, lang)
            assert f"{tuple(category.input_shape)}".replace(" ", "") in text.replace(" ", ""), (category.id, lang)
            assert f"Dense({category.output.units}" in text
            budget = category.budget  # a submitted script's limits, as category.yaml sets them
            said = {"en": (f"within {budget.cpu_s} CPU seconds, {budget.wall_s:g} s in all and {budget.memory_mb} MB"),
                    "ko": (f"CPU 시간 {budget.cpu_s}초, 전체 {budget.wall_s:g}초, 메모리 {budget.memory_mb}MB")}[lang]
            assert said in text, (category.id, lang)
        starter = (category.folder / "starter.py").read_text(encoding="utf-8")
        assert "def solution_model():" in starter and "mymodel.keras" in starter


def test_each_committed_notebook_is_its_starter() -> None:
    for category in load_exam(EXAM).categories.values():
        committed = nbformat.read(category.folder / "starter.ipynb", as_version=4)
        assert committed == starter_notebook(category.folder / "starter.py"), category.id


def test_a_broken_exam_folder_is_refused_naming_the_file_and_key(tmp_path: Path) -> None:
    shutil.copytree(EXAM, tmp_path / "exam")
    config = tmp_path / "exam" / "exam.yaml"
    config.write_text(config.read_text().replace("counts: best", "counts: worst"))
    with pytest.raises(ExamConfigError, match=r"exam\.yaml: counts"):
        load_exam(tmp_path / "exam")
    config.write_text(config.read_text().replace("counts: worst", "counts: last"))
    (tmp_path / "exam" / "category1" / "reference.py").unlink()
    with pytest.raises(ExamConfigError, match=r"category1: missing reference\.py"):
        load_exam(tmp_path / "exam")
    with pytest.raises(ExamConfigError, match=r"exam\.yaml: file not found"):
        load_exam(tmp_path / "nowhere")


def test_a_category_is_named_by_folder_or_number() -> None:
    exam = load_exam(EXAM)
    assert exam.category("1") is exam.category("category1")
    with pytest.raises(ExamConfigError, match="choose one of"):
        exam.category("category9")


def test_every_exam_message_is_in_both_languages_and_registered() -> None:
    merged = catalogue()
    for key, texts in MESSAGES.items():
        assert merged[key] is texts and set(texts) == {"ko", "en"}
        assert texts["ko"] != texts["en"], key
    assert "ceil(17 - 100 ×" in message("exam.rule_linear", "en", a=17.0, b=100.0, metric_name="MAE")
