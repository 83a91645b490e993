"""``autograder assign``: the student's notebook starts with how to install the grader, and carries the course's
settings and public checks in its metadata; the committed hand-outs are the generated ones."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import textwrap
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

ROOT = Path(__file__).resolve().parents[2]
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
    assert main(["--config", str(demo), "assign", "demo", "--install-from", url, "--no-validate"]) == 0
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


def test_the_examples_in_the_assignment_folder_are_not_handed_out(demo: Path) -> None:
    examples = demo.parent / "solutions" / "demo" / "examples"
    examples.mkdir()
    marker = "EXAMPLE-7d1e-graded-submission"
    (examples / "kim_minji.ipynb").write_text(json.dumps({"cells": [], "marker": marker}), encoding="utf-8")
    made = assign.main(assignment="demo", config_path=demo)
    handed = sorted(p.relative_to(made.notebook.parent).as_posix() for p in made.notebook.parent.rglob("*"))
    assert handed == ["demo.ipynb", "public_checks.py"]
    assert all(marker not in (made.notebook.parent / name).read_text(encoding="utf-8") for name in handed)
    assert [str(target) for _, target in made.copied] == [str(made.public_checks)]


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
    if made.public_expected is None:  # no reference.py: nothing else is handed out
        assert not (committed / "public_expected.json").exists()
    else:
        assert (committed / "public_expected.json").read_text() == made.public_expected.read_text()
    assert not (committed / "reference.py").exists() and not (committed / "hidden_checks.py").exists()
    # exactly these files are handed out: never the examples (solutions/<id>/examples/, graded submissions)
    handed = {f"{name}.ipynb", "public_checks.py"} | ({"public_expected.json"} if made.public_expected else set())
    handed |= {"messages.py"} if (ROOT / "solutions" / name / "messages.py").is_file() else set()
    assert sorted(p.name for p in made.notebook.parent.iterdir()) == sorted(handed)
    assert sorted(p.name for p in committed.iterdir()) == sorted(handed)
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


# -- expected values for the public checks: data handed out, the code that computes them kept in solutions/ --------

REFERENCE_HELPERS = '''
import numpy as np


def relu(x):
    return np.maximum(x, 0)


def public_expected():
    x = np.array([[1.0, -2.0], [-3.0, 4.0]])
    return {"relu_example": {"input": x, "output": relu(x)}, "count": np.int64(2), "note": "ok"}
'''

EXPECTED_CHECK = '''

from autograder.checks.expected import public_expected


@check("q1", weight=1)
def relu_stored_example(nb):
    case = public_expected(__file__)["relu_example"]
    x, wanted = np.array(case["input"]), np.array(case["output"])
    call = expect.call_text("naive_relu", [x])
    expect.array_close(expect.returned(nb.call("naive_relu", x), call), wanted, call)
'''


@pytest.fixture
def demo_with_reference(demo: Path) -> Path:
    folder = demo.parent / "solutions" / "demo"
    (folder / "reference.py").write_text(REFERENCE_HELPERS)
    with (folder / "public_checks.py").open("a") as checks:
        checks.write(EXPECTED_CHECK)
    return demo


def test_assign_writes_the_reference_s_expected_values_beside_the_handed_out_checks(demo_with_reference: Path) -> None:
    from autograder.checks.expected import public_expected

    made = assign.main(assignment="demo", config_path=demo_with_reference)
    solutions = demo_with_reference.parent / "solutions" / "demo"
    assert made.public_expected == made.public_checks.with_name("public_expected.json")
    stored = json.loads(made.public_expected.read_text(encoding="utf-8"))
    assert stored == {"relu_example": {"input": [[1.0, -2.0], [-3.0, 4.0]], "output": [[1.0, 0.0], [0.0, 4.0]]},
                      "count": 2, "note": "ok"}
    # the handed-out case reads the file; the solutions/ case computes the same values from reference.py
    assert public_expected(made.public_checks) == stored == public_expected(solutions / "public_checks.py")
    assert not (made.public_checks.parent / "reference.py").exists()
    assert "def relu(x)" not in made.public_expected.read_text() and "def relu(x)" not in made.notebook.read_text()
    baked = nbformat.read(made.notebook, as_version=4).metadata[METADATA_KEY]["public_checks"]["expected"]
    assert baked["file"] == "public_expected.json" and baked["source"] == made.public_expected.read_text()
    read = read_baked(made.notebook, "demo")
    assert read is not None and read.expected_source == made.public_expected.read_text()


def test_grader_check_finds_the_expected_values_in_the_notebook_wherever_it_goes(demo_with_reference: Path,
                                                                                tmp_path: Path) -> None:
    from autograder.student import Notebook
    from tests.conftest import GOOD_RELU

    made = assign.main(assignment="demo", config_path=demo_with_reference)
    elsewhere = tmp_path / "downloads" / "demo.ipynb"
    elsewhere.parent.mkdir()
    shutil.copy(made.notebook, elsewhere)  # the notebook alone: no public_checks.py, no public_expected.json
    namespace: dict[str, object] = {}
    exec(GOOD_RELU, namespace)
    report = Notebook("demo", notebook=elsewhere).check("q1", namespace)
    results = {r.name: r.status for r in report.results}  # type: ignore[union-attr]
    assert results["relu_stored_example"] == "passed", report
    namespace["naive_relu"] = lambda x: x
    report = Notebook("demo", notebook=elsewhere).check("q1", namespace)
    assert {r.name: r.status for r in report.results}["relu_stored_example"] == "failed"  # type: ignore[union-attr]


def test_a_checks_file_copied_without_its_expected_values_gives_way_to_the_notebook_s_copy(
        demo_with_reference: Path, tmp_path: Path) -> None:
    from autograder.student import Notebook
    from tests.conftest import GOOD_RELU

    made = assign.main(assignment="demo", config_path=demo_with_reference)
    folder = tmp_path / "work"
    folder.mkdir()
    shutil.copy(made.notebook, folder)
    shutil.copy(made.public_checks, folder)  # the .py only: its checks read public_expected.json beside it
    namespace: dict[str, object] = {}
    exec(GOOD_RELU, namespace)
    report = Notebook("demo", notebook=folder / "demo.ipynb").check("q1", namespace)
    assert {r.name: r.status for r in report.results}["relu_stored_example"] == "passed"  # type: ignore[union-attr]


def test_a_damaged_baked_copy_of_the_expected_values_is_not_trusted(demo_with_reference: Path) -> None:
    made = assign.main(assignment="demo", config_path=demo_with_reference)
    notebook = nbformat.read(made.notebook, as_version=4)
    notebook.metadata[METADATA_KEY]["public_checks"]["expected"]["source"] = '{"relu_example": 1}'
    nbformat.write(notebook, made.notebook)
    read = read_baked(made.notebook, "demo")
    assert read is not None and read.expected_source is None and read.checks_source is not None


def test_missing_expected_values_name_both_files(tmp_path: Path) -> None:
    from autograder.checks.expected import public_expected
    from autograder.errors import ConfigError

    checks = tmp_path / "public_checks.py"
    checks.write_text("")
    with pytest.raises(ConfigError) as missing:
        public_expected(checks)
    assert "public_expected.json" in str(missing.value) and "reference.py" in str(missing.value)
    (tmp_path / "reference.py").write_text("def public_expected():\n    return {'x': float('nan')}\n")
    with pytest.raises(ConfigError, match="non-finite"):
        public_expected(checks)
    (tmp_path / "reference.py").write_text("def public_expected():\n    return {'x': object()}\n")
    with pytest.raises(ConfigError, match="not JSON data"):
        public_expected(checks)
    (tmp_path / "public_expected.json").write_text("[1, 2]")  # the stored file wins, and is checked
    with pytest.raises(ConfigError, match="not a JSON object"):
        public_expected(checks)
    (tmp_path / "public_expected.json").write_text('{"x": NaN}')
    with pytest.raises(ConfigError, match="not valid JSON"):
        public_expected(checks)
    (tmp_path / "public_expected.json").write_text('{"x": [' + "1," * 5_000_000 + "1]}")
    with pytest.raises(ConfigError, match="larger than"):
        public_expected(checks)


# -- assign validates what it hands out ---------------------------------------------------------------------------

def test_a_hidden_check_in_the_public_file_is_refused_and_nothing_is_written(demo: Path) -> None:
    from autograder.errors import ConfigError

    public = demo.parent / "solutions" / "demo" / "public_checks.py"
    public.write_text(public.read_text() + textwrap.dedent("""

        @check("q2", weight=1, hidden=True)
        def add_secret_inputs(nb):
            pass
        """))
    with pytest.raises(ConfigError) as refused:
        assign.main(assignment="demo", config_path=demo)
    assert str(public) in str(refused.value) and "add_secret_inputs" in str(refused.value)
    assert "hidden_checks.py" in str(refused.value)  # where it belongs
    assert not (demo.parent / "assignments" / "demo").exists()


def test_a_hidden_file_check_without_hidden_true_is_warned_about(demo: Path) -> None:
    hidden = demo.parent / "solutions" / "demo" / "hidden_checks.py"
    hidden.write_text(hidden.read_text() + textwrap.dedent("""

        @check("q2", weight=1)
        def add_forgot_the_flag(nb):
            pass
        """))
    made = assign.main(assignment="demo", config_path=demo)
    (warning,) = made.warnings
    assert str(hidden) in warning and "add_forgot_the_flag" in warning and "hidden=True" in warning
    assert any(line.startswith("warning: ") and "add_forgot_the_flag" in line for line in made.report_lines())


def test_the_report_lists_each_cell_s_removed_regions_and_the_copied_files(demo_with_reference: Path) -> None:
    made = assign.main(assignment="demo", config_path=demo_with_reference)
    reference = nbformat.read(demo_with_reference.parent / "solutions" / "demo" / "demo.ipynb", as_version=4)
    answer_cells = [(n, c.id) for n, c in enumerate(reference.cells, start=1) if "BEGIN SOLUTION" in c.source]
    assert [(r.cell, r.cell_id, r.regions) for r in made.removed] == [(n, i, 1) for n, i in answer_cells]
    assert [r.lines for r in made.removed] == [6, 6]  # the answer lines of GOOD_RELU and GOOD_ADD
    solutions = demo_with_reference.parent / "solutions" / "demo"
    assert made.copied == ((solutions / "public_checks.py", made.public_checks),)
    lines = made.report_lines()
    assert lines[0].startswith("validation skipped (--no-validate)") and "NOT run" in lines[0]
    assert "removed 2 solution regions:" in lines
    for number, cell_id in answer_cells:
        assert f"  cell {number} ({cell_id}): 1 region, 6 lines" in lines
    assert f"copied {solutions / 'public_checks.py'} -> {made.public_checks}" in lines
    assert f"wrote {made.notebook}" in lines
    assert any(line.startswith(f"wrote {made.public_expected}") and "reference.py" in line for line in lines)


SKIPPED_CHECK = """

