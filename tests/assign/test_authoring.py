"""docs/authoring.md builds a working assignment: its own code blocks, graded through the real grading library.

Every block of the guide opened with ```python file=PATH or ```yaml file=PATH is written to PATH in a new course
folder (the guide says so). The course config names no assignment: the folder is discovered. The reference
notebook and a wrong one are graded in the sandbox; the wrong one's messages come from the guide's messages.py,
in the results, in the feedback rebuilt from the gradebook and in grader.check on the hand-out.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from rich.console import Console

from autograder.assign import main as assign
from autograder.config import load_config
from autograder.grade import main as grade
from autograder.i18n import register_assignment
from autograder.report.rebuild import report
from autograder.student import Notebook

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "authoring.md"
NAME = "dot_product"
BLOCK = re.compile(r"^```(?:python|yaml) file=(\S+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
WRONG = ("    return z\n", "    return np.array([z])\n")  # the student returns an array of one number
NOT_A_NUMBER_EN = "Fix: add the products into a number"


def guide_files() -> dict[str, str]:
    """The guide's files: path -> text, in the order the guide gives them."""
    return {path: text for path, text in BLOCK.findall(GUIDE.read_text(encoding="utf-8"))}


def test_the_guide_gives_every_file_of_its_example_and_names_the_marker() -> None:
    files = guide_files()
    assert list(files) == ["make_notebook.py", *(f"solutions/{NAME}/{f}" for f in (
        "public_checks.py", "reference.py", "hidden_checks.py", "messages.py", "assignment.yaml"))]
    guide = GUIDE.read_text(encoding="utf-8")
    assert "```python file=PATH" in guide and "tests/assign/test_authoring.py" in guide


def _build(course: Path) -> Path:
    for path, text in guide_files().items():
        target = course / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "make_notebook.py"], cwd=course, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    config = course / "grading_config.yaml"
    config.write_text("language: en\nsandbox_start: cold\n", encoding="utf-8")  # no assignments: discovered
    return config


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    course = tmp_path_factory.mktemp("authoring")
    config = _build(course)
    handed = assign(assignment=NAME, config_path=config)
    reference = course / "solutions" / NAME / f"{NAME}.ipynb"
    submissions = course / "submissions"
    submissions.mkdir()
    (submissions / "right.ipynb").write_text(reference.read_text(encoding="utf-8"), encoding="utf-8")
    text = reference.read_text(encoding="utf-8")
    wrong = json.dumps(WRONG[0])[1:-1], json.dumps(WRONG[1])[1:-1]
    assert text.count(wrong[0]) == 1
    (submissions / "wrong.ipynb").write_text(text.replace(*wrong), encoding="utf-8")
    summary = grade(assignment=NAME, inputs=[submissions], config_path=config,
                    console=Console(file=io.StringIO(), width=200))
    results = course / "results" / NAME
    return {"course": course, "config": config, "handed": handed, "summary": summary, "results": results,
            "detail": {s: json.loads((results / f"{s}.json").read_text(encoding="utf-8")) for s in ("right", "wrong")}}


def _points(detail: dict[str, object]) -> dict[str, float]:
    return {q["question"]: q["points"] for q in detail["questions"]}  # type: ignore[attr-defined]


def _failed(detail: dict[str, object]) -> dict[str, str]:
    return {c["name"]: c["key"] for q in detail["questions"] for c in q["checks"]  # type: ignore[attr-defined]
            if c["status"] != "passed"}


def test_the_folder_is_an_assignment_and_the_course_can_override_it(tmp_path: Path) -> None:
    config = _build(tmp_path)
    assert load_config(config).assignment(NAME).points == {"q1": 6}
    config.write_text(f"assignments:\n  {NAME}:\n    points: {{q1: 10}}\n    limits: {{memory_mb: 2048}}\n")
    loaded = load_config(config)
    assert loaded.assignment(NAME).points == {"q1": 10}
    assert (loaded.limits_for(NAME).memory_mb, loaded.limits_for(NAME).wall_time_s) == (2048, 60)


def test_assign_hands_out_the_template_public_checks_expected_values_and_messages(graded: dict[str, object]) -> None:
    course = graded["course"]
    assert isinstance(course, Path)
    out = course / "assignments" / NAME
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{NAME}.ipynb", "messages.py", "public_checks.py", "public_expected.json"])
    template = "\n".join(c.source for c in nbformat.read(out / f"{NAME}.ipynb", as_version=4).cells)
    assert "BEGIN SOLUTION" not in template and "z += x[i] * y[i]" not in template
    assert json.loads((out / "public_expected.json").read_text()) == {"book_example": 32.0}


def test_the_reference_earns_full_marks_and_the_wrong_notebook_loses_its_checks(graded: dict[str, object]) -> None:
    detail = graded["detail"]
    assert isinstance(detail, dict)
    assert _points(detail["right"]) == {"q1": 6.0} and _failed(detail["right"]) == {}
    assert _points(detail["wrong"]) == {"q1": 2.0}  # the loop (1) and the refusal (1) of 6 weights' 6 points
    assert _failed(detail["wrong"]) == {"dot_book_example": "dot_product.not_a_number",
                                        "dot_random_vectors": "check.not_number"}
    messages = [c["message"] for q in detail["wrong"]["questions"] for c in q["checks"]
                if c["key"] == "dot_product.not_a_number"]
    assert len(messages) == 1 and NOT_A_NUMBER_EN in messages[0] and "shape (1,)" in messages[0]


def test_the_feedback_rebuilt_from_the_gradebook_renders_the_folders_messages(graded: dict[str, object]) -> None:
    course, config = graded["course"], graded["config"]
    assert isinstance(course, Path) and isinstance(config, Path)
    register_assignment(course / "nowhere", NAME)  # forget them: the rebuild must register them itself
    out = report(assignment=NAME, config_path=config, lang="ko")
    page = (out / "feedback" / "wrong.html").read_text(encoding="utf-8")
    assert "고치는 법: 곱을 숫자 하나에 더해 가며" in page and "[dot_product." not in page


def test_grader_check_on_the_hand_out_renders_the_folders_messages(graded: dict[str, object]) -> None:
    course = graded["course"]
    assert isinstance(course, Path)
    register_assignment(course / "nowhere", NAME)
    grader = Notebook(NAME, notebook=course / "assignments" / NAME / f"{NAME}.ipynb", lang="en")

    def wrong(x: object, y: object) -> object:
        import numpy as np

        z = 0.0
        for a, b in zip(x, y, strict=True):  # type: ignore[call-overload]
            z += a * b
        return np.array([z])

    lines = "\n".join(grader.check("q1", {"naive_vector_dot": wrong}).lines())  # type: ignore[union-attr]
    assert NOT_A_NUMBER_EN in lines
    assert "dot_random_vectors" not in lines  # hidden checks never run on the student's side
