"""``autograder assign``: the student's notebook starts with how to install the grader, and carries the course's
settings and public checks in its metadata; the committed hand-outs are the generated ones."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder import assign
from autograder.cli import main
from autograder.config import load_config
from autograder.i18n import message
from autograder.student import METADATA_KEY, read_baked
from tests.conftest import make_course
from tests.test_student import demo_reference

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = ("tensor_ops", "loss_activation", "kfold_regression", "text_classification", "mnist_cnn",
               "vgg16_transfer", "activity_lstm")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    config = make_course(tmp_path / "course")
    demo_reference(tmp_path / "course" / "solutions")
    return config


def test_the_first_cell_says_how_to_install_the_grader_in_both_languages(demo: Path) -> None:
    made = assign.main(assignment="demo", config_path=demo)
    notebook = nbformat.read(made.notebook, as_version=4)
    nbformat.validate(notebook)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.id == assign.INSTALL_CELL_ID
    assert 'pip install "keras-autograder @ <address>"' in first.source
    for lang in ("ko", "en"):
        assert message("student.install_source", lang).strip() in first.source
    assert "시작하기 전에: 채점기 설치" in first.source and "Before you start: install the grader" in first.source
    assert first.source.index("시작하기 전에") < first.source.index("Before you start")
    assert "3 s" in first.source and "3초" in first.source  # the demo course's call_time_s
    assert "PyPI's `autograder`" in first.source and 'data_dir="path/to/course-data"' in first.source
    assert [c.source for c in notebook.cells[1:3]] == ["# Demo",
                                                      'from autograder.student import Notebook\n\n'
                                                      'grader = Notebook("demo")']


def test_the_course_url_goes_into_the_install_command(demo: Path) -> None:
    url = "git+https://git.example.edu/dl-course/autograder.git@2026-spring"
    assert main(["--config", str(demo), "assign", "demo", "--install-from", url]) == 0
    notebook = nbformat.read(demo.parent / "assignments" / "demo" / "demo.ipynb", as_version=4)
    assert f"pip install {url}" in notebook.cells[0].source
    assert "<address>" not in notebook.cells[0].source


def test_the_metadata_carries_language_call_limit_questions_and_the_public_checks(demo: Path) -> None:
    config_text = demo.read_text().replace("language: en", "language: ko").replace(
        "points: {q1: 4, q2: 4}", "points: {q1: 4, q2: 4}\n    limits: {call_time_s: 7, wall_time_s: 60}")
    demo.write_text(config_text)
    assert load_config(demo).limits_for("demo").call_time_s == 7
    made = assign.main(assignment="demo", config_path=demo)
    baked = nbformat.read(made.notebook, as_version=4).metadata[METADATA_KEY]
    source = (demo.parent / "solutions" / "demo" / "public_checks.py").read_text(encoding="utf-8")
    assert baked == {"assignment": "demo", "language": "ko", "call_time_s": 7.0, "questions": ["q1", "q2"],
                     "public_checks": {"file": "public_checks.py", "source": source,
                                       "sha256": hashlib.sha256(source.encode()).hexdigest()}}
    assert (demo.parent / "solutions" / "demo" / "hidden_checks.py").read_text() not in made.notebook.read_text()
    read = read_baked(made.notebook, "demo")
    assert read is not None and read.checks_source == source and read.language == "ko"


def test_assigning_again_does_not_add_a_second_install_cell(demo: Path) -> None:
    first = assign.main(assignment="demo", config_path=demo).notebook.read_text(encoding="utf-8")
    second = assign.main(assignment="demo", config_path=demo).notebook.read_text(encoding="utf-8")
    assert first == second
    notebook = nbformat.reads(second, as_version=4)
    assert [c.get("id") for c in notebook.cells].count(assign.INSTALL_CELL_ID) == 1


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_committed_hand_outs_are_the_generated_ones(name: str, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "solutions" / name, tmp_path / "solutions" / name)
    shutil.copy(ROOT / "grading_config.yaml", tmp_path)
    made = assign.main(assignment=name, config_path=tmp_path / "grading_config.yaml")
    committed = ROOT / "assignments" / name
    assert made.notebook.read_text(encoding="utf-8") == (committed / f"{name}.ipynb").read_text(encoding="utf-8")
    assert (committed / "public_checks.py").read_text() == (ROOT / "solutions" / name / "public_checks.py").read_text()
    baked = nbformat.read(committed / f"{name}.ipynb", as_version=4).metadata[METADATA_KEY]
    config = load_config(ROOT / "grading_config.yaml")
    assert baked["language"] == config.language
    assert baked["call_time_s"] == config.limits_for(name).call_time_s
    assert baked["questions"] == list(config.assignments[name].points)


@pytest.mark.parametrize("name", ["tensor_ops", "loss_activation"])
def test_every_check_of_these_assignments_has_a_title_in_both_languages(name: str) -> None:
    from autograder.checks.core import load_checks, titles_in

    folder = ROOT / "solutions" / name
    specs = load_checks(folder / "public_checks.py") + load_checks(folder / "hidden_checks.py")
    titles = titles_in(folder)
    assert set(titles) == {s.name for s in specs} and len(specs) > 20
    for spec in specs:
        assert spec.title_in("ko") and spec.title_in("en") and spec.title_in("ko") != spec.title_in("en")
        assert re.search(r"[\uac00-\ud7a3]", spec.title_in("ko") or ""), spec.name
    assert len({t["en"] for t in titles.values()}) > 10  # titles say what each check is, not one word for all


def test_a_title_needs_every_language() -> None:
    from autograder.checks import check

    with pytest.raises(ValueError, match="one non-empty text per language"):
        check("q1", title={"en": "only English"})
    with pytest.raises(ValueError, match="one non-empty text per language"):
        check("q1", title={"ko": "제목", "en": " "})
    with pytest.raises(ValueError, match="one non-empty text per language"):
        check("q1", title={"ko": "제목", "en": "title", "fr": "titre"})