from autograder.errors import CheckSkipped


@check("q2", weight=1, hidden=True)
def add_needs_weights_not_here(nb):
    raise CheckSkipped("check.no_pretrained_weights", name="imagenet.h5", what="the accuracy")
"""


@pytest.mark.slow
def test_assign_grades_the_reference_in_the_sandbox_and_refuses_less_than_full_marks(
        demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from autograder.errors import ConfigError

    solutions = demo.parent / "solutions" / "demo"
    hidden = solutions / "hidden_checks.py"
    hidden.write_text(hidden.read_text() + SKIPPED_CHECK)
    # the right reference: validated (the skip is named and allowed: its share of q2 leaves the maximum)
    assert main(["--config", str(demo), "assign", "demo"]) == 0
    err = capsys.readouterr().err
    assert "validating demo: grading the reference notebook" in err
    assert "validated: the reference notebook earns 7.2 of 7.2 points in the sandbox (4 checks" in " ".join(err.split())
    assert "skipped (allowed): q2/add_needs_weights_not_here: Not checked" in err
    assert (demo.parent / "assignments" / "demo" / "demo.ipynb").is_file()
    shutil.rmtree(demo.parent / "assignments")
    # a wrong answer in the reference: refused, nothing written, the failed check named
    reference = solutions / "demo.ipynb"
    notebook = nbformat.read(reference, as_version=4)
    answer = next(c for c in notebook.cells if "def naive_add" in c.source)
    answer.source = answer.source.replace("x[i, j] += y[i, j]", "x[i, j] -= y[i, j]")
    nbformat.write(notebook, reference)
    with pytest.raises(ConfigError) as refused:
        assign.main(assignment="demo", config_path=demo, validate=True)
    text = str(refused.value)
    assert str(reference) in text and "does not earn full marks" in text and "q2/add_values failed" in text
    assert "--no-validate" in text and "relu_values" not in text
    assert not (demo.parent / "assignments" / "demo").exists()
    # the instructor may still regenerate without the run, and is told so
    assert main(["--config", str(demo), "assign", "demo", "--no-validate"]) == 0
    assert "validation skipped (--no-validate)" in capsys.readouterr().err
